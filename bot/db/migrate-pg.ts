import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { compareMigrations, localMigrations, type MigrationRow } from './migration-history.js';

/** The same advisory lock Prisma Migrate takes, so this and `prisma migrate` never run at once. */
const MIGRATION_LOCK = 72707369;

/**
 * Applies the committed PostgreSQL migrations (prisma/postgres/migrations), recording them in
 * Prisma's `_prisma_migrations` table with Prisma's checksums, so `prisma migrate status` agrees.
 * Prisma's own `migrate deploy` cannot run through the pg driver adapter yet (its schema engine
 * cannot read PostgreSQL's `name` columns, prisma/prisma#27403). Each migration runs in its own
 * transaction; the advisory lock keeps instances starting together from applying one twice.
 * Returns the migrations applied, and the applied ones whose migration.sql has changed since.
 */
export async function migratePostgres(url: string, migrationsDir: string): Promise<{ applied: string[]; modified: string[] }> {
  const migrations = localMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query<MigrationRow>('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"');
    const state = compareMigrations(migrations, rows);
    if (state.failed.length > 0) throw new Error(`migration ${state.failed[0]} failed earlier; resolve it before starting`);
    for (const { name, checksum } of migrations) {
      if (!state.pending.includes(name)) continue;
      const sql = readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      try {
        await client.query('BEGIN');
        await client.query(sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), checksum, name],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${name}: ${(err as Error).message}`, { cause: err });
      }
      applied.push(name);
    }
    return { applied, modified: state.modified };
  } finally {
    await client.end();
  }
}
