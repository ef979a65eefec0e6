import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { compareMigrations, localMigrations, needsDeploy, type MigrationRow, type MigrationState } from './migration-history.js';
import { migratePostgres } from './migrate-pg.js';
import { isPostgres, isSqlite } from './url.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/**
 * The project root (package.json, prisma/, prisma.config.ts): the nearest folder above this
 * module that holds them, so the same code finds the migrations from bot/db/ and from dist/bot/db/.
 */
export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'prisma', 'migrations'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '../..');
  }
}

export const sqliteMigrationsDir = path.join(projectRoot, 'prisma', 'migrations');
export const postgresMigrationsDir = path.join(projectRoot, 'prisma', 'postgres', 'migrations');

export interface MigrationResult {
  /** `up-to-date`: nothing was pending and no migration ran; `migrated`: pending migrations were applied. */
  status: 'up-to-date' | 'migrated';
  /** The migrations that were pending and have been applied. */
  applied: string[];
  /** Applied migrations whose migration.sql has changed since: not applied again, worth a warning. */
  modified: string[];
}

export interface MigrateOptions {
  /** Runs `prisma migrate deploy` on a SQLite database; tests pass a spy around the real one. */
  deploy?: (url: string) => Promise<void>;
}

/**
 * Where a SQLite database stands against the committed migrations, read from its
 * `_prisma_migrations` table with better-sqlite3 (read-only; a missing file or table means all
 * are pending).
 */
export function sqliteMigrationState(file: string, migrationsDir = sqliteMigrationsDir): MigrationState {
  const local = localMigrations(migrationsDir);
  const allPending = { pending: local.map((m) => m.name), failed: [], modified: [] };
  if (!existsSync(file)) return allPending;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
    if (!table) return allPending;
    const rows = db.prepare('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"').all() as MigrationRow[];
    return compareMigrations(local, rows);
  } finally {
    db.close();
  }
}

/** `prisma migrate deploy` in a child process (the JS schema engine through prisma.config.ts, no native binary). */
export async function prismaMigrateDeploy(url: string): Promise<void> {
  const cli = require.resolve('prisma/build/index.js');
  try {
    await run(process.execPath, [cli, 'migrate', 'deploy'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      timeout: 120_000,
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`Database migration failed: ${(e.stderr || e.stdout || e.message).trim()}`, { cause: err });
  }
}

/**
 * Applies the committed migrations. SQLite: the database's migration history is read first, and
 * `prisma migrate deploy` (1–2 s and a large child process) runs only when a migration is pending
 * or one failed earlier (deploy then reports the failure); when the history cannot be read, deploy
 * runs and decides. PostgreSQL: applied in-process (see migrate-pg.ts). Safe at every start.
 */
export async function migrateDatabase(url: string, opts: MigrateOptions = {}): Promise<MigrationResult> {
  if (isPostgres(url)) {
    try {
      const { applied, modified } = await migratePostgres(url, postgresMigrationsDir);
      return { status: applied.length > 0 ? 'migrated' : 'up-to-date', applied, modified };
    } catch (err) {
      throw new Error(`Database migration failed: ${(err as Error).message}`, { cause: err });
    }
  }
  const deploy = opts.deploy ?? prismaMigrateDeploy;
  if (!isSqlite(url) || url === 'file::memory:') {
    await deploy(url);
    return { status: 'migrated', applied: [], modified: [] };
  }
  // The file the bot opens (relative to the working directory, as openDatabase resolves it); the
  // CLI, which runs in the project root, gets its absolute path.
  const file = path.resolve(url.slice('file:'.length));
  let before: MigrationState | undefined;
  try {
    before = sqliteMigrationState(file);
  } catch {
    before = undefined; // unreadable history (not a database, locked, …): deploy says what is wrong
  }
  if (before && !needsDeploy(before)) return { status: 'up-to-date', applied: [], modified: before.modified };
  mkdirSync(path.dirname(file), { recursive: true });
  await deploy(`file:${file}`);
  let after: MigrationState | undefined;
  try {
    after = sqliteMigrationState(file);
  } catch {
    after = undefined;
  }
  return { status: 'migrated', applied: before?.pending ?? [], modified: after?.modified ?? [] };
}
