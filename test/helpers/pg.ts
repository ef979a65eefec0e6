import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A PostgreSQL server for tests, given by `TEST_PG_URL` (an admin connection, e.g.
 * postgresql://postgres:postgres@127.0.0.1:5432/postgres). Without it, PostgreSQL tests skip.
 */
export const testPgUrl = process.env.TEST_PG_URL || undefined;

/** The URL of database `name` on the test server. */
export function pgDatabaseUrl(admin: string, name: string): string {
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(admin: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates a database (from `template` when given) and returns its name. */
export async function createPgDatabase(admin: string, prefix: string, template?: string): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdmin(admin, async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
        return;
      } catch (err) {
        // Copying a template fails while another copy of it is being made: try again.
        if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  });
  return name;
}

export async function dropPgDatabase(admin: string, name: string): Promise<void> {
  await withAdmin(admin, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
