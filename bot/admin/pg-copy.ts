import Database from 'better-sqlite3';
import pg from 'pg';
import { t } from '../i18n/zh.js';
import { AdminError } from './command.js';

/**
 * Copies every table of the bot's SQLite database into a PostgreSQL database migrated to the same
 * model (bot/db's two migration folders describe one schema): parents before the tables that refer
 * to them, in batches, ids as they are, then each autoincrement sequence set past the largest id.
 * Everything is read from one SQLite snapshot and written in one PostgreSQL transaction, which
 * commits only when every table has as many rows on both sides: a failure leaves the target empty.
 */

/** Each database's own migration history: not copied. */
const HISTORY = '_prisma_migrations';
/** PostgreSQL takes at most 65,535 parameters per statement. */
const MAX_PARAMS = 60_000;

export interface TableCount {
  table: string;
  sqlite: number;
  postgres: number;
}

interface SqliteTable {
  name: string;
  columns: string[];
  /** The tables its foreign keys refer to. */
  parents: string[];
}

interface PgColumn {
  name: string;
  type: string;
  /** Filled from a sequence (autoincrement ids). */
  serial: boolean;
}

const q = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

function sqliteTables(db: Database.Database): SqliteTable[] {
  const names = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> ? ORDER BY name`)
    .pluck()
    .all(HISTORY) as string[];
  return names.map((name) => ({
    name,
    columns: (db.pragma(`table_info(${q(name)})`) as { name: string }[]).map((c) => c.name),
    parents: [...new Set((db.pragma(`foreign_key_list(${q(name)})`) as { table: string }[]).map((f) => f.table))].filter((p) => p !== name),
  }));
}

/** The tables with every table a foreign key refers to before it (Kahn's algorithm, by name within a level). */
export function dependencyOrder(tables: readonly { name: string; parents: readonly string[] }[]): string[] {
  const left = new Map(tables.map((table) => [table.name, new Set(table.parents.filter((p) => tables.some((x) => x.name === p)))]));
  const order: string[] = [];
  while (left.size > 0) {
    const ready = [...left].filter(([, parents]) => parents.size === 0).map(([name]) => name);
    if (ready.length === 0) throw new Error(`foreign keys form a cycle among ${[...left.keys()].join(', ')}`);
    for (const name of ready.sort()) {
      order.push(name);
      left.delete(name);
      for (const parents of left.values()) parents.delete(name);
    }
  }
  return order;
}

async function pgTables(client: pg.Client): Promise<Map<string, PgColumn[]>> {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string; column_default: string | null; is_identity: string }>(
    `SELECT table_name, column_name, data_type, column_default, is_identity FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name <> $1 ORDER BY table_name, ordinal_position`,
    [HISTORY],
  );
  const tables = new Map<string, PgColumn[]>();
  for (const r of rows) {
    const columns = tables.get(r.table_name) ?? [];
    columns.push({ name: r.column_name, type: r.data_type, serial: r.is_identity === 'YES' || /^nextval\(/.test(r.column_default ?? '') });
    tables.set(r.table_name, columns);
  }
  return tables;
}

/** A SQLite time as PostgreSQL's `timestamp` takes it: UTC, ISO 8601 (Prisma keeps UTC in both). */
export function timestampOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  let date: Date;
  if (typeof value === 'number' || typeof value === 'bigint') date = new Date(Number(value));
  else {
    const text = String(value);
    // SQLite's CURRENT_TIMESTAMP (column defaults) is UTC without a zone: 2026-11-23 02:00:00.
    date = new Date(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(text) ? `${text.replace(' ', 'T')}Z` : text);
  }
  if (Number.isNaN(date.getTime())) throw new Error(`not a time: ${String(value)}`);
  return date.toISOString();
}

/** How a SQLite value becomes the value of a PostgreSQL column of this type. */
function converter(type: string): (value: unknown) => unknown {
  if (type.startsWith('timestamp') || type === 'date') return timestampOf;
  if (type === 'boolean') return (v) => (v === null ? null : Number(v) !== 0);
  if (type === 'bytea') return (v) => v;
  // Integers are read as BigInt (no precision lost) and handed over as text; JSON stays the text it is.
  return (v) => (typeof v === 'bigint' ? v.toString() : v);
}

/** The target's tables and columns must be the source's: the same migrations applied to both. */
function compareSchemas(source: SqliteTable[], target: Map<string, PgColumn[]>): void {
  for (const table of source) {
    const columns = target.get(table.name);
    if (!columns) throw new AdminError(t('admin.pgcopy.missingTable', { table: table.name }));
    const names = new Set(columns.map((c) => c.name));
    const missing = table.columns.find((c) => !names.has(c));
    if (missing) throw new AdminError(t('admin.pgcopy.missingColumn', { table: table.name, column: missing }));
    const extra = columns.find((c) => !table.columns.includes(c.name));
    if (extra) throw new AdminError(t('admin.pgcopy.extraColumn', { table: table.name, column: extra.name }));
  }
  const extraTable = [...target.keys()].find((name) => !source.some((s) => s.name === name));
  if (extraTable) throw new AdminError(t('admin.pgcopy.extraTable', { table: extraTable }));
}

export async function copySqliteToPostgres(file: string, url: string): Promise<TableCount[]> {
  const source = new Database(file, { readonly: true, fileMustExist: true });
  const client = new pg.Client({ connectionString: url });
  let begun = false;
  try {
    await client.connect();
    // One snapshot of the source for the whole copy.
    source.exec('BEGIN');
    const tables = sqliteTables(source);
    const target = await pgTables(client);
    compareSchemas(tables, target);
    const filled: string[] = [];
    for (const table of tables) if ((await client.query(`SELECT EXISTS (SELECT 1 FROM ${q(table.name)}) AS e`)).rows[0]?.e) filled.push(table.name);
    if (filled.length > 0) throw new AdminError(t('admin.pgcopy.notEmpty', { tables: filled.join('、') }));
    await client.query('BEGIN');
    begun = true;
    const counts: TableCount[] = [];
    for (const name of dependencyOrder(tables)) {
      const { columns } = tables.find((x) => x.name === name)!;
      const types = new Map(target.get(name)!.map((c) => [c.name, c.type]));
      const convert = columns.map((c) => converter(types.get(c)!));
      const batch = Math.max(1, Math.min(500, Math.floor(MAX_PARAMS / columns.length)));
      const read = source
        .prepare(`SELECT rowid AS "__rowid", ${columns.map(q).join(', ')} FROM ${q(name)} WHERE rowid > ? ORDER BY rowid LIMIT ?`)
        .safeIntegers(true);
      const insert = `INSERT INTO ${q(name)} (${columns.map(q).join(', ')}) VALUES `;
      let after = -1n;
      for (;;) {
        const rows = read.all(after, batch) as Record<string, unknown>[];
        if (rows.length === 0) break;
        const values: unknown[] = [];
        const tuples = rows.map((row, r) => `(${columns.map((c, i) => (values.push(convert[i]!(row[c])), `$${r * columns.length + i + 1}`)).join(', ')})`);
        try {
          await client.query(insert + tuples.join(', '), values);
        } catch (err) {
          throw new AdminError(t('admin.pgcopy.insertFailed', { table: name, reason: (err as Error).message }));
        }
        after = rows.at(-1)!.__rowid as bigint;
      }
      const inSqlite = Number(
        source
          .prepare(`SELECT COUNT(*) FROM ${q(name)}`)
          .pluck()
          .get(),
      );
      const inPostgres = Number((await client.query(`SELECT COUNT(*) AS n FROM ${q(name)}`)).rows[0].n);
      counts.push({ table: name, sqlite: inSqlite, postgres: inPostgres });
      if (inSqlite !== inPostgres) throw new AdminError(t('admin.pgcopy.countMismatch', { table: name, sqlite: inSqlite, postgres: inPostgres }));
      // The next id PostgreSQL gives is past every copied one (an empty table starts at 1).
      for (const column of target.get(name)!.filter((c) => c.serial)) {
        await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(${q(column.name)}), 0) + 1, false) FROM ${q(name)}`, [
          q(name),
          column.name,
        ]);
      }
    }
    await client.query('COMMIT');
    begun = false;
    return counts;
  } finally {
    if (begun) await client.query('ROLLBACK').catch(() => undefined);
    if (source.inTransaction) source.exec('ROLLBACK');
    source.close();
    await client.end().catch(() => undefined);
  }
}
