import { existsSync } from 'node:fs';
import { migrateDatabase, sqliteMigrationState } from '../../db/migrate.js';
import { isPostgres } from '../../db/url.js';
import { t } from '../../i18n/zh.js';
import { AdminError, defineCommand, UsageError } from '../command.js';
import { configuredDatabaseUrl, redactUrl, resolveDatabaseUrl, sqliteFileOf } from '../database.js';
import { copySqliteToPostgres } from '../pg-copy.js';
import { heldByAnother } from '../sqlite-copy.js';

const USAGE = 'migrate-to-postgres --from file:… --to postgresql://…';

/**
 * `helpdesk migrate-to-postgres --from file:… --to postgresql://…`: moves a stopped bot's SQLite
 * database to PostgreSQL (for several instances). The target is migrated first and must be empty;
 * every table is copied with its ids, the autoincrement sequences follow, the ticket counters (the
 * Sequence table) come along, and the row counts of both sides are compared before it commits.
 */
export default defineCommand({
  order: 80,
  usage: USAGE,
  summary: t('admin.pgcopy.summary'),
  details: t('admin.pgcopy.details'),
  options: {
    from: { type: 'string', value: 'file:…', help: t('admin.pgcopy.fromOption') },
    to: { type: 'string', value: 'postgresql://…', help: t('admin.pgcopy.toOption') },
  },
  async run(ctx, _args, options) {
    if (!options.to) throw new UsageError(t('admin.pgcopy.noTarget'), USAGE);
    if (!isPostgres(options.to)) throw new UsageError(t('admin.pgcopy.targetNotPg', { url: redactUrl(options.to) }), USAGE);
    const from = options.from ? resolveDatabaseUrl(options.from, ctx.cwd) : configuredDatabaseUrl(ctx);
    const file = sqliteFileOf(from);
    if (!file) throw new UsageError(t('admin.pgcopy.sourceNotSqlite'), USAGE);
    if (!existsSync(file)) throw new AdminError(t('admin.db.missing', { file }));
    const state = sqliteMigrationState(file);
    if (state.pending.length > 0 || state.failed.length > 0)
      throw new AdminError(t('admin.pgcopy.sourceNotMigrated', { n: state.pending.length + state.failed.length, from }));
    if (heldByAnother(file)) throw new AdminError(t('admin.pgcopy.sourceHeld', { file }));
    const target = redactUrl(options.to);
    const migrated = await migrateDatabase(options.to);
    if (migrated.applied.length > 0) ctx.out(t('admin.pgcopy.migrated', { url: target, n: migrated.applied.length }));
    const counts = await copySqliteToPostgres(file, options.to);
    const width = Math.max(...counts.map((c) => c.table.length));
    ctx.out(t('admin.pgcopy.header'));
    for (const c of [...counts].sort((a, b) => a.table.localeCompare(b.table)))
      ctx.out(`  ${c.table.padEnd(width)}  ${String(c.sqlite).padStart(8)}  ${String(c.postgres).padStart(8)}`);
    ctx.out(t('admin.pgcopy.done', { tables: counts.length, rows: counts.reduce((n, c) => n + c.postgres, 0), url: target }));
  },
});
