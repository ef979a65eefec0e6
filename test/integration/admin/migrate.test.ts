import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresMigrationsDir, sqliteMigrationsDir } from '../../../bot/db/migrate.js';
import { localMigrations } from '../../../bot/db/migration-history.js';
import { t as text } from '../../../bot/i18n/zh.js';
import { admin } from '../../helpers/admin.js';
import { createPgDatabase, dropPgDatabase, pgDatabaseUrl, testPgUrl } from '../../helpers/pg.js';

const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-admin-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('helpdesk migrate', () => {
  it('applies the pending migrations to a new SQLite database and says which, then that none is pending', async () => {
    // A relative DATABASE_URL is taken from the working directory, as the bot takes it.
    const first = await admin(['migrate'], { DATABASE_URL: 'file:./data/bot.db' }, dir);
    const file = path.join(dir, 'data', 'bot.db');
    expect(first.err).toEqual([]);
    expect(first.code).toBe(0);
    const names = localMigrations(sqliteMigrationsDir).map((m) => m.name);
    expect(first.out).toEqual([text('admin.migrate.applied', { url: `file:${file}`, n: names.length }), ...names.map((n) => `  ${n}`)]);
    const db = new Database(file, { readonly: true });
    expect(db.prepare(`SELECT COUNT(*) AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`).get()).toEqual({ n: names.length });
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'Ticket'`).get()).toEqual({ name: 'Ticket' });
    db.close();

    const again = await admin(['migrate'], { DATABASE_URL: `file:${file}` });
    expect(again).toEqual({ code: 0, out: [text('admin.migrate.none', { url: `file:${file}` })], err: [] });
  });

  it('fails with one line when the database cannot be migrated', async () => {
    const run = await admin(['migrate'], { DATABASE_URL: 'mysql://db.example/helpdesk' });
    expect(run.code).toBe(1);
    expect(run.err).toEqual([text('admin.failed', { reason: text('admin.db.badUrl', { url: 'mysql://db.example/helpdesk' }) })]);
  });

  it.skipIf(!testPgUrl)('applies the PostgreSQL migrations to an empty PostgreSQL database', async () => {
    const name = await createPgDatabase(testPgUrl!, 'admin_test');
    try {
      const url = pgDatabaseUrl(testPgUrl!, name);
      const run = await admin(['migrate'], { DATABASE_URL: url });
      const names = localMigrations(postgresMigrationsDir).map((m) => m.name);
      expect(run.out).toEqual([text('admin.migrate.applied', { url, n: names.length }), ...names.map((n) => `  ${n}`)]);
      expect((await admin(['migrate'], { DATABASE_URL: url })).out).toEqual([text('admin.migrate.none', { url })]);
    } finally {
      await dropPgDatabase(testPgUrl!, name);
    }
  });
});
