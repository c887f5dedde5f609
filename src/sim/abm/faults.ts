import { TokenBucket } from '../shared/rate-limit';

/** The routes the simulator counts and can inject faults into. */
export type SimRoute = 'token' | 'orgDevices' | 'orgDevice' | 'mdmServers' | 'other';
export const RESOURCE_ROUTES: readonly SimRoute[] = ['orgDevices', 'orgDevice', 'mdmServers'];

/** The next `count` requests to `routes` (default: the resource API, not the token endpoint) fail. */
export interface BurstFault {
  count: number;
  routes?: readonly SimRoute[];
}

export interface ThrottleBurst extends BurstFault {
  /** Seconds announced in Retry-After; default 1. */
  retryAfterSec?: number;
  /** `seconds` (Apple's observed form), `http-date`, or `none` to leave the header out. */
  retryAfterFormat?: 'seconds' | 'http-date' | 'none';
}

export interface ServerErrorBurst extends BurstFault {
  /** Default 503. */
  status?: number;
  /** Answer with an HTML page instead of an ErrorResponse, as load balancers do. */
  html?: boolean;
}

/** One `OrgDevice` as the simulator sends it. */
export interface SimOrgDevice {
  type: 'orgDevices';
  id: string;
  attributes: Record<string, unknown>;
  relationships?: Record<string, unknown>;
  links: { self: string };
}

/** An `OrgDevicesResponse` about to be sent. */
export interface SimOrgDevicesBody {
  data: SimOrgDevice[];
  links: { self: string; first?: string; next?: string };
  meta: { paging: { limit: number; nextCursor?: string; total?: number } };
}

export interface AbmSimFaults {
  /** Added to every answer. */
  latencyMs: number;
  /** Up to this much more, uniformly. */
  jitterMs: number;
  /** Resource GETs a minute before 429 (the live API allows about 20); null = unlimited. */
  getRateLimitPerMinute: number | null;
  /** Token requests a minute before 429; null = unlimited. */
  tokenRateLimitPerMinute: number | null;
  throttle: ThrottleBurst | null;
  serverErrors: ServerErrorBurst | null;
  /** Send headers and part of the body, then drop the connection. */
  resets: BurstFault | null;
  /** Answer 403 FORBIDDEN_ERROR, as for an API account whose role lacks a privilege. */
  forbidden: BurstFault | null;
  /** Age after which a cursor is refused (400 naming `cursor`); null = cursors never expire. */
  cursorTtlMs: number | null;
  /** Rewrites each orgDevices page before it is sent (malformed data, foreign next links). */
  mutateOrgDevicesPage: ((body: SimOrgDevicesBody) => void) | null;
}

export const DEFAULT_FAULTS: Readonly<AbmSimFaults> = {
  latencyMs: 0,
  jitterMs: 0,
  getRateLimitPerMinute: null,
  tokenRateLimitPerMinute: null,
  throttle: null,
  serverErrors: null,
  resets: null,
  forbidden: null,
  cursorTtlMs: null,
  mutateOrgDevicesPage: null,
};

export type FaultDecision =
  | { kind: 'reset' }
  | { kind: 'forbidden' }
  | { kind: 'server-error'; status: number; html: boolean }
  | { kind: 'throttle'; retryAfterSec: number; format: 'seconds' | 'http-date' | 'none' };

/** Fault settings plus the state they need (burst counts left, rate buckets). */
export class FaultController {
  private current: AbmSimFaults = { ...DEFAULT_FAULTS };
  private left = { throttle: 0, serverErrors: 0, resets: 0, forbidden: 0 };
  private getBucket: TokenBucket | null = null;
  private tokenBucket: TokenBucket | null = null;

  constructor(initial: Partial<AbmSimFaults> = {}) {
    this.set(initial);
  }

  /** Changes some settings; a burst given here starts counting afresh. */
  set(patch: Partial<AbmSimFaults>): void {
    this.current = { ...this.current, ...patch };
    if ('throttle' in patch) this.left.throttle = patch.throttle?.count ?? 0;
    if ('serverErrors' in patch) this.left.serverErrors = patch.serverErrors?.count ?? 0;
    if ('resets' in patch) this.left.resets = patch.resets?.count ?? 0;
    if ('forbidden' in patch) this.left.forbidden = patch.forbidden?.count ?? 0;
    if ('getRateLimitPerMinute' in patch) this.getBucket = bucket(patch.getRateLimitPerMinute);
    if ('tokenRateLimitPerMinute' in patch) this.tokenBucket = bucket(patch.tokenRateLimitPerMinute);
  }

  reset(): void {
    this.current = { ...DEFAULT_FAULTS };
    this.left = { throttle: 0, serverErrors: 0, resets: 0, forbidden: 0 };
    this.getBucket = null;
    this.tokenBucket = null;
  }

  get(): Readonly<AbmSimFaults> {
    return this.current;
  }

  latency(): number {
    const { latencyMs, jitterMs } = this.current;
    return latencyMs + (jitterMs > 0 ? Math.random() * jitterMs : 0);
  }

  /** The injected fault for this request, if any; each burst is used up one request at a time. */
  next(route: SimRoute): FaultDecision | undefined {
    const { resets, serverErrors, throttle, forbidden } = this.current;
    if (this.take('resets', resets, route)) return { kind: 'reset' };
    if (this.take('forbidden', forbidden, route)) return { kind: 'forbidden' };
    if (serverErrors && this.take('serverErrors', serverErrors, route)) {
      return { kind: 'server-error', status: serverErrors.status ?? 503, html: serverErrors.html ?? false };
    }
    if (throttle && this.take('throttle', throttle, route)) {
      return {
        kind: 'throttle',
        retryAfterSec: throttle.retryAfterSec ?? 1,
        format: throttle.retryAfterFormat ?? 'seconds',
      };
    }
    return undefined;
  }

  /** Milliseconds to wait when the rate limit for this route is exhausted; 0 when allowed. */
  rateLimit(route: SimRoute): number {
    const b = route === 'token' ? this.tokenBucket : RESOURCE_ROUTES.includes(route) ? this.getBucket : null;
    return b ? b.take() : 0;
  }

  private take(
    which: 'throttle' | 'serverErrors' | 'resets' | 'forbidden',
    fault: BurstFault | null,
    route: SimRoute,
  ): boolean {
    if (!fault || this.left[which] <= 0) return false;
    if (!(fault.routes ?? RESOURCE_ROUTES).includes(route)) return false;
    this.left[which]--;
    return true;
  }
}

function bucket(perMinute: number | null | undefined): TokenBucket | null {
  return perMinute && perMinute > 0 ? new TokenBucket(perMinute) : null;
}
