import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { zonedInstant } from '../calendar.js';
import { rosterRowsFromCsv, rosterRowsFromXlsx } from '../duty/roster-file.js';
import { BotError } from '../errors.js';
import type { InForce } from '../organisation.js';
import type { Services } from '../services.js';
import { REPORTS, reportNamed, type Exports } from '../reports/exports.js';
import { monthSpan, quarterSpan, readMonth, readQuarter } from '../reports/period.js';
import { apiGuard, type ApiAccess } from './guard.js';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-11-23');

/** `GET /api/stats` (the digest's numbers for a period) and `POST /api/duty/import` (a CSV or xlsx roster). */

/** `from` and `to` dates (to exclusive), a month `2026-11` or a quarter `2026-Q4`, in the hospital's zone. */
export function reportPeriod(query: unknown, timeZone: string): { from: Date; to: Date } | undefined {
  const q = z.object({ from: Day.optional(), to: Day.optional(), month: z.string().optional(), quarter: z.string().optional() }).safeParse(query);
  if (!q.success) return undefined;
  if (q.data.month !== undefined) {
    const month = readMonth(q.data.month);
    return month ? monthSpan(month, timeZone) : undefined;
  }
  if (q.data.quarter !== undefined) {
    const quarter = readQuarter(q.data.quarter);
    return quarter ? quarterSpan(quarter, timeZone) : undefined;
  }
  if (!q.data.from || !q.data.to) return undefined;
  return { from: zonedInstant(q.data.from, '00:00', timeZone), to: zonedInstant(q.data.to, '00:00', timeZone) };
}

/** Sends a register as an xlsx download. */
export function reportHandler(exportsOf: () => Exports, timeZone: () => string) {
  return async (req: FastifyRequest<{ Params: { name: string } }>, reply: FastifyReply) => {
    const asked = req.params.name.replace(/\.xlsx$/, '');
    const name = reportNamed(asked);
    if (!name) return reply.code(404).send({ error: `no report ${JSON.stringify(asked)}; there are ${Object.keys(REPORTS).join(', ')}` });
    const period = reportPeriod(req.query, timeZone());
    if (!period) return reply.code(400).send({ error: 'give month=2026-11, quarter=2026-Q4, or from and to dates like 2026-11-01 (to exclusive)' });
    const file = await exportsOf().build(name, period.from, period.to);
    const filename = encodeURIComponent(`${REPORTS[name]}.xlsx`);
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename*=UTF-8''${filename}`)
      .send(file);
  };
}

export interface RhythmOptions {
  access: ApiAccess;
  /** The hospital's time zone in force (read at each request: the organisation file may be reloaded). */
  organisation: Pick<InForce, 'timeZone'>;
  unitOfWork: <T>(fn: (services: Services) => Promise<T>) => Promise<T>;
  exports: () => Exports;
  /**
   * The simulator's register downloads (its chat's 导出 links): `open` without a token (the simulator
   * on a loopback address), `guarded` like /api/reports (the simulator on beyond loopback), or none.
   */
  simulatorDownloads: 'open' | 'guarded' | 'off';
}

export const rhythmRoutes: FastifyPluginAsync<RhythmOptions> = async (app, deps) => {
  const timeZone = () => deps.organisation.timeZone;
  const downloads = apiGuard(deps.access, 'export');
  // The simulator's chat links download registers without a token only while nobody beyond this host can reach them.
  if (deps.simulatorDownloads !== 'off') {
    const guard = deps.simulatorDownloads === 'guarded' ? { onRequest: downloads } : {};
    app.get<{ Params: { name: string } }>('/simulator/api/reports/:name', guard, reportHandler(deps.exports, timeZone));
  }
  app.get<{ Params: { name: string } }>('/api/reports/:name', { onRequest: downloads }, reportHandler(deps.exports, timeZone));
  app.register(async (api) => {
    api.addHook('onRequest', apiGuard(deps.access));
    api.get('/api/stats', async (req, reply) => {
      const Scope = z.string().min(1).max(100).optional();
      const q = z.object({ from: Day, to: Day, department: Scope, system: Scope }).safeParse(req.query);
      if (!q.success)
        return reply.code(400).send({ error: 'from and to are dates like 2026-11-23 (to is exclusive); department (an id) and system narrow them' });
      return deps.unitOfWork(async ({ digest }) => {
        const tz = timeZone();
        const { from, to, department, system } = q.data;
        return digest.stats(zonedInstant(from, '00:00', tz), zonedInstant(to, '00:00', tz), undefined, { departmentId: department, system });
      });
    });
    api.register(async (csv) => {
      const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      csv.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));
      csv.addContentTypeParser(XLSX, { parseAs: 'buffer', bodyLimit: 5 * 1024 * 1024 }, (_req, body, done) => done(null, body));
      csv.post('/api/duty/import', async (req, reply) => {
        const body: unknown = req.body;
        if (typeof body !== 'string' && !Buffer.isBuffer(body))
          return reply.code(415).send({ error: 'send the roster as text/csv or xlsx: date, shift, person' });
        try {
          const rows = typeof body === 'string' ? rosterRowsFromCsv(body) : await rosterRowsFromXlsx(body);
          if (rows === undefined) return reply.code(400).send({ error: 'the file is not a readable xlsx workbook' });
          const imported = await deps.unitOfWork(({ duty }) => duty.importRows(rows));
          return { imported };
        } catch (err) {
          if (err instanceof BotError) return reply.code(400).send({ error: String(err.params.reason ?? err.code) });
          throw err;
        }
      });
    });
  });
};
