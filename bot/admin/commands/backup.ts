import { existsSync } from 'node:fs';
import path from 'node:path';
import { t } from '../../i18n/zh.js';
import { AdminError, defineCommand } from '../command.js';
import { configuredDatabaseUrl, redactUrl, sqliteFileOf } from '../database.js';
import { refuseToOverwrite, sizeText } from '../files.js';
import { copySqlite } from '../sqlite-copy.js';

/** A PostgreSQL URL as libpq takes it (pg_dump, pg_restore): Prisma's own parameters left out, the password hidden. */
export function libpqUrl(url: string): string {
  const parsed = new URL(url);
  for (const key of [...parsed.searchParams.keys()]) if (key !== 'sslmode') parsed.searchParams.delete(key);
  return redactUrl(parsed.toString());
}

/**
 * `helpdesk backup <file>`: a consistent copy of the SQLite database while the bot keeps running
 * (SQLite's online backup API on a connection of this process), checked and self-contained. A
 * PostgreSQL database is backed up with pg_dump: the command prints how, and exits 1.
 */
export default defineCommand({
  order: 60,
  usage: 'backup <file>',
  summary: t('admin.backup.summary'),
  details: t('admin.backup.details'),
  options: { force: { type: 'boolean', help: t('admin.backup.forceOption') } },
  positionals: [1, 1],
  async run(ctx, [file], options) {
    const url = configuredDatabaseUrl(ctx);
    const source = sqliteFileOf(url);
    if (!source) {
      for (const line of t('admin.backup.pgDump', { file: file!, url: libpqUrl(url) }).split('\n')) ctx.out(line);
      throw new AdminError(t('admin.backup.postgres'));
    }
    if (!existsSync(source)) throw new AdminError(t('admin.db.missing', { file: source }));
    const target = path.resolve(ctx.cwd, file!);
    if (target === source) throw new AdminError(t('admin.backup.same'));
    refuseToOverwrite(target, file!, options.force);
    const started = Date.now();
    const copy = await copySqlite(source, target);
    ctx.out(
      t('admin.backup.done', {
        file: file!,
        size: sizeText(copy.bytes),
        tickets: copy.tickets,
        migration: copy.migration ?? '—',
        seconds: ((Date.now() - started) / 1000).toFixed(1),
      }),
    );
  },
});
