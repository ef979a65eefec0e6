import type { Asset, Prisma, Ticket } from '../../generated/prisma/client.js';
import { ASSET } from '../assets/register.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import type { TicketGuards } from './guards.js';
import type { TicketDeps, TicketLedger } from './ledger.js';
import { yuan, yuanText } from './repair-cost.js';
import { assetByNumber } from './rows.js';
import { statusText } from './status.js';

/**
 * A ticket as a repair (维修): one that names an asset, used spare parts or cost something. Its cost
 * is charged to a department — the asset's when the register gives it one, else the ticket's —
 * fixed when the repair is first recorded, so a later transfer of the asset does not move it. Each
 * resolution of a repair adds a `repaired` entry to the asset's history (ticket, cost, parts,
 * engineer); a corrected cost is a timeline row, an audit row and an asset history entry.
 */

/** What a resolution records of a repair, worked out before it is written. */
export interface RepairAtResolution {
  /** Columns the resolution writes with the solution (the cost, the department charged); none for a ticket that is no repair. */
  columns: Pick<Prisma.TicketUncheckedUpdateManyInput, 'repairCostFen' | 'chargedDepartmentId'>;
  parts: string[];
  /** The register's asset the ticket names, when it holds it. */
  asset: Asset | null;
}

export class TicketRepairs {
  constructor(
    private readonly d: TicketDeps,
    private readonly ledger: TicketLedger,
    private readonly guards: TicketGuards,
  ) {}

  /** The spare parts recorded on a ticket (`备件 IT-… 硒鼓×1`, the card's parts field), in order. */
  async partsOf(ticketId: number): Promise<string[]> {
    const events = await this.d.tx.ticketEvent.findMany({ where: { ticketId, type: 'parts' }, orderBy: { id: 'asc' }, select: { data: true } });
    return events.map((e) => (e.data as { parts?: string } | null)?.parts ?? '').filter(Boolean);
  }

  /** What resolving `ticket` records of its repair, with the cost given (undefined: none given, a cost recorded earlier stays). */
  async atResolution(ticket: Ticket, costFen: number | undefined): Promise<RepairAtResolution> {
    const parts = await this.partsOf(ticket.id);
    const repair = !!ticket.assetNumber || parts.length > 0 || costFen !== undefined || ticket.repairCostFen !== null;
    if (!repair) return { columns: {}, parts, asset: null };
    const asset = ticket.assetNumber ? await assetByNumber(this.d.tx, ticket.assetNumber) : null;
    const columns: RepairAtResolution['columns'] = { chargedDepartmentId: ticket.chargedDepartmentId ?? chargedTo(asset, ticket) };
    if (costFen !== undefined) columns.repairCostFen = costFen;
    return { columns, parts, asset };
  }

  /** After a repair is resolved: the asset's history says so, with the cost, the parts and the engineer. */
  async resolved(ticket: Ticket, actor: Person, repair: RepairAtResolution): Promise<void> {
    if (!repair.asset) return;
    const engineerId = ticket.assigneeId ?? actor.id;
    await this.assetEvent(repair.asset, 'repaired', actor, {
      ticket: ticket.number,
      cost: ticket.repairCostFen === null ? null : yuan(ticket.repairCostFen),
      parts: repair.parts,
      engineer: { id: engineerId, name: this.d.directory.person(engineerId)?.name ?? engineerId },
      department: ticket.chargedDepartmentId,
    });
  }

  /** `费用 IT-… 150 元 原因`: gives or corrects a repair's cost (the assignee, a group leader or the IT director). */
  async correctCost(number: string, actor: Person, costFen: number, reason: string): Promise<{ ticket: Ticket; from: number | null }> {
    const what = t('repair.what.cost');
    this.guards.requireStaff(actor, what);
    const ticket = await this.ledger.get(number);
    if (ticket.status === 'open') throw new BotError('ticket_not_open', { number: ticket.number, status: statusText(ticket), what });
    // Closed without an engineer's resolution (withdrawn, self-solved, a false alarm): there was no repair.
    if (ticket.status === 'closed' && !ticket.resolvedAt) throw new BotError('no_repair', { number: ticket.number, status: statusText(ticket), what });
    this.guards.requireHandler(ticket, actor, what);
    const from = ticket.repairCostFen;
    if (from === costFen) throw new BotError('not_possible', { reason: t('repair.cost.unchanged', { number: ticket.number, cost: yuanText(costFen) }) });
    const asset = ticket.assetNumber ? await assetByNumber(this.d.tx, ticket.assetNumber) : null;
    const data = { from: from === null ? null : yuan(from), to: yuan(costFen), ...(reason.trim() ? { reason: reason.trim() } : {}) };
    const changed = await this.ledger.change(
      ticket,
      { repairCostFen: costFen, chargedDepartmentId: ticket.chargedDepartmentId ?? chargedTo(asset, ticket) },
      { actor, type: 'cost', data },
    );
    if (asset) await this.assetEvent(asset, 'repair_cost', actor, { ticket: changed.number, ...data, department: changed.chargedDepartmentId });
    return { ticket: changed, from };
  }

  /** An entry of the asset's history and its audit row. */
  private async assetEvent(asset: Asset, type: string, actor: Person, data: Record<string, unknown>): Promise<void> {
    const now = this.d.clock.now();
    await this.d.tx.assetEvent.create({ data: { assetId: asset.id, type, actorId: actor.id, data: data as Prisma.InputJsonObject, createdAt: now } });
    await this.d.audit.record({ actorId: actor.id, action: `asset.${type}`, entityType: ASSET, entityId: asset.number, after: data });
  }
}

/** The department a repair is charged to: the asset's in the register, else the ticket's. */
export function chargedTo(asset: Pick<Asset, 'departmentId'> | null, ticket: Pick<Ticket, 'departmentId'>): string | null {
  return asset?.departmentId ?? ticket.departmentId ?? null;
}
