import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../../bot/db/migrate.js';
import { createPgDatabase, dropPgDatabase, pgDatabaseUrl, testPgUrl } from './pg.js';

/**
 * Migrates one template database with the real Prisma migrations; each test copies it. With
 * TEST_PG_URL, a PostgreSQL template database is migrated too (its own migrations).
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-test-'));
  const template = path.join(dir, 'template.db');
  const pgTemplate = testPgUrl ? await createPgDatabase(testPgUrl, 'helpdesk_template') : '';
  await Promise.all([migrateDatabase(`file:${template}`), pgTemplate ? migrateDatabase(pgDatabaseUrl(testPgUrl!, pgTemplate)) : undefined]);
  project.provide('templateDb', template);
  project.provide('templatePg', pgTemplate);
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (pgTemplate) await dropPgDatabase(testPgUrl!, pgTemplate);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
    /** The migrated PostgreSQL template database's name, '' without TEST_PG_URL. */
    templatePg: string;
  }
}
