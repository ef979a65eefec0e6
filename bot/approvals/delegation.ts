import type { TxDeps } from '../deps.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import { approvers, type FullApproval, type StepWithDecisions } from './cards.js';

/** Delegation (委托): an approver has someone stand in for them until a time; the delegate's decisions count for them. */
export class Delegations {
  constructor(private readonly d: TxDeps) {}

  /** Whom `personId` may decide for now: themselves and everyone who delegated to them. */
  async actsFor(personId: string): Promise<string[]> {
    const now = this.d.clock.now();
    const delegations = await this.d.tx.delegation.findMany({ where: { delegateId: personId, startsAt: { lte: now }, endsAt: { gt: now } } });
    return [personId, ...delegations.map((x) => x.delegatorId)];
  }

  /** Who stands in for `personId` now. */
  async delegatesOf(personId: string): Promise<string[]> {
    const now = this.d.clock.now();
    const delegations = await this.d.tx.delegation.findMany({ where: { delegatorId: personId, startsAt: { lte: now }, endsAt: { gt: now } } });
    return delegations.map((x) => x.delegateId);
  }

  /** Records a delegation from now until `endsAt`; never to oneself, never ending in the past. */
  async create(delegator: Person, delegate: Person, endsAt: Date, reason: string): Promise<void> {
    const now = this.d.clock.now();
    if (delegate.id === delegator.id) throw new BotError('invalid_form', { reason: t('approval.delegate.self') });
    if (endsAt <= now) throw new BotError('invalid_form', { reason: t('approval.delegate.past') });
    await this.d.tx.delegation.create({
      data: { delegatorId: delegator.id, delegateId: delegate.id, startsAt: now, endsAt, reason: reason || null, createdAt: now },
    });
    await this.d.audit.record({
      actorId: delegator.id,
      action: 'approval.delegate',
      entityType: 'delegation',
      entityId: delegator.id,
      after: { delegate: delegate.id, endsAt: endsAt.toISOString(), reason },
    });
  }

  /** `取消委托`: every delegation of the delegator still running ends now; how many did. */
  async end(delegator: Person): Promise<number> {
    const now = this.d.clock.now();
    const ended = await this.d.tx.delegation.updateMany({ where: { delegatorId: delegator.id, endsAt: { gt: now } }, data: { endsAt: now } });
    if (ended.count > 0)
      await this.d.audit.record({ actorId: delegator.id, action: 'approval.delegate_end', entityType: 'delegation', entityId: delegator.id });
    return ended.count;
  }
}

/**
 * The step a typed decision (`审批 SQ-… 同意`) is about: the open one this person decides (as
 * themselves or for whom they stand in), else the next one waiting for them, else the open one (so
 * the refusal says who decides it).
 */
export function stepToDecide(approval: FullApproval, actsFor: string[]): StepWithDecisions {
  const mine = approval.steps.filter((s) => s.kind !== 'execute' && approvers(s).some((id) => actsFor.includes(id)));
  return (
    mine.find((s) => s.status === 'pending') ??
    mine.find((s) => s.status === 'waiting') ??
    approval.steps.find((s) => s.status === 'pending' && s.kind !== 'execute') ??
    mine.at(-1) ??
    approval.steps.at(-1)!
  );
}
