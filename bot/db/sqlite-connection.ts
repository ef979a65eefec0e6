import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from 'better-sqlite3';
import type { IsolationLevel, SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, SqlResultSet, Transaction } from '@prisma/driver-adapter-utils';
import { cachePreparedStatements } from './statement-cache.js';

/** How long a statement or a transaction's start waits for another process's write lock, retried without blocking. */
const BUSY_WAIT_MS = 8_000;
const BUSY_PAUSE_MS = 25;

/**
 * The bot's one SQLite connection, made safe to share in one process (around Prisma's
 * better-sqlite3 adapter, which runs every query on a single connection):
 *
 * - **One writer at a time.** A query outside a transaction waits while a transaction is open,
 *   instead of running on the same connection inside it and being rolled back with it (the outbox
 *   worker's "sent" marks, any write outside a unit of work).
 * - **The write lock at the start.** A transaction begins with `BEGIN IMMEDIATE`, so it never fails
 *   half-way for want of the lock; when another process holds it, the start is retried every few
 *   milliseconds without blocking the event loop (the busy timeout is 0), and fails as busy after
 *   a few seconds, which the bot answers as "retry later". Whoever waits lets the connection go
 *   between attempts, so the waits run side by side.
 * - **Never wedged.** When COMMIT fails (a full disk, a read-only file) the transaction is rolled
 *   back and the connection released; a ROLLBACK after SQLite already rolled back by itself is not
 *   an error. The adapter alone would keep its lock forever after a failed COMMIT, and every later
 *   transaction would wait for it.
 */
export class SerializedSqlite implements SqlDriverAdapterFactory {
  readonly provider = 'sqlite' as const;
  readonly adapterName: string;
  /** The better-sqlite3 connection once connected (the hot paths prepare their statements on it). */
  client: Database | undefined;

  constructor(private readonly inner: SqlDriverAdapterFactory) {
    this.adapterName = inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const adapter = await this.inner.connect();
    this.client = (adapter as { client?: Database }).client;
    return new SerializedConnection(adapter);
  }
}

class SerializedConnection implements SqlDriverAdapter {
  readonly provider = 'sqlite' as const;
  readonly adapterName: string;
  private readonly lock = new Lock();

  constructor(private readonly inner: SqlDriverAdapter) {
    this.adapterName = inner.adapterName;
    // The adapter's better-sqlite3 connection: each statement is prepared once, not on every query.
    const client = (inner as { client?: Database }).client;
    if (client) cachePreparedStatements(client);
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return whileBusy(() => this.lock.run(() => this.inner.queryRaw(query)));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return whileBusy(() => this.lock.run(() => this.inner.executeRaw(query)));
  }

  executeScript(script: string): Promise<void> {
    return this.lock.run(() => this.inner.executeScript(script));
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    if (isolationLevel && isolationLevel !== 'SERIALIZABLE') return this.inner.startTransaction(isolationLevel);
    // The in-process lock is let go between attempts: everyone waiting for another process's lock
    // waits side by side, not one after another.
    return whileBusy(async () => {
      const release = await this.lock.acquire();
      try {
        await this.inner.executeScript('BEGIN IMMEDIATE');
      } catch (err) {
        release();
        throw err;
      }
      return new SerializedTransaction(this.inner, release);
    });
  }

  getConnectionInfo() {
    return this.inner.getConnectionInfo?.() ?? { supportsRelationJoins: false };
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}

class SerializedTransaction implements Transaction {
  readonly provider = 'sqlite' as const;
  readonly adapterName: string;
  // Prisma sends COMMIT and ROLLBACK as statements, then calls commit() / rollback().
  readonly options = { usePhantomQuery: false };
  private released = false;

  constructor(
    private readonly inner: SqlDriverAdapter,
    private readonly releaseLock: () => void,
  ) {
    this.adapterName = inner.adapterName;
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.inner.queryRaw(query);
  }

  async executeRaw(query: SqlQuery): Promise<number> {
    const sql = query.sql.trim().toUpperCase();
    if (sql === 'COMMIT') return this.commitNow();
    if (sql === 'ROLLBACK') return this.rollbackNow();
    return this.inner.executeRaw(query);
  }

  async commit(): Promise<void> {
    this.release();
  }

  async rollback(): Promise<void> {
    this.release();
  }

  private async commitNow(): Promise<number> {
    try {
      await this.inner.executeScript('COMMIT');
      return 0;
    } catch (err) {
      // The transaction is still open after a failed COMMIT: undo it and let the next one in.
      await this.rollbackQuietly();
      this.release();
      throw err;
    }
  }

  private async rollbackNow(): Promise<number> {
    await this.rollbackQuietly();
    return 0;
  }

  /**
   * SQLite may have rolled back by itself (a full disk, an I/O error): nothing is left to undo. The
   * adapter's executeScript throws before it returns a promise, so both ways of failing are caught.
   */
  private async rollbackQuietly(): Promise<void> {
    try {
      await this.inner.executeScript('ROLLBACK');
    } catch {
      // nothing was open
    }
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.releaseLock();
  }
}

/** Runs `fn` again while SQLite answers busy (another process holds the write lock), for a few seconds at most. */
async function whileBusy<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + BUSY_WAIT_MS;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!isBusy(err) || Date.now() >= deadline) throw err;
      await sleep(BUSY_PAUSE_MS);
    }
  }
}

/** SQLITE_BUSY, as better-sqlite3 raises it or as the adapter wraps it. */
export function isBusy(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { originalCode?: unknown } } | null;
  return e?.code === 'SQLITE_BUSY' || e?.cause?.originalCode === 'SQLITE_BUSY';
}

/** A first-come, first-served lock: one holder at a time. */
class Lock {
  private tail: Promise<void> = Promise.resolve();

  /** Waits for the lock; resolves with the function that releases it. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return ready;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
