import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Db } from '../db/client.js';
import { postgresMigrationsDir, sqliteMigrationState } from '../db/migrate.js';
import { compareMigrations, localMigrations, type MigrationRow, type MigrationState } from '../db/migration-history.js';
import { DEFAULT_DATABASE_URL, isPostgres, isSqlite } from '../db/url.js';
import { t } from '../i18n/zh.js';
import { AdminError, type AdminContext } from './command.js';

/**
 * A database URL as the command line takes it: a `file:` URL or a plain path for SQLite (relative to
 * the working directory, as the bot resolves DATABASE_URL), or `postgresql://…`. SQLite comes back
 * with an absolute path, so every tool it is handed to finds the same file.
 */
export function resolveDatabaseUrl(given: string, cwd: string): string {
  if (isPostgres(given)) return given;
  const file = isSqlite(given) ? given.slice('file:'.length) : given;
  if (!file || file === ':memory:') throw new AdminError(t('admin.db.badUrl', { url: given }));
  return `file:${path.resolve(cwd, file)}`;
}

/** The database the bot is configured with: DATABASE_URL, or the default SQLite file under data/. */
export function configuredDatabaseUrl(ctx: AdminContext): string {
  const given = ctx.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (!isSqlite(given) && !isPostgres(given)) throw new AdminError(t('admin.db.badUrl', { url: redactUrl(given) }));
  return resolveDatabaseUrl(given, ctx.cwd);
}

/** The SQLite file of a `file:` URL (undefined for PostgreSQL). */
export const sqliteFileOf = (url: string): string | undefined => (isSqlite(url) ? url.slice('file:'.length) : undefined);

/** A URL fit to print: the password replaced by ***. */
export function redactUrl(url: string): string {
  if (isSqlite(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

/** Where a database stands against the committed migrations (SQLite or PostgreSQL). */
export async function migrationStateOf(url: string): Promise<MigrationState> {
  const file = sqliteFileOf(url);
  if (file) return sqliteMigrationState(file);
  const local = localMigrations(postgresMigrationsDir);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const table = await client.query(`SELECT to_regclass('"_prisma_migrations"') AS t`);
    if (!table.rows[0]?.t) return { pending: local.map((m) => m.name), failed: [], modified: [] };
    const { rows } = await client.query<MigrationRow>('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"');
    return compareMigrations(local, rows);
  } finally {
    await client.end();
  }
}

/**
 * Opens the configured database for a command that reads or changes the bot's data. A SQLite file
 * that does not exist is not created (a mistyped DATABASE_URL would otherwise leave an empty
 * database behind), and a database with migrations pending is refused: `helpdesk migrate` first.
 */
export async function openBotDatabase(ctx: AdminContext): Promise<{ db: Db; url: string }> {
  const url = configuredDatabaseUrl(ctx);
  const file = sqliteFileOf(url);
  if (file && !existsSync(file)) throw new AdminError(t('admin.db.missing', { file }));
  const state = await migrationStateOf(url).catch((err: unknown) => {
    throw new AdminError(t('admin.db.unreachable', { url: redactUrl(url), reason: (err as Error).message }));
  });
  if (state.failed.length > 0 || state.pending.length > 0) throw new AdminError(t('admin.db.notMigrated', { n: state.pending.length + state.failed.length }));
  const { openDatabase } = await import('../db/client.js');
  return { db: await openDatabase(url, { poolSize: 2 }), url };
}

/** Runs `fn` on the bot's database (opened as openBotDatabase does), closing it afterwards whatever happens. */
export async function withBotDatabase<T>(ctx: AdminContext, fn: (db: Db) => Promise<T>): Promise<T> {
  const { db } = await openBotDatabase(ctx);
  try {
    return await fn(db);
  } finally {
    await db.$disconnect();
  }
}
