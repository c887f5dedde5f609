/** The simulator's API routes; faults, limits and counters are kept per route. */
export const SIM_ROUTES = [
  'accounts',
  'modules',
  'collections',
  'columns',
  'search',
  'create',
  'update',
] as const;
export type SimRoute = (typeof SIM_ROUTES)[number];
export const WRITE_ROUTES: readonly SimRoute[] = ['create', 'update'];

export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** Asset Panda's documented limit: 400 requests per rolling 180 seconds per API key. */
export const DEFAULT_RATE_LIMIT: RateLimit = { limit: 400, windowMs: 180_000 };

export interface RouteFaults {
  latencyMs: number;
  /** Up to this much extra latency, drawn from the simulator's seeded generator. */
  jitterMs: number;
  /** Per API key and route; the shared limit across routes is `SimFaults.rateLimit`. */
  rateLimit: RateLimit | null;
  /** The next N requests answer 429 RATE_LIMITED. */
  burst429: number;
  retryAfterSeconds: number;
  /** The next N requests answer `status5xx`. */
  burst5xx: number;
  status5xx: number;
  body5xx: 'json' | 'html' | 'empty';
  /** The next N requests are carried out, then the connection is dropped without an answer. */
  loseAnswers: number;
}

const NO_FAULTS: RouteFaults = {
  latencyMs: 0,
  jitterMs: 0,
  rateLimit: null,
  burst429: 0,
  retryAfterSeconds: 1,
  burst5xx: 0,
  status5xx: 503,
  body5xx: 'html',
  loseAnswers: 0,
};

/** Sliding-window request log per key, pruned as it is read. */
class SlidingWindow {
  private readonly hits = new Map<string, number[]>();

  /** Records a hit and returns 0, or returns how many ms until one is allowed. */
  take(key: string, limit: RateLimit, now: number): number {
    let times = this.hits.get(key);
    if (!times) this.hits.set(key, (times = []));
    let drop = 0;
    while (drop < times.length && times[drop] <= now - limit.windowMs) drop++;
    if (drop > 0) times.splice(0, drop);
    if (times.length >= limit.limit) return times[0] + limit.windowMs - now;
    times.push(now);
    return 0;
  }

  clear(): void {
    this.hits.clear();
  }
}

export type FaultDecision =
  | { kind: 'throttle'; retryAfterSeconds: number }
  | { kind: 'fail'; status: number; body: RouteFaults['body5xx'] }
  | { kind: 'pass' };

/** Faults and limits, settable at start and while the simulator runs. */
export class SimFaults {
  private readonly routes = new Map<SimRoute, RouteFaults>();
  private readonly windows = new SlidingWindow();
  /** Shared by every route, per API key (the documented Asset Panda limit). */
  rateLimit: RateLimit | null = null;

  constructor(
    private readonly initial: { rateLimit?: RateLimit | null; faults?: Partial<RouteFaults> } = {},
  ) {
    this.reset();
  }

  /** Changes faults for the given routes (all when omitted); counts like `burst429` apply per route. */
  set(faults: Partial<RouteFaults>, routes: SimRoute | readonly SimRoute[] = SIM_ROUTES): void {
    for (const route of typeof routes === 'string' ? [routes] : routes) {
      this.routes.set(route, { ...this.get(route), ...faults });
    }
  }

  get(route: SimRoute): RouteFaults {
    return this.routes.get(route) ?? NO_FAULTS;
  }

  /** Back to the faults and limit given at start; rate-limit windows start empty. */
  reset(): void {
    this.routes.clear();
    this.windows.clear();
    this.rateLimit = this.initial.rateLimit ?? null;
    if (this.initial.faults) this.set(this.initial.faults);
  }

  /** What happens to a request before it is processed; consumes burst counts. */
  admit(route: SimRoute, apiKey: string, now: number): FaultDecision {
    const f = this.get(route);
    for (const [key, limit] of [
      [`${apiKey}|*`, this.rateLimit],
      [`${apiKey}|${route}`, f.rateLimit],
    ] as const) {
      if (!limit) continue;
      const waitMs = this.windows.take(key, limit, now);
      if (waitMs > 0) return { kind: 'throttle', retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    if (f.burst429 > 0) {
      this.set({ burst429: f.burst429 - 1 }, route);
      return { kind: 'throttle', retryAfterSeconds: f.retryAfterSeconds };
    }
    if (f.burst5xx > 0) {
      this.set({ burst5xx: f.burst5xx - 1 }, route);
      return { kind: 'fail', status: f.status5xx, body: f.body5xx };
    }
    return { kind: 'pass' };
  }

  /** Whether this request's answer is to be lost (it has been carried out already). */
  loseAnswer(route: SimRoute): boolean {
    const f = this.get(route);
    if (f.loseAnswers <= 0) return false;
    this.set({ loseAnswers: f.loseAnswers - 1 }, route);
    return true;
  }

  delayMs(route: SimRoute, random: () => number): number {
    const f = this.get(route);
    return f.latencyMs + (f.jitterMs > 0 ? Math.floor(random() * f.jitterMs) : 0);
  }
}
