/** Default database: a SQLite file under data/. */
export const DEFAULT_DATABASE_URL = 'file:./data/helpdesk.db';

export function databaseUrl(url: string | undefined): string {
  return url && url.length > 0 ? url : DEFAULT_DATABASE_URL;
}

export function isSqlite(url: string): boolean {
  return url.startsWith('file:');
}

export function isPostgres(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}
