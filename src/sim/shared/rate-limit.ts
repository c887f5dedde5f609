/**
 * A token bucket: `perMinute` requests a minute on average, bursts up to `burst` (default: the
 * whole minute's allowance, which is how per-minute limits behave in practice).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perMinute: number,
    private readonly burst: number = perMinute,
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = clock();
  }

  /** Takes one token; returns 0 when allowed, else the milliseconds until one is available. */
  take(): number {
    const now = this.clock();
    const ratePerMs = this.perMinute / 60_000;
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * ratePerMs);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - this.tokens) / ratePerMs);
  }
}
