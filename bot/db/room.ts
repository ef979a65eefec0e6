import { statfs } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from './client.js';

/**
 * How many bytes a SQLite database can still grow by: the pages free in the file and those it may
 * still add (PRAGMA max_page_count), and no more than the disk holding it has free. Undefined
 * when it cannot be told (a database in memory, a disk that does not say).
 */
export async function sqliteRoom(db: Db): Promise<number | undefined> {
  const pragma = async (name: string) => {
    const [row] = await db.$queryRawUnsafe<Record<string, bigint | number | string>[]>(`PRAGMA ${name}`);
    return row ? Object.values(row) : [];
  };
  const [pageSize, pageCount, freePages, maxPages] = (await Promise.all(['page_size', 'page_count', 'freelist_count', 'max_page_count'].map(pragma))).map((v) =>
    Number(v[0]),
  ) as [number, number, number, number];
  const inFile = (maxPages - pageCount + freePages) * pageSize;
  const [, , file] = await pragma('database_list');
  if (typeof file !== 'string' || file === '') return Number.isFinite(inFile) ? inFile : undefined;
  try {
    const disk = await statfs(path.dirname(file));
    return Math.min(inFile, Number(disk.bavail) * Number(disk.bsize) + freePages * pageSize);
  } catch {
    return Number.isFinite(inFile) ? inFile : undefined;
  }
}
