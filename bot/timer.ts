import type { FastifyBaseLogger } from 'fastify';
import type { Db } from './db/client.js';
import type { ServiceDeps } from './services.js';

/**
 * A job the process runs when woken (a timer, the simulator's clock): one run at a time, a wake
 * during a run joins it. Subclasses say what is due in `work`.
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

  protected abstract work(): Promise<void>;
}
