import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sqliteMigrationsDir } from '../db/migrate.js';
import { compareMigrations, localMigrations, type MigrationRow } from '../db/migration-history.js';
import { t } from '../i18n/zh.js';
import { AdminError } from './command.js';
import { temporaryBeside } from './files.js';

/** Pages copied per step of an online backup: all of them, so the copy is one read of one snapshot. */
const ALL_PAGES = 0x7fffffff;

/** What a copied database holds, as far as the operator needs to know. */
export interface CopySummary {
  bytes: number;
  tickets: number;
  /** The newest migration it has had. */
  migration: string | undefined;
}

const codeOf = (err: unknown) => (err as { code?: string }).code ?? '';

/**
 * Copies the SQLite database `source` to `target` through SQLite's online backup API (better-sqlite3's
 * `db.backup()`), on a connection of its own: consistent even while the bot writes to it in another
 * process, WAL included. The copy is written beside the target, made self-contained (rollback
 * journal, no -wal file), checked with `PRAGMA integrity_check`, then renamed into place.
 */
export async function copySqlite(source: string, target: string, opts: { readonly?: boolean } = {}): Promise<CopySummary> {
  mkdirSync(path.dirname(target), { recursive: true });
  const tmp = temporaryBeside(target);
  try {
    const from = new Database(source, { fileMustExist: true, readonly: opts.readonly ?? false, timeout: 8_000 });
    try {
      // One step copies every page while holding one read transaction: a write by the bot meanwhile
      // can only restart the copy of a step, never mix two states of the database.
      await from.backup(tmp, { progress: () => ALL_PAGES });
    } finally {
      from.close();
    }
    const copy = new Database(tmp);
    let summary: Omit<CopySummary, 'bytes'>;
    try {
      copy.pragma('journal_mode = DELETE');
      const problem = integrityProblem(copy);
      if (problem) throw new AdminError(t('admin.sqlite.copyCorrupt', { problem }));
      summary = summaryOf(copy);
    } finally {
      copy.close();
    }
    renameSync(tmp, target);
    return { ...summary, bytes: statSync(target).size };
  } finally {
    rmSync(tmp, { force: true });
    rmSync(`${tmp}-journal`, { force: true });
  }
}

/** The first problem `PRAGMA integrity_check` finds, or undefined when the database is intact. */
function integrityProblem(db: Database.Database): string | undefined {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  return rows.length === 1 && rows[0]!.integrity_check === 'ok' ? undefined : (rows[0]?.integrity_check ?? '?');
}

function summaryOf(db: Database.Database): Omit<CopySummary, 'bytes'> {
  const has = (table: string) => !!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table);
  const tickets = has('Ticket') ? (db.prepare('SELECT COUNT(*) AS n FROM "Ticket"').get() as { n: number }).n : 0;
  const migration = has('_prisma_migrations')
    ? (
        db.prepare('SELECT MAX(migration_name) AS m FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL').get() as {
          m: string | null;
        }
      ).m
    : null;
  return { tickets, migration: migration ?? undefined };
}

/** What a backup file holds, once it has been found intact and of this program's migrations. */
export interface BackupInfo extends Omit<CopySummary, 'bytes'> {
  /** Migrations of this program the backup has not had: the bot applies them at its next start. */
  pending: string[];
}

/**
 * Checks a backup before anything is restored from it: a SQLite database, intact (`PRAGMA
 * integrity_check`), with a migration history that this program knows (no failed migration, none
 * newer than its own).
 */
export function inspectBackup(file: string, shown: string): BackupInfo {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new AdminError(t('admin.sqlite.notDatabase', { file: shown, reason: (err as Error).message }));
  }
  try {
    let problem: string | undefined;
    try {
      problem = integrityProblem(db);
    } catch (err) {
      throw new AdminError(t('admin.sqlite.notDatabase', { file: shown, reason: (err as Error).message }));
    }
    if (problem) throw new AdminError(t('admin.sqlite.corrupt', { file: shown, problem }));
    if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get())
      throw new AdminError(t('admin.sqlite.noHistory', { file: shown }));
    const rows = db.prepare('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"').all() as MigrationRow[];
    const local = localMigrations(sqliteMigrationsDir);
    const state = compareMigrations(local, rows);
    if (state.failed.length > 0) throw new AdminError(t('admin.sqlite.failedMigration', { file: shown, name: state.failed[0]! }));
    const known = new Set(local.map((m) => m.name));
    const newer = rows.find((r) => r.finished_at !== null && r.rolled_back_at === null && !known.has(r.migration_name));
    if (newer) throw new AdminError(t('admin.sqlite.newer', { file: shown, name: newer.migration_name }));
    return { ...summaryOf(db), pending: state.pending };
  } finally {
    db.close();
  }
}

/**
 * Whether another connection (a running bot) has the database open. In WAL mode, leaving it needs
 * every other connection closed, so the switch to a rollback journal is the test; it also folds a
 * WAL a stopped bot left behind into the file. Otherwise an exclusive lock is tried. A file that is
 * no database at all is held by nobody.
 */
export function heldByAnother(file: string): boolean {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 0 });
  } catch (err) {
    if (codeOf(err) === 'SQLITE_BUSY') return true;
    return false;
  }
  try {
    if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal') {
      return String(db.pragma('journal_mode = DELETE', { simple: true })).toLowerCase() !== 'delete';
    }
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
    return false;
  } catch (err) {
    const code = codeOf(err);
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return true;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return false;
    throw err;
  } finally {
    db.close();
  }
}

/** The files SQLite keeps beside a database (its write-ahead log and shared memory, a rollback journal). */
export const companionsOf = (file: string) => [`${file}-wal`, `${file}-shm`, `${file}-journal`];

/** Whether a database, or anything SQLite keeps beside it, is at `file`. */
export const sqliteExists = (file: string) => [file, ...companionsOf(file)].some((f) => existsSync(f));
