import type { FastifyBaseLogger } from 'fastify';
import type { Db, Tx } from '../db/client.js';
import { inUnitOfWork, type ServiceDeps, type Services } from '../services.js';

/**
 * Something the process does when woken (node-schedule, the safety-net poll, the simulator's
 * clock): one run at a time, a wake during a run joins it. A subclass finds what is due in `work`
 * and hands each due thing to one domain method in its own unit of work; `nextDue` says when the
 * next thing falls due, so the process can be woken then.
 */
export abstract class Timer {
  private running: Promise<void> | undefined;

  constructor(
    protected readonly db: Db,
    protected readonly deps: ServiceDeps,
    protected readonly log: FastifyBaseLogger,
  ) {}

  /** Never rejects: what went wrong is logged, and the next wake tries again. */
  tick(): Promise<void> {
    this.running ??= this.work()
      .catch((err: unknown) => this.log.error({ err, timer: this.constructor.name }, 'timer failed'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** The earliest moment after `now` (the bot's clock) at which something becomes due; undefined when nothing is known. */
  abstract nextDue(now: Date): Promise<Date | undefined>;

  protected abstract work(): Promise<void>;

  /** Runs `fn` as one unit of work; a failure is logged (with `about`) and does not stop the others. */
  protected async inUnit(about: Record<string, unknown>, failed: string, fn: (services: Services, tx: Tx) => Promise<void>): Promise<void> {
    try {
      await inUnitOfWork(this.db, this.deps, fn);
    } catch (err) {
      this.log.error({ err, ...about }, failed);
    }
  }
}

/** The earliest of some moments, ignoring the unknown ones. */
export function earliest(...moments: (Date | null | undefined)[]): Date | undefined {
  let first: Date | undefined;
  for (const m of moments) if (m && (!first || m < first)) first = m;
  return first;
}
