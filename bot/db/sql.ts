import Database, { type Statement } from 'better-sqlite3';
import type { Provider, Tx } from './client.js';

/**
 * The columns of a row that need turning into their JavaScript values: SQLite keeps times as ISO
 * text and JSON as text; PostgreSQL's driver hands them over as they are.
 */
export interface RowShape {
  dates?: readonly string[];
  json?: readonly string[];
  bools?: readonly string[];
}

/**
 * One SQL statement of a hot path, written once for both databases: parameters are `$1`, `$2`…, a
 * JSON parameter is `$n::jsonb`; identifiers are double-quoted. Its SQLite text is derived once.
 */
export class Query {
  /** SQLite's text: anonymous `?` parameters (better-sqlite3 takes no numbered ones)… */
  readonly sqlite: string;
  /** …and which of the arguments each `?` takes, in order. */
  private readonly order: number[] = [];

  constructor(
    readonly pg: string,
    readonly shape: RowShape = {},
  ) {
    this.sqlite = pg.replace(/::jsonb/g, '').replace(/\$(\d+)/g, (_, n: string) => (this.order.push(Number(n) - 1), '?'));
  }

  /** The arguments in the order SQLite's text takes them. */
  sqliteArgs(args: readonly unknown[]): unknown[] {
    return this.order.map((i) => toSqlite(args[i]));
  }
}

/** The statements of hot paths run through this, inside the caller's transaction. */
export interface Sql {
  readonly provider: Provider;
  rows<T>(query: Query, args: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; resolves with how many rows it changed. */
  run(query: Query, args: readonly unknown[]): Promise<number>;
}

/** SQLite's text for a time, as Prisma writes it (so times compare as text the same way). */
export const sqliteTime = (d: Date) => d.toISOString().replace('Z', '+00:00');

function toSqlite(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return sqliteTime(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
}

function toPg(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) return JSON.stringify(value);
  return value;
}

/** A row with its times, JSON (kept as text by SQLite) and flags as JavaScript values, whichever form the driver gave them in. */
function decode<T>(row: Record<string, unknown>, shape: RowShape, jsonAsText: boolean): T {
  for (const key in row) if (typeof row[key] === 'bigint') row[key] = Number(row[key]);
  for (const key of shape.dates ?? []) {
    const v = row[key];
    if (typeof v === 'string' || typeof v === 'number') row[key] = new Date(v);
  }
  for (const key of jsonAsText ? (shape.json ?? []) : []) {
    const v = row[key];
    if (typeof v === 'string') row[key] = JSON.parse(v);
  }
  for (const key of shape.bools ?? []) {
    const v = row[key];
    if (typeof v === 'number') row[key] = v !== 0;
  }
  return row as T;
}

/**
 * SQLite: each statement prepared once on the very connection Prisma uses. Only ever used inside a
 * transaction of that connection (which holds its one writer lock), so its statements are part of it.
 */
export class PreparedSql implements Sql {
  readonly provider = 'sqlite' as const;
  private readonly statements = new Map<Query, Statement<unknown[]>>();

  constructor(private readonly client: Database.Database) {}

  private statement(query: Query): Statement<unknown[]> {
    let stmt = this.statements.get(query);
    if (!stmt) {
      // The connection's own prepare (Prisma's queries go through a cache in front of it).
      stmt = Database.prototype.prepare.call(this.client, query.sqlite) as Statement<unknown[]>;
      stmt.safeIntegers(false);
      this.statements.set(query, stmt);
    }
    return stmt;
  }

  rows<T>(query: Query, args: readonly unknown[]): Promise<T[]> {
    try {
      const rows = this.statement(query).all(query.sqliteArgs(args)) as Record<string, unknown>[];
      return Promise.resolve(rows.map((row) => decode<T>(row, query.shape, true)));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  run(query: Query, args: readonly unknown[]): Promise<number> {
    try {
      return Promise.resolve(this.statement(query).run(query.sqliteArgs(args)).changes);
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

/** Through Prisma's raw queries on the transaction (PostgreSQL, or a client not begun by `transact`). */
export class PrismaSql implements Sql {
  constructor(
    private readonly tx: Tx,
    readonly provider: Provider,
  ) {}

  async rows<T>(query: Query, args: readonly unknown[]): Promise<T[]> {
    const pg = this.provider === 'postgresql';
    const rows = await this.tx.$queryRawUnsafe<Record<string, unknown>[]>(pg ? query.pg : query.sqlite, ...(pg ? args.map(toPg) : query.sqliteArgs(args)));
    return rows.map((row) => decode<T>(row, query.shape, !pg));
  }

  run(query: Query, args: readonly unknown[]): Promise<number> {
    const pg = this.provider === 'postgresql';
    return this.tx.$executeRawUnsafe(pg ? query.pg : query.sqlite, ...(pg ? args.map(toPg) : query.sqliteArgs(args)));
  }
}
