import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../../..');
const read = (p: string) => readFileSync(path.join(root, p), 'utf8');

describe('the PostgreSQL schema', () => {
  it('is the SQLite data model with only the provider and the client location changed', () => {
    // Exits non-zero, naming the command to run, when prisma/schema.prisma changed without it.
    expect(() => execFileSync(process.execPath, ['prisma/postgres/derive-schema.mjs', '--check'], { cwd: root, stdio: 'pipe' })).not.toThrow();
    const model = (text: string) => text.slice(text.indexOf('model '));
    expect(model(read('prisma/postgres/schema.prisma'))).toBe(model(read('prisma/schema.prisma')));
    expect(read('prisma/postgres/schema.prisma')).toContain('provider = "postgresql"');
  });

  it('has a migration creating every table and index the SQLite migrations create', () => {
    // Replays the migrations' CREATE / DROP / RENAME statements in order: the tables and indexes that exist at the end.
    const live = (dir: string) => {
      const made = new Set<string>();
      const entries = execFileSync('ls', [dir], { cwd: root })
        .toString()
        .trim()
        .split('\n')
        .filter((e) => !e.endsWith('.toml'));
      for (const entry of entries) {
        const sql = read(path.join(dir, entry, 'migration.sql'));
        for (const m of sql.matchAll(
          /CREATE (?:UNIQUE )?(?:TABLE|INDEX) "([^"]+)"|DROP (?:TABLE|INDEX) "([^"]+)"|ALTER TABLE "([^"]+)" RENAME TO "([^"]+)"/g,
        )) {
          if (m[1]) made.add(m[1]);
          if (m[2]) made.delete(m[2]);
          if (m[3] && m[4]) {
            made.delete(m[3]);
            made.add(m[4]);
          }
        }
      }
      return [...made].sort();
    };
    expect(live('prisma/postgres/migrations')).toEqual(live('prisma/migrations'));
  });
});
