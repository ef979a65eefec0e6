import type { Asset, Prisma } from '../../generated/prisma/client.js';
import type { TxDeps } from '../deps.js';
import type { AssetFields, CheckedAsset } from './file.js';

/**
 * The asset register kept in the database: an import upserts each checked line by its number,
 * writing an AssetEvent (the asset's own history) and an audit row for each asset it adds or
 * changes, and one audit row for the import as a whole. A column the file lacks is left as it was.
 */

export interface AssetImportSummary {
  added: number;
  changed: number;
  unchanged: number;
}

export const ASSET = 'asset';
const FIELDS = ['kind', 'model', 'departmentId', 'location', 'userName', 'purchasedOn', 'warrantyUntil', 'vendor', 'vendorContact'] as const;
/** Numbers looked up at once (well under either database's limit on parameters). */
const CHUNK = 500;

export class AssetRegister {
  constructor(private readonly d: Pick<TxDeps, 'tx' | 'clock' | 'audit'>) {}

  /** Imports the checked lines of a register file (every line checked first: see checkAssets). */
  async import(assets: readonly CheckedAsset[], actorId: string | null, ignored: readonly string[] = []): Promise<AssetImportSummary> {
    const { tx, audit } = this.d;
    const now = this.d.clock.now();
    const summary: AssetImportSummary = { added: 0, changed: 0, unchanged: 0 };
    for (let i = 0; i < assets.length; i += CHUNK) {
      const chunk = assets.slice(i, i + CHUNK);
      const existing = new Map((await tx.asset.findMany({ where: { number: { in: chunk.map((a) => a.number) } } })).map((a) => [a.number, a]));
      for (const { line, number, fields } of chunk) {
        const before = existing.get(number);
        if (!before) {
          const row = await tx.asset.create({ data: { number, ...filled(fields), status: 'active', createdAt: now } });
          await this.event(row, 'imported', actorId, { line, after: fields });
          await audit.record({ actorId, action: 'asset.imported', entityType: ASSET, entityId: number, after: fields });
          summary.added++;
          continue;
        }
        const changes = changed(before, fields);
        if (!changes) {
          summary.unchanged++;
          continue;
        }
        const row = await tx.asset.update({ where: { id: before.id }, data: changes.after });
        await this.event(row, 'changed', actorId, { line, ...changes });
        await audit.record({ actorId, action: 'asset.changed', entityType: ASSET, entityId: number, before: changes.before, after: changes.after });
        summary.changed++;
      }
    }
    await audit.record({ actorId, action: 'asset.import', entityType: ASSET, entityId: 'register', after: { lines: assets.length, ...summary, ignored } });
    return summary;
  }

  private async event(asset: Asset, type: string, actorId: string | null, data: object): Promise<void> {
    await this.d.tx.assetEvent.create({ data: { assetId: asset.id, type, actorId, data: data as Prisma.InputJsonObject, createdAt: this.d.clock.now() } });
  }
}

/** A new asset's columns: those the file lacks are empty. */
function filled(fields: AssetFields): Required<AssetFields> {
  return Object.fromEntries(FIELDS.map((k) => [k, fields[k] ?? null])) as Required<AssetFields>;
}

/** What a line changes of an asset, before and after, or undefined when it changes nothing. */
function changed(asset: Asset, fields: AssetFields): { before: AssetFields; after: AssetFields } | undefined {
  const before: AssetFields = {};
  const after: AssetFields = {};
  for (const k of FIELDS) {
    const value = fields[k];
    if (value === undefined || value === asset[k]) continue;
    before[k] = asset[k];
    after[k] = value;
  }
  return Object.keys(after).length > 0 ? { before, after } : undefined;
}
