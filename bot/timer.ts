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

  tick(): Promise<void> {
    this.running ??= this.work().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  protected abstract work(): Promise<void>;
}
