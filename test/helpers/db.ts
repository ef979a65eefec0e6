import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type Db } from '../../bot/db/client.js';
import { Directory } from '../../bot/org/directory.js';
import { loadOrgFile } from '../../bot/org/load.js';
import { syncOrganisation } from '../../bot/org/sync.js';

export const sampleOrgFile = path.resolve(import.meta.dirname, '../../config/organisation.yaml');
export const sampleDirectory = () => new Directory(loadOrgFile(sampleOrgFile));

/** A fresh, migrated database holding the sample organisation. */
export async function freshDatabase(directory = sampleDirectory()): Promise<{ db: Db; url: string; dir: string; directory: Directory; drop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-db-'));
  const file = path.join(dir, 'test.db');
  copyFileSync(inject('templateDb'), file);
  const url = `file:${file}`;
  const db = await openDatabase(url);
  await syncOrganisation(db, directory);
  return {
    db,
    url,
    dir,
    directory,
    async drop() {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
