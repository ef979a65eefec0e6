import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareMigrations, localMigrations, needsDeploy, type MigrationRow } from '../../../../bot/db/migration-history.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scripts: Record<string, string> = {
  '20260101000000_init': 'CREATE TABLE "A" ("id" TEXT);\n',
  '20260102000000_second': 'ALTER TABLE "A" ADD COLUMN "b" TEXT;\r\n',
  '20260103000000_third': 'CREATE INDEX "A_b" ON "A"("b");\n',
};
for (const [name, sql] of Object.entries(scripts)) {
  mkdirSync(path.join(dir, name));
  writeFileSync(path.join(dir, name, 'migration.sql'), sql);
}
writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "sqlite"\n');
const local = localMigrations(dir);
const names = Object.keys(scripts);
const done = (name: string, over: Partial<MigrationRow> = {}): MigrationRow => ({
  migration_name: name,
  checksum: sha(scripts[name] ?? name),
  finished_at: '2026-01-01T00:00:00.000+00:00',
  rolled_back_at: null,
  ...over,
});

describe('the migration history', () => {
  it('lists the committed migrations oldest first with the sha256 of their script, as Prisma records it', () => {
    expect(local.map((m) => m.name)).toEqual(names);
    expect(local[0]!.checksum).toBe(sha(scripts[names[0]!]!));
  });

  it('finds nothing to do when every migration has a finished row', () => {
    const state = compareMigrations(
      local,
      names.map((n) => done(n)),
    );
    expect(state).toEqual({ pending: [], failed: [], modified: [] });
    expect(needsDeploy(state)).toBe(false);
  });

  it('finds every migration pending on an empty history, and the missing one on a partial one', () => {
    expect(compareMigrations(local, []).pending).toEqual(names);
    const state = compareMigrations(local, [done(names[0]!), done(names[1]!)]);
    expect(state.pending).toEqual([names[2]]);
    expect(needsDeploy(state)).toBe(true);
  });

  it('makes a failed migration (started, neither finished nor rolled back) lead to deploy, which reports it', () => {
    const state = compareMigrations(local, [done(names[0]!), done(names[1]!), done(names[2]!, { finished_at: null })]);
    expect(state.failed).toEqual([names[2]]);
    expect(state.pending).toEqual([names[2]]);
    expect(needsDeploy(state)).toBe(true);
  });

  it('applies a rolled-back migration again, and counts it applied once a later row finished it', () => {
    const rolledBack = done(names[2]!, { finished_at: null, rolled_back_at: '2026-01-02T00:00:00.000+00:00' });
    const before = compareMigrations(local, [done(names[0]!), done(names[1]!), rolledBack]);
    expect(before).toEqual({ pending: [names[2]], failed: [], modified: [] });
    // Rolled back with an old checksum, then the edited script applied: no warning about the old row.
    const after = compareMigrations(local, [done(names[0]!), done(names[1]!), { ...rolledBack, checksum: sha('old') }, done(names[2]!)]);
    expect(after).toEqual({ pending: [], failed: [], modified: [] });
  });

  it('reports an applied migration whose script changed, without applying it again', () => {
    const state = compareMigrations(local, [done(names[0]!, { checksum: sha('edited') }), done(names[1]!), done(names[2]!)]);
    expect(state).toEqual({ pending: [], failed: [], modified: [names[0]] });
    expect(needsDeploy(state)).toBe(false);
  });

  it('accepts a checksum taken with other line endings, as Prisma does', () => {
    const lf = scripts[names[1]!]!.replace(/\r\n/g, '\n');
    const state = compareMigrations(local, [done(names[0]!), done(names[1]!, { checksum: sha(lf) }), done(names[2]!)]);
    expect(state.modified).toEqual([]);
  });

  it('ignores rows of migrations that are not committed here (a newer build migrated the database)', () => {
    const state = compareMigrations(local, [...names.map((n) => done(n)), done('20270101000000_future', { checksum: 'x' })]);
    expect(needsDeploy(state)).toBe(false);
  });
});
