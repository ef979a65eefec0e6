/**
 * A sliding-window limit per key ("5 per second per chat"): `acquire` resolves when one more call
 * fits in the window. The clock and the sleep are injectable so tests can use fake time.
 */
export class RateLimiter {
  private readonly calls = new Map<string, number[]>();
  private readonly tails = new Map<string, Promise<void>>();

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
    const recent = (this.calls.get(key) ?? []).filter((t) => t > now - this.windowMs);
    this.calls.set(key, recent);
    if (recent.length >= this.limit) return recent[0]! + this.windowMs - now;
    recent.push(now);
    return 0;
  }

  private async take(key: string): Promise<void> {
    for (;;) {
      const now = this.now();
      const recent = (this.calls.get(key) ?? []).filter((t) => t > now - this.windowMs);
      if (recent.length < this.limit) {
        recent.push(now);
        this.calls.set(key, recent);
        return;
      }
      this.calls.set(key, recent);
      await this.sleep(recent[0]! + this.windowMs - now);
    }
  }
}
