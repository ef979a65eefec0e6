import path from 'node:path';
import { ASSET_SHEET_COLUMNS, readAssetTable } from '../../assets/file.js';
import { checkRoster, rosterRowsOf } from '../../duty/roster-file.js';
import { BotError } from '../../errors.js';
import { t } from '../../i18n/zh.js';
import { looksLikeXlsx, tableFromCsv, tableFromXlsx, TableFileError, type TableLine } from '../../imports/table-file.js';
import { peopleLines, type PeopleProblem } from '../../people/import.js';
import { inUnitOfWork } from '../../services.js';
import { AdminError, defineAction, defineCommand, type AdminContext } from '../command.js';
import { withBotDatabase } from '../database.js';
import { readInput } from '../files.js';
import { commandLineActor, loadOrganisation } from '../organisation.js';

/**
 * `helpdesk import roster|people|assets <file>`: a CSV or xlsx file checked line by line against the
 * organisation file, as the bot checks an imported roster (`POST /api/duty/import`). Every problem
 * is printed as `file:line: reason` and then nothing at all is imported; a good file is imported in
 * one transaction and summed up.
 */

/** A table file's lines: xlsx (by its bytes or its name) or CSV; an unreadable line is a problem like any other. */
async function readTable(ctx: AdminContext, file: string, columns: number): Promise<TableLine[]> {
  const data = readInput(path.resolve(ctx.cwd, file), file);
  if (looksLikeXlsx(data) || /\.xlsx$/i.test(file)) {
    const lines = await tableFromXlsx(data, columns);
    if (!lines) throw new AdminError(t('admin.import.notXlsx', { file }));
    return lines;
  }
  try {
    return tableFromCsv(data.toString('utf8'));
  } catch (err) {
    if (err instanceof TableFileError) refuse(ctx, file, [{ line: err.line, reason: t('duty.import.unreadable') }]);
    throw err;
  }
}

/** Prints each problem as `file:line: reason` and fails: nothing is imported. */
function refuse(ctx: AdminContext, file: string, problems: readonly PeopleProblem[]): never {
  for (const p of problems) ctx.err(`${file}:${p.line}: ${p.reason}`);
  throw new AdminError(t('admin.import.refused', { file, n: problems.length }));
}

const roster = defineAction({
  usage: 'import roster <file>',
  summary: t('admin.import.roster.summary'),
  details: t('admin.import.roster.details'),
  positionals: [1, 1],
  async run(ctx, [file]) {
    const { directory, services } = loadOrganisation(ctx);
    const rows = rosterRowsOf(await readTable(ctx, file!, 3));
    const { entries, problems } = checkRoster(rows, directory);
    if (problems.length > 0) refuse(ctx, file!, problems);
    if (entries.length === 0) throw new AdminError(t('duty.import.empty'));
    await withBotDatabase(ctx, (db) => inUnitOfWork(db, services, ({ duty }) => duty.importRows(rows, commandLineActor(ctx)))).catch((err: unknown) => {
      throw err instanceof BotError ? new AdminError(String(err.params.reason ?? err.code)) : err;
    });
    const days = entries.map((e) => e.date).sort();
    ctx.out(t('admin.import.roster.done', { n: entries.length, from: days[0]!, to: days.at(-1)!, people: new Set(entries.map((e) => e.personId)).size }));
  },
});

const people = defineAction({
  usage: 'import people <file>',
  summary: t('admin.import.people.summary'),
  details: t('admin.import.people.details'),
  positionals: [1, 1],
  async run(ctx, [file]) {
    const { services } = loadOrganisation(ctx);
    const lines = peopleLines(await readTable(ctx, file!, 5));
    if (lines.length === 0) throw new AdminError(t('admin.import.people.empty'));
    const outcome = await withBotDatabase(ctx, (db) =>
      inUnitOfWork(db, services, async ({ peopleImport }) => {
        const checked = await peopleImport.check(lines);
        if (checked.problems.length > 0) return { problems: checked.problems, summary: undefined };
        return { problems: [], summary: await peopleImport.apply(checked.people, commandLineActor(ctx)) };
      }),
    );
    if (!outcome.summary) refuse(ctx, file!, outcome.problems);
    ctx.out(t('admin.import.people.done', { n: lines.length, ...outcome.summary }));
  },
});

const assets = defineAction({
  usage: 'import assets <file>',
  summary: t('admin.import.assets.summary'),
  details: t('admin.import.assets.details'),
  positionals: [1, 1],
  async run(ctx, [file]) {
    const { directory, services } = loadOrganisation(ctx);
    const read = readAssetTable(await readTable(ctx, file!, ASSET_SHEET_COLUMNS), directory);
    if (read.problems.length > 0) refuse(ctx, file!, read.problems);
    if (read.assets.length === 0) throw new AdminError(t('asset.import.empty'));
    if (read.ignored.length > 0) ctx.err(t('asset.import.ignored', { columns: read.ignored.join('、') }));
    const summary = await withBotDatabase(ctx, (db) =>
      inUnitOfWork(db, services, ({ assets }) => assets.import(read.assets, commandLineActor(ctx), read.ignored)),
    );
    ctx.out(t('admin.import.assets.done', { n: read.assets.length, ...summary }));
  },
});

export default defineCommand({
  order: 50,
  usage: 'import roster|people|assets <file>',
  summary: t('admin.import.summary'),
  details: t('admin.import.details'),
  subcommands: { roster, people, assets },
});
