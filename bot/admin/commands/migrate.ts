import { migrateDatabase } from '../../db/migrate.js';
import { t } from '../../i18n/zh.js';
import { defineCommand } from '../command.js';
import { configuredDatabaseUrl, redactUrl } from '../database.js';

/**
 * `helpdesk migrate`: applies the committed migrations the database has not had yet, as the bot
 * does at start (bot/db/migrate.ts), and says which; a database that does not exist yet is created.
 */
export default defineCommand({
  order: 20,
  usage: 'migrate',
  summary: t('admin.migrate.summary'),
  details: t('admin.migrate.details'),
  async run(ctx) {
    const url = configuredDatabaseUrl(ctx);
    const result = await migrateDatabase(url);
    if (result.status === 'up-to-date') ctx.out(t('admin.migrate.none', { url: redactUrl(url) }));
    else if (result.applied.length === 0) ctx.out(t('admin.migrate.done', { url: redactUrl(url) }));
    else {
      ctx.out(t('admin.migrate.applied', { url: redactUrl(url), n: result.applied.length }));
      for (const name of result.applied) ctx.out(`  ${name}`);
    }
    for (const name of result.modified) ctx.err(t('admin.migrate.modified', { name }));
  },
});
