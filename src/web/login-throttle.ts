/**
 * Slows password guessing: failed logins are counted per IP address and per account name over a window, and
 * further attempts are refused until the oldest failure leaves the window. A success clears the account's count.
 * Kept in memory: a restart forgets the counts, which only gives a guesser one more small batch.
 */
export interface ThrottleLimits {
  perIp: number;
  perAccount: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { perIp: 20, perAccount: 5, windowMs: 15 * 60_000 };

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: () => number,
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE,
  ) {}

  /** Milliseconds until this IP may try this account again; 0 when it may now. */
  retryAfterMs(ip: string, account: string): number {
    return Math.max(this.wait(`ip:${ip}`, this.limits.perIp), this.wait(`account:${account.toLowerCase()}`, this.limits.perAccount));
  }

  failed(ip: string, account: string): void {
    for (const key of [`ip:${ip}`, `account:${account.toLowerCase()}`]) this.failures.set(key, [...this.recent(key), this.clock()]);
  }

  succeeded(account: string): void {
    this.failures.delete(`account:${account.toLowerCase()}`);
  }

  private wait(key: string, max: number): number {
    const recent = this.recent(key);
    if (recent.length < max) return 0;
    return recent[recent.length - max]! + this.limits.windowMs - this.clock();
  }

  private recent(key: string): number[] {
    const since = this.clock() - this.limits.windowMs;
    const recent = (this.failures.get(key) ?? []).filter((at) => at > since);
    if (recent.length) this.failures.set(key, recent);
    else this.failures.delete(key);
    return recent;
  }
}
