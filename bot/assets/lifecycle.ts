import type { Asset, Prisma } from '../../generated/prisma/client.js';
import type { TxDeps } from '../deps.js';
import type { Directory } from '../org/directory.js';
import { ASSET } from './register.js';

/**
 * An asset's life after it is registered, as approved requests decide it: a transfer (资产调拨)
 * moves it to another department, location and user; a scrapping (资产报废) marks it scrapped.
 * Each writes an AssetEvent (the asset's own history, shown by `GET /api/assets/:number`) and an
 * audit row. The approval engine decides; this only records what was decided.
 */

/** Where an asset is and who uses it. */
export interface Placement {
  departmentId: string | null;
  location: string | null;
  userName: string | null;
}

/** One decision on the request that decided a change to the register: the step, who decided, how, when. */
export interface Decided {
  step: string;
  by: string;
  name: string;
  decision: string;
  comment: string | null;
  at: string;
}

export interface TransferRecord {
  request: string;
  reason: string;
  decisions: Decided[];
  actorId: string | null;
}

export interface ScrapRecord {
  request: string;
  reason: string;
  /** The technical appraisal (技术鉴定), when the chain has one. */
  appraisal: Decided | null;
  /** Whether the asset holds storage media; when it does, who confirmed their destruction and when. */
  storageMedia: boolean;
  mediaDestroyed: Decided | null;
  decisions: Decided[];
  actorId: string | null;
}

const placementOf = (a: Asset): Placement => ({ departmentId: a.departmentId, location: a.location, userName: a.userName });

/** Whether an asset holds storage media by the organisation file (`assets.storageMedia`): its label's prefix, or a word of its 类型. */
export function holdsStorageMedia(asset: Pick<Asset, 'number' | 'kind'>, directory: Directory): boolean {
  const { prefixes, kinds } = directory.org.assets.storageMedia;
  const prefix = asset.number.split('-')[0]!;
  const kind = (asset.kind ?? '').normalize('NFKC').toLowerCase();
  return prefixes.some((p) => p.toUpperCase() === prefix) || kinds.some((k) => kind.includes(k.normalize('NFKC').toLowerCase()));
}

export class AssetLifecycle {
  constructor(private readonly d: Pick<TxDeps, 'tx' | 'clock' | 'audit'>) {}

  /** The asset under its number, or null. */
  find(number: string): Promise<Asset | null> {
    return this.d.tx.asset.findUnique({ where: { number } });
  }

  /** Moves an active asset to `to`; undefined (nothing changed) when the register has no such active asset. */
  async transfer(number: string, to: Placement, record: TransferRecord): Promise<{ from: Placement; to: Placement } | undefined> {
    const asset = await this.find(number);
    if (!asset || asset.status !== 'active') return undefined;
    const from = placementOf(asset);
    const updated = await this.d.tx.asset.updateMany({ where: { id: asset.id, status: 'active' }, data: to });
    if (updated.count === 0) return undefined;
    const data = { request: record.request, reason: record.reason, from, to, decisions: record.decisions };
    await this.event(asset, 'transferred', record.actorId, data);
    await this.d.audit.record({
      actorId: record.actorId,
      action: 'asset.transferred',
      entityType: ASSET,
      entityId: number,
      before: from,
      after: { ...to, request: record.request },
    });
    return { from, to };
  }

  /** Marks an active asset scrapped; false (nothing changed) when the register has no such active asset. */
  async scrap(number: string, record: ScrapRecord): Promise<boolean> {
    const asset = await this.find(number);
    if (!asset) return false;
    const updated = await this.d.tx.asset.updateMany({ where: { id: asset.id, status: 'active' }, data: { status: 'scrapped' } });
    if (updated.count === 0) return false;
    const { actorId, ...data } = record;
    await this.event(asset, 'scrapped', actorId, { ...data, placement: placementOf(asset) });
    await this.d.audit.record({
      actorId,
      action: 'asset.scrapped',
      entityType: ASSET,
      entityId: number,
      before: { status: asset.status },
      after: { status: 'scrapped', request: record.request, mediaDestroyedBy: record.mediaDestroyed?.by ?? null },
    });
    return true;
  }

  private async event(asset: Asset, type: string, actorId: string | null, data: object): Promise<void> {
    await this.d.tx.assetEvent.create({ data: { assetId: asset.id, type, actorId, data: data as Prisma.InputJsonObject, createdAt: this.d.clock.now() } });
  }
}
