import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ASSET_SHEET_COLUMNS, readAssetTable, type AssetProblem } from '../assets/file.js';
import { normaliseAssetNumber } from '../assets/number.js';
import { assetWithHistory, listAssets } from '../assets/views.js';
import type { Db } from '../db/client.js';
import { t } from '../i18n/zh.js';
import { tableFromCsv, tableFromXlsx, TableFileError, type TableLine } from '../imports/table-file.js';
import type { InForce } from '../organisation.js';
import { departmentNamed } from '../people/departments.js';
import type { Services } from '../services.js';
import { localDate } from '../time.js';
import { findToken } from '../tokens/store.js';
import { apiGuard, bearerOf, type ApiAccess } from './guard.js';

/**
 * The asset register: `GET /api/assets` (filters), `GET /api/assets/:number` with its repairs and
 * history (the read scope), `POST /api/assets/import` a CSV or xlsx register (the admin scope; a
 * file with a bad line is answered 400 with every line's reason, and nothing is imported).
 */

const ListQuery = z.object({
  department: z.string().min(1).optional(),
  kind: z.string().min(1).optional(),
  q: z.string().min(1).max(100).optional(),
  warranty: z.enum(['active', 'expired']).optional(),
  status: z.enum(['active', 'scrapped']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface AssetRouteOptions {
  db: Db;
  organisation: Pick<InForce, 'directory' | 'timeZone'>;
  access: ApiAccess;
  unitOfWork: <T>(fn: (services: Services) => Promise<T>) => Promise<T>;
}

export const assetRoutes: FastifyPluginAsync<AssetRouteOptions> = async (app, deps) => {
  const { db, organisation, access } = deps;
  app.addHook('onRequest', apiGuard(access));
  // A register of thousands of assets is larger than the 1 MB other bodies may be.
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 }, (_req, body, done) => done(null, body));
  app.addContentTypeParser(XLSX, { parseAs: 'buffer', bodyLimit: 5 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.get('/api/assets', async (req, reply) => {
    const query = ListQuery.safeParse(req.query);
    if (!query.success) return reply.code(400).send({ error: query.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    const { department, ...filters } = query.data;
    const { directory } = organisation;
    const found = department ? (directory.department(department) ?? departmentNamed(directory, department)) : undefined;
    if (department && !found) return reply.code(400).send({ error: `department: no department ${JSON.stringify(department)} in the organisation file` });
    return listAssets(db, directory, { ...filters, departmentId: found?.id }, localDate(access.now(), organisation.timeZone));
  });

  app.get<{ Params: { number: string } }>('/api/assets/:number', async (req, reply) => {
    const number = normaliseAssetNumber(req.params.number);
    if (!number) return reply.code(400).send({ error: 'an asset number looks like PC-0231' });
    const asset = await assetWithHistory(db, number, organisation.directory, organisation.timeZone, access.now());
    if (!asset) return reply.code(404).send({ error: `asset ${number} is not in the register` });
    return asset;
  });

  app.post('/api/assets/import', async (req, reply) => {
    const body: unknown = req.body;
    // Only what came as a register: a JSON string body is no CSV file.
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    const file = type === 'text/csv' && typeof body === 'string' ? body : type === XLSX && Buffer.isBuffer(body) ? body : undefined;
    if (file === undefined) {
      return reply.code(415).send({ error: 'send the register as text/csv or xlsx, with a header line: 资产编号 (number), 类型, 型号, 科室, …' });
    }
    const table = await tableOf(file);
    if (!table) return reply.code(400).send({ error: 'the file is not a readable xlsx workbook' });
    if ('problems' in table) return refused(reply, table.problems);
    const read = readAssetTable(table.lines, organisation.directory);
    if (read.problems.length > 0) return refused(reply, read.problems);
    if (read.assets.length === 0) return reply.code(400).send({ error: t('asset.import.empty'), problems: [] });
    const actor = await actorOf(req, access);
    const summary = await deps.unitOfWork(({ assets }) => assets.import(read.assets, actor, read.ignored));
    return { imported: read.assets.length, ...summary, ignoredColumns: read.ignored };
  });
};

/** A CSV body's lines (or the line past which it cannot be read), an xlsx body's rows, or undefined for a body that is no workbook. */
async function tableOf(body: string | Buffer): Promise<{ lines: TableLine[] } | { problems: AssetProblem[] } | undefined> {
  if (Buffer.isBuffer(body)) {
    const lines = await tableFromXlsx(body, ASSET_SHEET_COLUMNS);
    return lines && { lines };
  }
  try {
    return { lines: tableFromCsv(body) };
  } catch (err) {
    if (err instanceof TableFileError) return { problems: [{ line: err.line, reason: t('duty.import.unreadable') }] };
    throw err;
  }
}

function refused(reply: FastifyReply, problems: readonly AssetProblem[]) {
  return reply.code(400).send({
    error: t('asset.import.refused', { n: problems.length }),
    problems: problems.map((p) => ({ line: p.line, reason: p.reason, message: t('duty.import.atLine', { line: p.line, reason: p.reason }) })),
  });
}

/** Who imports, for the audit trail: the stored token's name, or the bootstrap token. */
async function actorOf(req: FastifyRequest, access: ApiAccess): Promise<string> {
  const stored = await findToken(access.db, bearerOf(req)).catch(() => undefined);
  return stored ? `api:${stored.name}` : 'api:API_TOKEN';
}
