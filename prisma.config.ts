import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { databaseUrl, isPostgres } from './bot/db/url.js';

// The schema reads DATABASE_URL; give the CLI the bot's default when it is not set.
const url = databaseUrl(process.env.DATABASE_URL);
process.env.DATABASE_URL = url;

// PostgreSQL has its own schema (derived from prisma/schema.prisma) and its own migrations.
const root = isPostgres(url) ? path.join('prisma', 'postgres') : 'prisma';

// The Prisma CLI runs with the JavaScript schema engine and the same driver adapter as the bot,
// so `prisma migrate deploy` / `migrate diff` need no native engine binary.
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(root, 'schema.prisma'),
  migrations: { path: path.join(root, 'migrations') },
  async adapter() {
    return isPostgres(url) ? new PrismaPg({ connectionString: url }) : new PrismaBetterSQLite3({ url });
  },
});
