/**
 * A sliding-window limit per key ("5 per second per chat"): `acquire` resolves when one more call
 * fits in the window. The clock and the sleep are injectable so tests can use fake time.
 */
export class RateLimiter {
  private readonly calls = new Map<string, number[]>();
  private readonly tails = new Map<string, Promise<void>>();
  private taken = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Waits for a slot under `key`; callers under the same key are served in arrival order. */
  acquire(key: string): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const mine = previous.then(() => this.take(key));
    this.tails.set(key, mine);
    void mine.finally(() => {
      if (this.tails.get(key) === mine) this.tails.delete(key);
    });
    return mine;
  }

  /**
   * Takes a slot under `key` now if one is free (0), or says how many milliseconds until one is,
   * taking nothing: for callers that would rather come back later than hold their work waiting.
   */
  tryTake(key: string): number {
    const now = this.now();
    if (++this.taken % 256 === 0) this.forgetIdle(now);
    const recent = (this.calls.get(key) ?? []).filter((t) => t > now - this.windowMs);
    this.calls.set(key, recent);
    if (recent.length >= this.limit) return recent[0]! + this.windowMs - now;
    recent.push(now);
    return 0;
  }

  /**
   * How many milliseconds until `count` more calls fit under `key` (0: they fit now), taking
   * nothing: for a caller that must know several sends fit before it makes the first.
   */
  untilFree(key: string, count = 1): number {
    const now = this.now();
    const recent = (this.calls.get(key) ?? []).filter((t) => t > now - this.windowMs);
    const over = recent.length + Math.min(count, this.limit) - this.limit;
    return over > 0 ? recent[over - 1]! + this.windowMs - now : 0;
  }

  private async take(key: string): Promise<void> {
    for (let wait = this.tryTake(key); wait > 0; wait = this.tryTake(key)) await this.sleep(wait);
  }

  /** Keys used once (a message id, a webhook) would otherwise stay for the life of the process. */
  private forgetIdle(now: number): void {
    for (const [key, times] of this.calls) if (!(times.at(-1)! > now - this.windowMs)) this.calls.delete(key);
  }
}
