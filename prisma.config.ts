import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { databaseUrl } from './bot/db/url.js';

// The schema reads DATABASE_URL; give the CLI the bot's default when it is not set.
process.env.DATABASE_URL = databaseUrl(process.env.DATABASE_URL);

// The Prisma CLI runs with the JavaScript schema engine and the same driver adapter as the bot,
// so `prisma migrate deploy` / `migrate diff` need no native engine binary.
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    return new PrismaBetterSQLite3({ url: databaseUrl(process.env.DATABASE_URL) });
  },
});
