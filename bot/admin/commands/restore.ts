import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import { t } from '../../i18n/zh.js';
import { AdminError, defineCommand } from '../command.js';
import { configuredDatabaseUrl, resolveDatabaseUrl, sqliteFileOf } from '../database.js';
import { readInput } from '../files.js';
import { companionsOf, copySqlite, heldByAnother, inspectBackup, sqliteExists } from '../sqlite-copy.js';
import { libpqUrl } from './backup.js';

/** A time for a file name: 20261123-101500. */
const stamp = (d: Date) => d.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');

/**
 * `helpdesk restore <file> [--to DB] [--force]`: a backup made by `helpdesk backup` turned back into
 * the bot's database (or the one `--to` names). The backup is checked first (intact, of this
 * program's migrations); a database already at the target is replaced only with `--force`, never
 * while a bot holds it, and is kept beside it (`….before-restore-<time>`), not deleted.
 */
export default defineCommand({
  order: 70,
  usage: 'restore <file> [--to DB] [--force]',
  summary: t('admin.restore.summary'),
  details: t('admin.restore.details'),
  options: {
    to: { type: 'string', value: 'DB', help: t('admin.restore.toOption') },
    force: { type: 'boolean', help: t('admin.restore.forceOption') },
  },
  positionals: [1, 1],
  async run(ctx, [file], options) {
    const backup = path.resolve(ctx.cwd, file!);
    readInput(backup, file!);
    const url = options.to ? resolveDatabaseUrl(options.to, ctx.cwd) : configuredDatabaseUrl(ctx);
    const target = sqliteFileOf(url);
    if (!target) {
      for (const line of t('admin.restore.pgRestore', { file: file!, url: libpqUrl(url) }).split('\n')) ctx.out(line);
      throw new AdminError(t('admin.restore.postgres'));
    }
    if (target === backup) throw new AdminError(t('admin.restore.same'));
    const info = inspectBackup(backup, file!);
    let keptAs: string | undefined;
    if (sqliteExists(target)) {
      if (!options.force) throw new AdminError(t('admin.restore.exists', { target }));
      if (existsSync(target) && heldByAnother(target)) throw new AdminError(t('admin.restore.held', { target }));
      const aside = `${target}.before-restore-${stamp(ctx.now())}`;
      if (existsSync(target)) {
        renameSync(target, aside);
        keptAs = aside;
      }
      // What SQLite kept beside the old file belongs to it, not to the restored one.
      for (const companion of companionsOf(target)) if (existsSync(companion)) renameSync(companion, `${aside}${companion.slice(target.length)}`);
    }
    try {
      await copySqlite(backup, target, { readonly: true });
    } catch (err) {
      // Nothing restored: the database that was there goes back.
      if (keptAs && !existsSync(target)) renameSync(keptAs, target);
      throw err;
    }
    ctx.out(t('admin.restore.done', { file: file!, target, tickets: info.tickets, migration: info.migration ?? '—' }));
    if (keptAs) ctx.out(t('admin.restore.kept', { file: keptAs }));
    if (info.pending.length > 0) ctx.out(t('admin.restore.pending', { n: info.pending.length }));
  },
});
