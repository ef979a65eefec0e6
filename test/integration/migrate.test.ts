import { cpSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { openDatabase } from '../../bot/db/client.js';
import { migratePostgres } from '../../bot/db/migrate-pg.js';
import { migrateDatabase, postgresMigrationsDir, prismaMigrateDeploy, sqliteMigrationsDir, sqliteMigrationState } from '../../bot/db/migrate.js';
import { localMigrations } from '../../bot/db/migration-history.js';
import { createPgDatabase, dropPgDatabase, pgDatabaseUrl, testPgUrl } from '../helpers/pg.js';

const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const committed = localMigrations(sqliteMigrationsDir).map((m) => m.name);
const latest = committed.at(-1)!;
/** A spy around the real `prisma migrate deploy`. */
const realDeploy = () => vi.fn(prismaMigrateDeploy);
const copyOfTemplate = (name: string) => {
  const file = path.join(dir, name);
  copyFileSync(inject('templateDb'), file);
  return file;
};
const rows = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at').all() as { migration_name: string }[];
  } finally {
    db.close();
  }
};

describe('migrating a SQLite database at start', () => {
  it('creates and migrates a fresh database with prisma migrate deploy', async () => {
    const file = path.join(dir, 'fresh', 'bot.db');
    const deploy = realDeploy();
    const result = await migrateDatabase(`file:${file}`, { deploy });
    expect(deploy).toHaveBeenCalledTimes(1);
    expect(result).toEqual({ status: 'migrated', applied: committed, modified: [] });
    expect(sqliteMigrationState(file)).toEqual({ pending: [], failed: [], modified: [] });
  });

  it('does not start the migration tool on a database that is up to date, even one the bot has opened in WAL mode', async () => {
    const file = copyOfTemplate('migrated.db');
    const db = await openDatabase(`file:${file}`);
    await db.$queryRawUnsafe('SELECT 1');
    const deploy = vi.fn(async () => {});
    expect(await migrateDatabase(`file:${file}`, { deploy })).toEqual({ status: 'up-to-date', applied: [], modified: [] });
    await db.$disconnect();
    expect(await migrateDatabase(`file:${file}`, { deploy })).toEqual({ status: 'up-to-date', applied: [], modified: [] });
    expect(deploy).not.toHaveBeenCalled();
  });

  it('applies the latest migration to a database that lacks it, then is up to date', async () => {
    // The database as the previous release left it: every committed migration but the latest,
    // recorded in a _prisma_migrations table made as Prisma makes it.
    const template = new Database(inject('templateDb'), { readonly: true });
    const { sql: historyTable } = template.prepare(`SELECT sql FROM sqlite_master WHERE name = '_prisma_migrations'`).get() as { sql: string };
    const history = template.prepare('SELECT * FROM "_prisma_migrations" WHERE migration_name != ?').all(latest) as Record<string, unknown>[];
    template.close();
    const file = path.join(dir, 'behind.db');
    const db = new Database(file);
    for (const name of committed.slice(0, -1)) db.exec(readMigration(sqliteMigrationsDir, name));
    db.exec(historyTable);
    const insert = db.prepare(
      `INSERT INTO "_prisma_migrations" (${Object.keys(history[0]!).join(', ')}) VALUES (${Object.keys(history[0]!)
        .map((k) => `@${k}`)
        .join(', ')})`,
    );
    for (const row of history) insert.run(row);
    db.close();
    expect(sqliteMigrationState(file).pending).toEqual([latest]);

    const deploy = realDeploy();
    expect(await migrateDatabase(`file:${file}`, { deploy })).toEqual({ status: 'migrated', applied: [latest], modified: [] });
    expect(deploy).toHaveBeenCalledTimes(1);
    expect(rows(file).map((r) => r.migration_name)).toEqual(committed);
    expect(await migrateDatabase(`file:${file}`, { deploy })).toMatchObject({ status: 'up-to-date' });
    expect(deploy).toHaveBeenCalledTimes(1);
  });

  it('runs deploy for a migration that failed earlier, so its error shows', async () => {
    const file = copyOfTemplate('failed.db');
    const db = new Database(file);
    db.prepare(`UPDATE "_prisma_migrations" SET finished_at = NULL, logs = 'failed' WHERE migration_name = ?`).run(latest);
    db.close();
    const deploy = realDeploy();
    await expect(migrateDatabase(`file:${file}`, { deploy })).rejects.toThrow(new RegExp(`Database migration failed:[\\s\\S]*${latest}`));
    expect(deploy).toHaveBeenCalledTimes(1);
  });

  it('runs deploy for a migration marked rolled back, which applies it again', async () => {
    const file = copyOfTemplate('rolled-back.db');
    const db = new Database(file);
    db.prepare(`UPDATE "_prisma_migrations" SET rolled_back_at = finished_at WHERE migration_name = ?`).run(latest);
    db.close();
    const deploy = vi.fn(async () => {});
    expect(await migrateDatabase(`file:${file}`, { deploy })).toMatchObject({ status: 'migrated', applied: [latest] });
    expect(deploy).toHaveBeenCalledWith(`file:${file}`);
  });

  it('warns, without deploying, about an applied migration that has been edited since', async () => {
    const file = copyOfTemplate('edited.db');
    const db = new Database(file);
    db.prepare(`UPDATE "_prisma_migrations" SET checksum = 'edited' WHERE migration_name = ?`).run(committed[0]);
    db.close();
    const deploy = vi.fn(async () => {});
    expect(await migrateDatabase(`file:${file}`, { deploy })).toEqual({ status: 'up-to-date', applied: [], modified: [committed[0]] });
    expect(deploy).not.toHaveBeenCalled();
  });

  it('leaves a file that is not a database to deploy, which says what is wrong', async () => {
    const file = path.join(dir, 'not-a-database.db');
    copyFileSync(path.join(sqliteMigrationsDir, committed[0]!, 'migration.sql'), file);
    const deploy = vi.fn(async () => {});
    expect(await migrateDatabase(`file:${file}`, { deploy })).toMatchObject({ status: 'migrated' });
    expect(deploy).toHaveBeenCalledTimes(1);
  });
});

function readMigration(migrationsDir: string, name: string): string {
  return readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
}

describe.skipIf(!testPgUrl)('migrating a PostgreSQL database at start', () => {
  const pgCommitted = localMigrations(postgresMigrationsDir).map((m) => m.name);

  it('migrates a fresh database, is then up to date, and applies a migration added later', async () => {
    const name = await createPgDatabase(testPgUrl!, 'helpdesk_migrate');
    const url = pgDatabaseUrl(testPgUrl!, name);
    try {
      // The previous release's migrations: all but the latest.
      const older = path.join(dir, 'pg-older');
      for (const m of pgCommitted.slice(0, -1)) cpSync(path.join(postgresMigrationsDir, m), path.join(older, m), { recursive: true });
      expect(await migratePostgres(url, older)).toEqual({ applied: pgCommitted.slice(0, -1), modified: [] });
      expect(await migrateDatabase(url)).toEqual({ status: 'migrated', applied: [pgCommitted.at(-1)], modified: [] });
      expect(await migrateDatabase(url)).toEqual({ status: 'up-to-date', applied: [], modified: [] });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows: done } = await client.query('SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name');
      await client.end();
      expect(done.map((r: { migration_name: string }) => r.migration_name)).toEqual(pgCommitted);
    } finally {
      await dropPgDatabase(testPgUrl!, name);
    }
  });
});
