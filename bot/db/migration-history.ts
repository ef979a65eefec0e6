import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A committed migration: its folder's name and Prisma's checksum of its migration.sql. */
export interface LocalMigration {
  name: string;
  checksum: string;
  /** The checksums the same script has with its line endings changed, which Prisma accepts too. */
  alternatives: string[];
}

/** A row of Prisma's `_prisma_migrations` table, as far as it matters here. */
export interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

export interface MigrationState {
  /** Committed migrations without a finished, not rolled back row: what `migrate deploy` would apply. */
  pending: string[];
  /** Migrations that started and neither finished nor were rolled back: `migrate deploy` refuses to go on (P3009). */
  failed: string[];
  /** Applied migrations whose migration.sql has changed since (Prisma only warns about them). */
  modified: string[];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The committed migrations in `dir` (one folder each, holding migration.sql), oldest first. */
export function localMigrations(dir: string): LocalMigration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      const lf = sql.replace(/\r\n/g, '\n');
      return { name, checksum: sha256(sql), alternatives: [sha256(lf), sha256(lf.replace(/\n/g, '\r\n'))] };
    });
}

/**
 * Compares the committed migrations with the database's history the way `prisma migrate deploy`
 * does: a migration counts as applied when it has a finished row that was not rolled back (a
 * rolled-back one is applied again); a row neither finished nor rolled back is a failed migration.
 */
export function compareMigrations(local: LocalMigration[], rows: MigrationRow[]): MigrationState {
  const live = rows.filter((r) => r.rolled_back_at === null || r.rolled_back_at === undefined);
  const finished = live.filter((r) => r.finished_at !== null && r.finished_at !== undefined);
  const failed = [...new Set(live.filter((r) => !finished.includes(r)).map((r) => r.migration_name))].sort();
  const pending: string[] = [];
  const modified: string[] = [];
  for (const m of local) {
    const applied = finished.filter((r) => r.migration_name === m.name);
    if (applied.length === 0) pending.push(m.name);
    else if (!applied.some((r) => r.checksum === m.checksum || m.alternatives.includes(r.checksum))) modified.push(m.name);
  }
  return { pending, failed, modified };
}

/** Whether `prisma migrate deploy` has anything to do (or an error to show) for this state. */
export function needsDeploy(state: MigrationState): boolean {
  return state.pending.length > 0 || state.failed.length > 0;
}
