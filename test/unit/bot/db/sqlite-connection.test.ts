import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import { openDatabase, type Db } from '../../../../bot/db/client.js';
import { isStorageUnavailable } from '../../../../bot/db/errors.js';
import { SerializedSqlite } from '../../../../bot/db/sqlite-connection.js';
import { blankDatabase } from '../../../helpers/db.js';

/** A promise and the function that settles it: a transaction held open until the test lets go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe.skipIf(process.env.TEST_DB === 'postgres')('the SQLite connection', () => {
  let db: Db | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await db?.$disconnect();
    await drop?.();
  });

  async function open() {
    const blank = await blankDatabase('sqlite');
    drop = blank.drop;
    db = await openDatabase(blank.url);
    return { db, file: blank.url.slice('file:'.length) };
  }

  it('keeps a write made outside a transaction when that transaction rolls back', async () => {
    const { db } = await open();
    const held = gate();
    const entered = gate();
    const failing = db
      .$transaction(async (tx) => {
        await tx.sequence.create({ data: { key: 'rolled-back', value: 1 } });
        entered.open();
        await held.opened;
        throw new Error('the event failed');
      })
      .catch((err: Error) => err.message);
    await entered.opened;
    // As the outbox worker marks a row sent: a plain write while another event's transaction is open.
    const outside = db.$executeRaw`INSERT INTO "Sequence" ("key", "value") VALUES ('outside', 1)`;
    // Given time to run: it must wait for the open transaction, not run inside it.
    await Promise.race([outside, new Promise((r) => setTimeout(r, 300))]);
    held.open();
    expect(await failing).toBe('the event failed');
    await outside;
    expect((await db.sequence.findMany({ orderBy: { key: 'asc' } })).map((s) => s.key)).toEqual(['outside']);
  });

  it('waits for a write lock held by another process without blocking, and says busy when it is held too long', async () => {
    const { db, file } = await open();
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    // The event loop stays free while the bot waits: a timer set now fires on time.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 100);
    const waiting = db.$transaction((tx) => tx.sequence.create({ data: { key: 'after-the-lock', value: 1 } }));
    await new Promise((r) => setTimeout(r, 1_000));
    other.exec('COMMIT');
    await waiting;
    clearInterval(timer);
    expect(ticks).toBeGreaterThanOrEqual(8);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(await db.sequence.count({ where: { key: 'after-the-lock' } })).toBe(1);

    other.exec('BEGIN IMMEDIATE');
    const refused = await db.$transaction((tx) => tx.sequence.create({ data: { key: 'never', value: 1 } })).catch((err: unknown) => err);
    other.exec('ROLLBACK');
    other.close();
    expect(isStorageUnavailable(refused)).toBe(true);
    // Nothing is wedged: the next transaction goes through at once.
    await db.$transaction((tx) => tx.sequence.create({ data: { key: 'next', value: 1 } }));
    expect(await db.sequence.count({ where: { key: { in: ['never', 'next'] } } })).toBe(1);
  }, 20_000);

  it('recovers from a full database without a restart', async () => {
    const { db } = await open();
    const pages = Number((await db.$queryRawUnsafe<{ page_count: bigint }[]>('PRAGMA page_count'))[0]!.page_count);
    await db.$executeRawUnsafe(`PRAGMA max_page_count = ${pages}`);
    const big = 'x'.repeat(20_000);
    const full = await db.$transaction((tx) => tx.sequence.create({ data: { key: big, value: 1 } })).catch((err: unknown) => err);
    expect(isStorageUnavailable(full)).toBe(true);
    await db.$executeRawUnsafe('PRAGMA max_page_count = 1073741823');
    await db.$transaction((tx) => tx.sequence.create({ data: { key: big, value: 2 } }));
    expect((await db.sequence.findUniqueOrThrow({ where: { key: big } })).value).toBe(2);
  });
});

describe('a COMMIT that fails', () => {
  it('rolls the transaction back and lets the next one in', async () => {
    const statements: string[] = [];
    let failCommit = true;
    const inner: SqlDriverAdapter = {
      provider: 'sqlite',
      adapterName: 'fake',
      queryRaw: async () => ({ columnNames: [], columnTypes: [], rows: [] }),
      executeRaw: async (q: SqlQuery) => (statements.push(q.sql), 1),
      executeScript: async (sql: string) => {
        statements.push(sql);
        if (sql === 'COMMIT' && failCommit) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      },
      startTransaction: async () => {
        throw new Error('not used');
      },
      dispose: async () => undefined,
    };
    const factory: SqlDriverAdapterFactory = { provider: 'sqlite', adapterName: 'fake', connect: async () => inner };
    const connection = await new SerializedSqlite(factory).connect();
    const query = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

    const first = await connection.startTransaction();
    await first.executeRaw(query('INSERT 1'));
    await expect(first.executeRaw(query('COMMIT'))).rejects.toThrow('database or disk is full');
    // Prisma does not call commit() after a failed COMMIT statement: the next transaction still starts.
    failCommit = false;
    const second = await Promise.race([connection.startTransaction(), new Promise<'stuck'>((r) => setTimeout(() => r('stuck'), 500))]);
    expect(second).not.toBe('stuck');
    expect(statements.slice(0, 5)).toEqual(['BEGIN IMMEDIATE', 'INSERT 1', 'COMMIT', 'ROLLBACK', 'BEGIN IMMEDIATE']);
    // A write outside waits for the open transaction to end.
    const outside = connection.executeRaw(query('OUTSIDE 2'));
    await new Promise((r) => setTimeout(r, 20));
    expect(statements).not.toContain('OUTSIDE 2');
    if (second !== 'stuck') {
      await second.executeRaw(query('COMMIT'));
      await second.commit();
    }
    await outside;
    expect(statements.at(-1)).toBe('OUTSIDE 2');
  });
});
