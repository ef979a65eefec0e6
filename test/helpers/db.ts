import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type Db } from '../../bot/db/client.js';
import { Directory } from '../../bot/org/directory.js';
import { loadOrgFile } from '../../bot/org/load.js';
import { syncOrganisation } from '../../bot/org/sync.js';
import { createPgDatabase, dropPgDatabase, pgDatabaseUrl, testPgUrl } from './pg.js';

export const sampleOrgFile = path.resolve(import.meta.dirname, '../../config/organisation.yaml');
export const sampleDirectory = () => new Directory(loadOrgFile(sampleOrgFile));

/** Which database tests run on: SQLite unless TEST_DB=postgres (which needs TEST_PG_URL). */
export const testDatabaseKind: 'sqlite' | 'postgres' = process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

export interface TestDatabase {
  db: Db;
  url: string;
  /** A scratch directory (attachments, the SQLite file). */
  dir: string;
  directory: Directory;
  drop(): Promise<void>;
}

/** An empty, migrated database: a copy of the template made once per run. */
export async function blankDatabase(kind = testDatabaseKind): Promise<{ url: string; dir: string; drop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-db-'));
  if (kind === 'postgres') {
    if (!testPgUrl || !inject('templatePg')) throw new Error('TEST_DB=postgres needs TEST_PG_URL (an admin URL of a PostgreSQL server)');
    const name = await createPgDatabase(testPgUrl, 'helpdesk_test', inject('templatePg'));
    return {
      url: pgDatabaseUrl(testPgUrl, name),
      dir,
      async drop() {
        await dropPgDatabase(testPgUrl!, name);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const file = path.join(dir, 'test.db');
  copyFileSync(inject('templateDb'), file);
  return { url: `file:${file}`, dir, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh, migrated database holding the sample organisation. */
export async function freshDatabase(directory = sampleDirectory(), kind = testDatabaseKind): Promise<TestDatabase> {
  const blank = await blankDatabase(kind);
  const db = await openDatabase(blank.url);
  await syncOrganisation(db, directory);
  return {
    db,
    url: blank.url,
    dir: blank.dir,
    directory,
    async drop() {
      // Work a stopped bot left running (a wake-up still catching up on a loaded machine) holds its
      // connection until it ends; past a while the database is dropped under it all the same.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([db.$disconnect(), new Promise((resolve) => (timer = setTimeout(resolve, DISCONNECT_WAIT_MS)))]);
      clearTimeout(timer);
      await blank.drop();
    },
  };
}

/** How long dropping a test database waits for its connections to close by themselves. */
const DISCONNECT_WAIT_MS = 15_000;
