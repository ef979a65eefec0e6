import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../../generated/prisma/client.js';

export type Db = PrismaClient;
/** The client inside an interactive transaction. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export function isSqlite(url: string): boolean {
  return url.startsWith('file:');
}

/** Opens the database behind `url` through its Prisma driver adapter. */
export async function openDatabase(url: string): Promise<Db> {
  if (!isSqlite(url)) throw new Error(`Unsupported DATABASE_URL for this build: ${url.split(':')[0]}`);
  const file = url.slice('file:'.length);
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // `timeout` is better-sqlite3's busy timeout: writers wait for each other instead of failing.
  const db = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: file, timeout: 5000 }) });
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  return db;
}
