import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { migratePostgres } from './migrate-pg.js';
import { isPostgres, isSqlite } from './url.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const projectRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/**
 * Applies the committed Prisma migrations (SQLite: `prisma migrate deploy`, JS schema engine, no native
 * binary). Safe to run at every start: applied migrations are skipped.
 */
export async function migrateDatabase(url: string): Promise<void> {
  if (isPostgres(url)) {
    try {
      await migratePostgres(url, path.join(projectRoot, 'prisma', 'postgres', 'migrations'));
    } catch (err) {
      throw new Error(`Database migration failed: ${(err as Error).message}`);
    }
    return;
  }
  if (isSqlite(url)) mkdirSync(path.dirname(path.resolve(url.slice('file:'.length))), { recursive: true });
  const cli = require.resolve('prisma/build/index.js');
  try {
    await run(process.execPath, [cli, 'migrate', 'deploy'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      timeout: 120_000,
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`Database migration failed: ${(e.stderr || e.stdout || e.message).trim()}`);
  }
}
