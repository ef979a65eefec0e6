import type { Db } from './client.js';

/** How long `/healthz` waits for its write probe before saying the database is not writable. */
const PROBE_WITHIN_MS = 2_000;
/** A unit of work that failed to store counts against health until one commits, or this long after the last failure while probes pass. */
const FAILURE_STANDS_MS = 5 * 60_000;

export interface StorageStatus {
  writable: boolean;
  /** Since when writes fail, and what the last failure said. */
  failingSince?: string;
  error?: string;
}

/**
 * Whether the database takes writes: the failures of real work (a unit of work that could not
 * commit) and a small write that `/healthz` makes. A lock held from outside fails the probe; a
 * disk too full for a report may still take the probe's one row, so a unit of work that failed to
 * store stands until one commits again (or, with no work coming, a few minutes of passing probes).
 */
export class StorageHealth {
  private failure: { since: Date; last: Date; error: string } | undefined;
  private probing: Promise<StorageStatus> | undefined;

  constructor(private readonly now: () => Date = () => new Date()) {}

  failed(err: unknown): void {
    const error = err instanceof Error ? (err.message.split('\n').find((l) => l.trim()) ?? err.name) : String(err);
    this.failure = { since: this.failure?.since ?? this.now(), last: this.now(), error: error.slice(0, 300) };
  }

  succeeded(): void {
    this.failure = undefined;
  }

  get status(): StorageStatus {
    return this.failure ? { writable: false, failingSince: this.failure.since.toISOString(), error: this.failure.error } : { writable: true };
  }

  /** Writes one row (a counter no one else reads) and says whether it was stored; one probe at a time. */
  probe(db: Db): Promise<StorageStatus> {
    this.probing ??= this.write(db).finally(() => {
      this.probing = undefined;
    });
    return this.probing;
  }

  private async write(db: Db): Promise<StorageStatus> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), PROBE_WITHIN_MS);
      timer.unref();
    });
    const written = db.sequence
      .upsert({ where: { key: 'health-probe' }, create: { key: 'health-probe', value: 1 }, update: { value: { increment: 1 } } })
      .then(() => 'ok' as const);
    try {
      const outcome = await Promise.race([written, late]);
      if (outcome === 'late') {
        // Still waiting for the write lock or the disk: not writable now (the write may land later).
        written.catch(() => undefined);
        return { ...this.status, writable: false, error: this.status.error ?? 'the database did not take a write in time' };
      }
      if (this.failure && this.now().getTime() - this.failure.last.getTime() >= FAILURE_STANDS_MS) this.succeeded();
      return this.status;
    } catch (err) {
      this.failed(err);
      return this.status;
    } finally {
      clearTimeout(timer);
    }
  }
}
