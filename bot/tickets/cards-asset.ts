import type { CardField } from '../chat/model.js';
import type { Ticket } from '../../generated/prisma/client.js';
import { t } from '../i18n/zh.js';
import { localDate } from '../time.js';
import type { AssetOnTicket } from './rows.js';

/**
 * What a ticket's cards show of the asset it names, from the asset register: its model on every
 * card; to the engineers, its warranty on the day of the report, the vendor's service contact while
 * under warranty, and how often it was reported lately; an asset number the register does not hold
 * (once it holds any) is flagged to them, never refused.
 */

/** How far back an asset's repairs are counted. */
export const REPAIR_WINDOW_DAYS = 90;

export function assetFields(ticket: Pick<Ticket, 'assetNumber' | 'createdAt'>, asset: AssetOnTicket, engineers: boolean, timeZone: string): CardField[] {
  const number = ticket.assetNumber ?? '';
  if (!asset.number) {
    return engineers && asset.kept ? [{ label: t('asset.card.register'), value: t('asset.card.unknown', { number }) }] : [];
  }
  const fields: CardField[] = [];
  const model = [asset.kind, asset.model].filter(Boolean).join(' ');
  if (model) fields.push({ label: t('asset.card.model'), value: model });
  if (!engineers) return fields;
  if (asset.status === 'scrapped') fields.push({ label: t('asset.card.register'), value: t('asset.card.scrapped', { number }) });
  const covered = !!asset.warrantyUntil && localDate(ticket.createdAt, timeZone) <= asset.warrantyUntil;
  if (asset.warrantyUntil) {
    fields.push({
      label: t('asset.card.warranty'),
      value: covered ? t('asset.card.warrantyUntil', { day: asset.warrantyUntil }) : t('asset.card.warrantyExpired'),
    });
  }
  const vendor = [asset.vendor, asset.vendorContact].filter(Boolean).join(' ');
  if (covered && vendor) fields.push({ label: t('asset.card.vendor'), value: vendor });
  fields.push({ label: t('asset.card.history'), value: t('asset.card.repairs', { days: REPAIR_WINDOW_DAYS, n: Math.max(1, asset.repairs) }) });
  return fields;
}

/** From when a ticket's asset's repairs are counted. */
export const repairsSince = (ticket: Pick<Ticket, 'createdAt'>) => new Date(ticket.createdAt.getTime() - REPAIR_WINDOW_DAYS * 24 * 60 * 60_000);
