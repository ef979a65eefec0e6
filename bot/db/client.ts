import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../../generated/prisma/client.js';
import { SerializedSqlite } from './sqlite-connection.js';
import { PreparedSql, PrismaSql, type Sql } from './sql.js';
import { isPostgres, isSqlite } from './url.js';

/**
 * The bot's database client. The SQLite and PostgreSQL clients are generated from the same data
 * model (prisma/postgres/schema.prisma is derived from prisma/schema.prisma), so they share one
 * API; the SQLite client's type stands for both.
 */
export type Db = PrismaClient;
/** The client inside an interactive transaction. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;
export type Provider = 'sqlite' | 'postgresql';

const providers = new WeakMap<object, Provider>();
/** A SQLite client's statements prepared once on its connection, for its transactions. */
const prepared = new WeakMap<object, PreparedSql>();
const sqls = new WeakMap<object, Sql>();

/** Which database a client (or a transaction begun by `transact`) talks to. */
export function providerOf(db: Db | Tx): Provider {
  const known = providers.get(db);
  if (known) return known;
  // A transaction begun without `transact`: Prisma's client (and each of its transactions) knows its own.
  return (db as { _activeProvider?: string })._activeProvider === 'postgresql' ? 'postgresql' : 'sqlite';
}

/** Records that `tx`, a transaction of `db`, talks to the same database. */
export function sameProvider(tx: Tx, db: Db): Tx {
  const provider = providers.get(db);
  if (provider) providers.set(tx, provider);
  const statements = prepared.get(db);
  if (statements) sqls.set(tx, statements);
  return tx;
}

/**
 * How the hot paths run their own statements in `tx`: on SQLite, statements prepared once on the
 * connection the transaction holds; otherwise Prisma's raw queries on `tx`.
 */
export function sqlOf(tx: Db | Tx): Sql {
  let sql = sqls.get(tx);
  if (!sql) {
    sql = new PrismaSql(tx, providerOf(tx));
    sqls.set(tx, sql);
  }
  return sql;
}

/** Opens the database behind `url` through its Prisma driver adapter. */
export async function openDatabase(url: string, opts: { poolSize?: number } = {}): Promise<Db> {
  if (isPostgres(url)) {
    // Loaded only for PostgreSQL: a bot on SQLite carries neither the pg driver nor its client.
    const [{ PrismaPg }, { PrismaClient: PgPrismaClient }] = await Promise.all([import('@prisma/adapter-pg'), import('../../generated/prisma-pg/client.js')]);
    const db = new PgPrismaClient({
      adapter: new PrismaPg({ connectionString: url, max: opts.poolSize ?? 10 }),
    }) as unknown as Db;
    providers.set(db, 'postgresql');
    await db.$queryRawUnsafe('SELECT 1');
    return db;
  }
  if (!isSqlite(url)) throw new Error(`Unsupported DATABASE_URL: ${url.split(':')[0]} (use file:… or postgresql://…)`);
  const file = url.slice('file:'.length);
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // One connection, one writer at a time (SerializedSqlite). The busy timeout is 0: waiting for
  // another process's write lock is retried there without blocking the event loop.
  const adapter = new SerializedSqlite(new PrismaBetterSQLite3({ url: file, timeout: 0 }));
  const db = new PrismaClient({ adapter });
  providers.set(db, 'sqlite');
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  if (adapter.client) prepared.set(db, new PreparedSql(adapter.client));
  // NORMAL is the usual setting with WAL: a commit appends to the log without waiting for fsync
  // (the log is synced at checkpoints). A crash or SIGKILL of the process loses nothing committed;
  // only a power loss or OS crash may lose the last transactions (never corrupting the file). FULL
  // would fsync on every commit, which made each event wait several milliseconds on the disk.
  await db.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
  await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  return db;
}
