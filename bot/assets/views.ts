import type { Asset, AssetEvent, Prisma } from '../../generated/prisma/client.js';
import type { Db } from '../db/client.js';
import type { Directory } from '../org/directory.js';
import { localDate } from '../time.js';

/** The asset register as the REST API shows it (`GET /api/assets`, `GET /api/assets/:number`). */

/** Whether an asset is under warranty on `day` (YYYY-MM-DD): to its last day inclusive; null when the register gives no end. */
export function warrantyOn(warrantyUntil: string | null, day: string): 'active' | 'expired' | null {
  if (!warrantyUntil) return null;
  return day <= warrantyUntil ? 'active' : 'expired';
}

export function assetJson(asset: Asset, directory: Directory, today: string) {
  return {
    number: asset.number,
    kind: asset.kind,
    model: asset.model,
    department: asset.departmentId ? { id: asset.departmentId, name: directory.departmentName(asset.departmentId) ?? asset.departmentId } : null,
    location: asset.location,
    user: asset.userName,
    purchasedOn: asset.purchasedOn,
    warrantyUntil: asset.warrantyUntil,
    warranty: warrantyOn(asset.warrantyUntil, today),
    vendor: asset.vendor,
    vendorContact: asset.vendorContact,
    status: asset.status,
    createdAt: asset.createdAt.toISOString(),
    updatedAt: asset.updatedAt.toISOString(),
  };
}

export interface AssetFilters {
  departmentId?: string;
  kind?: string;
  q?: string;
  warranty?: 'active' | 'expired';
  status?: 'active' | 'scrapped';
  limit: number;
  offset: number;
}

/** The register's assets that pass the filters, by number; `today` decides the warranty. */
export async function listAssets(db: Db, directory: Directory, filters: AssetFilters, today: string) {
  const { departmentId, kind, q, warranty, status, limit, offset } = filters;
  const where: Prisma.AssetWhereInput = {
    departmentId,
    kind,
    status,
    ...(warranty === 'active' ? { warrantyUntil: { gte: today } } : warranty === 'expired' ? { warrantyUntil: { lt: today } } : {}),
    ...(q
      ? {
          OR: [
            { number: { contains: q.normalize('NFKC').toUpperCase() } },
            { model: { contains: q } },
            { kind: { contains: q } },
            { location: { contains: q } },
            { userName: { contains: q } },
            { vendor: { contains: q } },
          ],
        }
      : {}),
  };
  const [total, assets] = await Promise.all([db.asset.count({ where }), db.asset.findMany({ where, orderBy: { number: 'asc' }, take: limit, skip: offset })]);
  return { total, assets: assets.map((a) => assetJson(a, directory, today)) };
}

/** The most repairs one answer lists. */
const REPAIRS_SHOWN = 500;

/** One asset with its repairs (the tickets naming its number, newest first) and its history; undefined when the register has no such number. */
export async function assetWithHistory(db: Db, number: string, directory: Directory, timeZone: string, now: Date) {
  const asset = await db.asset.findUnique({ where: { number }, include: { events: { orderBy: { id: 'asc' } } } });
  if (!asset) return undefined;
  const tickets = await db.ticket.findMany({
    where: { assetNumber: number },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: REPAIRS_SHOWN,
    select: { number: true, createdAt: true, status: true, closeReason: true, title: true, priority: true, repairCostFen: true },
  });
  return {
    ...assetJson(asset, directory, localDate(now, timeZone)),
    repairs: tickets.map((x) => ({
      number: x.number,
      date: localDate(x.createdAt, timeZone),
      reportedAt: x.createdAt.toISOString(),
      status: x.status,
      closeReason: x.closeReason,
      title: x.title,
      priority: x.priority,
      // What the repair cost (yuan), as last recorded or corrected; null when no cost was given.
      cost: x.repairCostFen === null ? null : x.repairCostFen / 100,
    })),
    events: asset.events.map(eventJson),
  };
}

function eventJson(event: AssetEvent) {
  return { type: event.type, actorId: event.actorId, data: event.data, at: event.createdAt.toISOString() };
}
