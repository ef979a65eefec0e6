import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../../bot/db/migrate.js';

/** Migrates one template database with the real Prisma migrations; each test copies it. */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-test-'));
  const template = path.join(dir, 'template.db');
  await migrateDatabase(`file:${template}`);
  project.provide('templateDb', template);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}
