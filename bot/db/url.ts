/** Default database: a SQLite file under data/. */
export const DEFAULT_DATABASE_URL = 'file:./data/helpdesk.db';

export function databaseUrl(url: string | undefined): string {
  return url && url.length > 0 ? url : DEFAULT_DATABASE_URL;
}
