import Fastify, { type FastifyInstance } from 'fastify';

/**
 * A platform API stand-in on 127.0.0.1 and the failures it is told to give: queued ones first, one
 * per call, then, during an outage, the outage's failures in turn until `clock()` reaches its end.
 */
export abstract class FailureInjection<F> {
  readonly app: FastifyInstance = Fastify({ logger: false });
  url = '';
  /** Time as the server sees it (tests with fake time set it). */
  clock: () => number = Date.now;
  /** Requests held unanswered (a hang); released at the latest when the server closes. */
  private readonly hung = new Set<() => void>();
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

  async start(): Promise<string> {
    this.url = await this.app.listen({ port: 0, host: '127.0.0.1' });
    return this.url;
  }

  async close(): Promise<void> {
    for (const release of this.hung) release();
    await this.app.close();
  }

  /** Holds the current request for `ms` (real time), as a server that does not answer. */
  protected hold(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const release = () => {
        this.hung.delete(release);
        resolve();
      };
      this.hung.add(release);
      setTimeout(release, ms);
    });
  }
}
