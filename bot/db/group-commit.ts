import { providerOf, sqlOf, type Db, type Tx } from './client.js';
import { Query } from './sql.js';
import { isStorageUnavailable, isUniqueViolation, isWriteConflict } from './errors.js';
import { transact } from './transact.js';

/** How many events one transaction commits at most. */
const MAX_BATCH = 32;

/** The event loop's next turn (taken as the process starts, so a test's fake timers leave it be). */
const soon = setImmediate;

const SAVEPOINT = new Query('SAVEPOINT event');
const RELEASE = new Query('RELEASE SAVEPOINT event');
const ROLLBACK_TO = new Query('ROLLBACK TO SAVEPOINT event');

interface Waiting<T> {
  fn: (tx: Tx) => Promise<T>;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown; again: boolean };

/**
 * One writer that commits the events waiting for it together: each event runs in its own savepoint
 * of one transaction, so a failing event rolls back alone and is answered as a failure while the
 * others commit; every event is settled only after the commit (rule 1: nothing is acknowledged
 * before it is stored). An event arriving while the writer is idle starts a transaction as soon as
 * the events read in the same turn of the event loop have joined it; those arriving meanwhile wait
 * for the next one. When the transaction as a whole fails (its
 * commit, or a conflict with another instance on PostgreSQL), each event of it runs again alone
 * through `transact`, so one cannot take the others down with it; storage that cannot store now
 * (locked from outside, full) fails them all at once, to be delivered again. `fn` must only touch the
 * database: it may run more than once.
 */
export class GroupCommit {
  private readonly queue: Waiting<unknown>[] = [];
  private running = false;

  constructor(private readonly db: Db) {}

  run<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve, reject } as Waiting<unknown>);
      if (this.running) return;
      this.running = true;
      // Requests read in the same turn of the event loop reach here before this runs: they commit together.
      soon(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.commit(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.running = false;
    }
  }

  private async commit(batch: Waiting<unknown>[]): Promise<void> {
    if (batch.length === 1) return this.alone(batch[0]!);
    let outcomes: Outcome[];
    try {
      outcomes = await transact(this.db, (tx) => this.inSavepoints(tx, batch), { attempts: 1 });
    } catch (err) {
      // Nothing of the batch is stored. Storage that cannot store now fails them all alike (each is
      // answered "retry later"); otherwise each runs on its own, with its own answer.
      if (isStorageUnavailable(err) && !isWriteConflict(err)) for (const waiting of batch) waiting.reject(err);
      else for (const waiting of batch) await this.alone(waiting);
      return;
    }
    for (const [i, waiting] of batch.entries()) {
      const outcome = outcomes[i]!;
      if (outcome.ok) waiting.resolve(outcome.value);
      else if (outcome.again) await this.alone(waiting);
      else waiting.reject(outcome.err);
    }
  }

  /** Each event in its savepoint; what failed is undone alone. */
  private async inSavepoints(tx: Tx, batch: Waiting<unknown>[]): Promise<Outcome[]> {
    const again = providerOf(this.db) === 'postgresql';
    const outcomes: Outcome[] = [];
    const sql = sqlOf(tx);
    for (const waiting of batch) {
      await sql.run(SAVEPOINT, []);
      try {
        const value = await waiting.fn(tx);
        await sql.run(RELEASE, []);
        outcomes.push({ ok: true, value });
      } catch (err) {
        await sql.run(ROLLBACK_TO, []);
        await sql.run(RELEASE, []);
        // Lost to another instance on PostgreSQL: run again alone, after the commit, where transact retries.
        outcomes.push({ ok: false, err, again: again && (isWriteConflict(err) || isUniqueViolation(err)) });
      }
    }
    return outcomes;
  }

  private async alone(waiting: Waiting<unknown>): Promise<void> {
    try {
      waiting.resolve(await transact(this.db, waiting.fn));
    } catch (err) {
      waiting.reject(err);
    }
  }
}
