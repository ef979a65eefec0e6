import path from 'node:path';
import { t } from '../../i18n/zh.js';
import { Exports, REPORTS, reportNamed, type ReportName } from '../../reports/exports.js';
import { monthSpan, quarterSpan, readPeriod } from '../../reports/period.js';
import { defineCommand, UsageError } from '../command.js';
import { withBotDatabase } from '../database.js';
import { refuseToOverwrite, sizeText, writeFileAtomically } from '../files.js';
import { loadOrganisation } from '../organisation.js';

/** A register by its name in the API (`fault-register`) or its Chinese title (`故障处理登记台账`). */
function registerNamed(given: string): ReportName | undefined {
  return reportNamed(given.replace(/\.xlsx$/, '')) ?? (Object.keys(REPORTS) as ReportName[]).find((name) => REPORTS[name] === given);
}

const registers = () => (Object.keys(REPORTS) as ReportName[]).map((name) => `${name}（${REPORTS[name]}）`).join('、');

/**
 * `helpdesk export <register> <month|quarter> [--out FILE]`: a register as the xlsx file that
 * `GET /api/reports/<register>.xlsx?month=` (or `?quarter=`) and `导出 …` in chat give
 * (bot/reports/exports.ts), the period reckoned in the hospital's time zone, personal data masked
 * the same way. A quarter is written `2026-Q4`, `2026Q4` or `2026年第四季度`.
 */
export default defineCommand({
  order: 40,
  usage: 'export <register> <month|quarter> [--out FILE]',
  summary: t('admin.export.summary'),
  details: t('admin.export.details', { registers: registers() }),
  options: {
    out: { type: 'string', value: 'FILE', help: t('admin.export.outOption') },
    force: { type: 'boolean', help: t('admin.export.forceOption') },
  },
  positionals: [2, 2],
  async run(ctx, [register, month], options) {
    const name = registerNamed(register!);
    if (!name) throw new UsageError(t('admin.export.unknown', { register: register!, registers: registers() }));
    const given = readPeriod(month!);
    if (!given) throw new UsageError(t('admin.export.badMonth', { month: month! }));
    const period = 'month' in given ? given.month : given.quarter;
    const shown = options.out ?? `${REPORTS[name]}-${period}.xlsx`;
    const out = path.resolve(ctx.cwd, shown);
    refuseToOverwrite(out, shown, options.force);
    const { directory, services } = loadOrganisation(ctx);
    const span = 'month' in given ? monthSpan(given.month, services.timeZone) : quarterSpan(given.quarter, services.timeZone);
    const file = await withBotDatabase(ctx, (db) => new Exports(db, directory, services.timeZone).build(name, span.from, span.to));
    writeFileAtomically(out, file);
    ctx.out(t('admin.export.done', { register: REPORTS[name], month: period, file: shown, size: sizeText(file.length) }));
  },
});
