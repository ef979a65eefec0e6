/**
 * The failures a platform API stand-in is told to give: queued ones first, one per call, then,
 * during an outage, the outage's failures in turn until `clock()` reaches its end.
 */
export abstract class FailureInjection<F> {
  /** Time as the server sees it (tests with fake time set it). */
  clock: () => number = Date.now;
  private readonly queued: F[] = [];
  private outage: { until: number; failures: F[]; next: number } | undefined;

  /** The next calls fail this way, in order. */
  fail(...failures: F[]): void {
    this.queued.push(...failures);
  }

  /** Every call fails, taking these failures in turn, until `clock()` reaches `until` (an outage). */
  failUntil(until: number, ...failures: F[]): void {
    this.outage = { until, failures, next: 0 };
  }

  protected nextFailure(): F | undefined {
    const queued = this.queued.shift();
    if (queued) return queued;
    const outage = this.outage;
    if (!outage || this.clock() >= outage.until) return undefined;
    return outage.failures[outage.next++ % outage.failures.length];
  }
}
