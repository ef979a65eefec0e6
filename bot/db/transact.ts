import { setTimeout as sleep } from 'node:timers/promises';
import { providerOf, sameProvider, type Db, type Tx } from './client.js';
import { isUniqueViolation, isWriteConflict } from './errors.js';

/**
 * Prisma errors that mean "another transaction got there first": a serialization failure or
 * deadlock (P2034) or a unique key taken by a concurrent insert (P2002). Running the whole
 * transaction again sees the other's committed work (a dedup key, a claimed fire, a sequence).
 */
function isConflict(err: unknown): boolean {
  return isWriteConflict(err) || isUniqueViolation(err);
}

export interface TransactOptions {
  /** How many times a conflicting transaction runs in all (PostgreSQL). */
  attempts?: number;
}

/**
 * Runs `fn` in one interactive transaction. SQLite serializes writers itself. On PostgreSQL the
 * transaction is SERIALIZABLE, so several bot instances see the same outcome SQLite gives one
 * (one ticket per delivery, one winner per claim); a conflict runs `fn` again after a short,
 * jittered pause. `fn` must only touch the database: it may run more than once.
 */
export async function transact<T>(db: Db, fn: (tx: Tx) => Promise<T>, opts: TransactOptions = {}): Promise<T> {
  const run = (tx: Tx) => fn(sameProvider(tx, db));
  if (providerOf(db) === 'sqlite') return db.$transaction(run, { maxWait: 10_000, timeout: 30_000 });
  const attempts = opts.attempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(run, { isolationLevel: 'Serializable', maxWait: 10_000, timeout: 30_000 });
    } catch (err) {
      if (attempt >= attempts || !isConflict(err)) throw err;
      await sleep(Math.random() * 10 * attempt);
    }
  }
}
