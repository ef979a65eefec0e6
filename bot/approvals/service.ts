import type { Platform } from '../chat/model.js';
import type { TxDeps } from '../deps.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { ApprovalType } from '../org/approvals-schema.js';
import type { Person } from '../org/directory.js';
import type { ChatTarget } from '../outbox/outbox.js';
import { APPROVAL, approvers, decisionsText, formCard, statusText, type FullApproval, type StepWithDecisions } from './cards.js';
import { type Delegations, stepToDecide } from './delegation.js';
import { isParty, refuseParty } from './duties.js';
import { KINDS } from './kinds.js';
import { requireMayRequest, withoutSecrets } from './form.js';
import type { ApprovalMessages } from './messages.js';
import { recordRequest } from './submission.js';

export type ApprovalDeps = TxDeps;

/** What happens when a request of a type is fully approved (rosters hook in here for duty swaps). */
export type CompletionHook = (approval: FullApproval, service: ApprovalService) => Promise<void>;

const INCLUDE = {
  steps: { orderBy: [{ stage: 'asc' as const }, { id: 'asc' as const }], include: { decisions: { orderBy: { id: 'asc' as const } } } },
  // The monitoring alerts a change's window silenced, which its cards count.
  _count: { select: { alerts: { where: { state: 'silenced' } } } },
};

/**
 * The approval engine: chains from the organisation file, decisions from cards, delegation,
 * every decision audited; after each change every card of the request is re-rendered for
 * everyone who has one (ApprovalMessages draws and sends them).
 */
export class ApprovalService {
  private readonly hooks = new Map<ApprovalType, CompletionHook>();

  constructor(
    private readonly d: ApprovalDeps,
    readonly delegations: Delegations,
    private readonly messages: ApprovalMessages,
  ) {}

  onApproved(type: ApprovalType, hook: CompletionHook): void {
    this.hooks.set(type, hook);
  }

  /**
   * The form of a request, in `target`; `aboutId`: the person it is to be about, offered first;
   * `subject`: what was typed after the kind's word (`申请 报废 PC-0231`), for a kind that takes it.
   */
  async openForm(type: ApprovalType, requester: Person, target: ChatTarget, aboutId?: string, subject?: string): Promise<void> {
    const kind = KINDS[type];
    const { directory, calendar, clock, tx } = this.d;
    requireMayRequest(kind, requester, directory);
    const about = aboutId ? directory.person(aboutId) : undefined;
    const opening = subject && kind.opening ? await kind.opening(subject, { directory, calendar, now: clock.now(), requester, tx }) : undefined;
    await this.d.outbox.send(target, formCard(type, directory, requester, about, opening));
  }

  async get(number: string): Promise<FullApproval> {
    const approval = await this.d.tx.approval.findUnique({ where: { number: number.toUpperCase() }, include: INCLUDE });
    if (!approval) throw new BotError('approval_not_found', { number });
    return approval;
  }

  /** A new request (recordRequest checks and records it), its first stage opened, its card in the chat it came from. */
  async submit(type: ApprovalType, requester: Person, raw: Record<string, unknown>, source: ChatTarget): Promise<FullApproval> {
    const created = await recordRequest(this.d, type, requester, raw, source);
    await this.startStage(await this.get(created.number), 0);
    const approval = await this.get(created.number);
    await this.messages.sendRequest(approval, source);
    return approval;
  }

  /** Opens the steps of a stage and sends their cards. */
  private async startStage(approval: FullApproval, stage: number): Promise<void> {
    const { tx, clock, directory } = this.d;
    const now = clock.now();
    const remindAt = this.d.calendar.add(now, directory.org.approvals.remindAfter);
    await tx.approvalStep.updateMany({ where: { approvalId: approval.id, stage }, data: { status: 'pending', startedAt: now, remindAt } });
    await this.messages.sendStage(await this.get(approval.number), stage);
  }

  /** Re-renders every card of the request, for everyone who has one. */
  async refresh(number: string): Promise<void> {
    await this.messages.refresh(await this.get(number));
  }

  /** The step `stepId` of a request, checked to be the one open now. */
  private async openStep(number: string, stepId: number): Promise<{ approval: FullApproval; step: StepWithDecisions }> {
    const approval = await this.get(number);
    if (approval.status !== 'pending') throw new BotError('approval_closed', { number: approval.number, status: statusText(approval) });
    const step = approval.steps.find((s) => s.id === stepId);
    if (!step) throw new BotError('unknown_action');
    if (step.status === 'waiting') {
      const current = approval.steps
        .filter((s) => s.status === 'pending')
        .map((s) => s.name)
        .join('、');
      throw new BotError('step_waiting', { step: step.name, current });
    }
    if (step.status !== 'pending') {
      throw new BotError('step_not_pending', { step: step.name, result: decisionsText(step, this.d.directory) || t('approval.decision.done') });
    }
    return { approval, step };
  }

  /** 同意 / 驳回 (or 确认办结) on a step, by an approver or their delegate. */
  async decide(number: string, stepId: number, actor: Person, decision: 'approve' | 'reject', typed: string): Promise<FullApproval> {
    const comment = withoutSecrets(typed);
    const { approval, step } = await this.openStep(number, stepId);
    if (step.kind === 'execute') throw new BotError('unknown_action');
    const { directory, tx, clock } = this.d;
    refuseParty(approval, step, actor, t(step.kind === 'confirm' ? 'approval.what.confirm' : 'approval.what.decide'), directory);
    const actsFor = await this.delegations.actsFor(actor.id);
    const mine = approvers(step).filter((id) => actsFor.includes(id) && !isParty(approval, id));
    if (mine.length === 0)
      throw new BotError('not_approver', {
        step: step.name,
        approvers: approvers(step)
          .map((id) => directory.person(id)?.name ?? id)
          .join('、'),
      });
    // One's own decision first; otherwise the first delegator who has not decided yet.
    const approverId = [actor.id, ...mine].find((id) => mine.includes(id) && !step.decisions.some((x) => x.approverId === id));
    if (!approverId)
      throw new BotError('already_decided', {
        step: step.name,
        decision: t(step.decisions.find((x) => mine.includes(x.approverId))?.decision === 'reject' ? 'approval.decision.reject' : 'approval.decision.approve'),
      });
    if (decision === 'reject' && !comment.trim()) throw new BotError('missing_text', { what: t('approval.needs.rejectReason') });
    const now = clock.now();
    await tx.approvalDecision.create({ data: { stepId: step.id, approverId, actorId: actor.id, decision, comment: comment.trim() || null, createdAt: now } });
    await this.d.audit.record({
      actorId: actor.id,
      action: `approval.${decision}`,
      entityType: APPROVAL,
      entityId: approval.number,
      after: { step: step.name, onBehalfOf: approverId !== actor.id ? approverId : null, comment: comment.trim() || null },
    });
    const approvals = step.decisions.filter((x) => x.decision === 'approve').length + (decision === 'approve' ? 1 : 0);
    const rejections = step.decisions.filter((x) => x.decision === 'reject').length + (decision === 'reject' ? 1 : 0);
    const total = approvers(step).length;
    const cannotReach = total - rejections < step.quorum;
    if (decision === 'reject' && (step.rule !== 'quorum' || cannotReach)) {
      await this.finishStep(step.id, 'rejected');
      return this.reject(approval, step.name, actor, comment.trim());
    }
    if (approvals >= step.quorum) await this.finishStep(step.id, 'approved');
    await this.advance(approval.number);
    return this.get(approval.number);
  }

  /** `审批 SQ-… 同意`: the decision typed, on the step it is about (see stepToDecide). */
  async decideTyped(number: string, actor: Person, decision: 'approve' | 'reject', comment: string): Promise<FullApproval> {
    const step = stepToDecide(await this.get(number), await this.delegations.actsFor(actor.id));
    return this.decide(number, step.id, actor, decision, comment);
  }

  /** An engineer takes an execution step. */
  async claimExecution(number: string, stepId: number, actor: Person): Promise<FullApproval> {
    const { approval, step } = await this.openStep(number, stepId);
    if (!this.d.directory.isItStaff(actor)) throw new BotError('not_it_staff', { what: t('approval.what.execute') });
    refuseParty(approval, step, actor, t('approval.what.claim'), this.d.directory);
    // A party's claim (recorded before separation of duties applied to execution) holds nobody back.
    if (step.claimedById && step.claimedById !== actor.id && !isParty(approval, step.claimedById)) {
      throw new BotError('already_claimed', { number, engineer: this.d.directory.callName(this.d.directory.person(step.claimedById)!) });
    }
    if (step.claimedById === actor.id) throw new BotError('already_claimed_by_you', { number });
    await this.d.tx.approvalStep.update({ where: { id: step.id }, data: { claimedById: actor.id } });
    await this.d.audit.record({ actorId: actor.id, action: 'approval.claim', entityType: APPROVAL, entityId: number, after: { step: step.name } });
    await this.refresh(number);
    return this.get(number);
  }

  /** The engineer who took an execution step marks it done. */
  async completeExecution(number: string, stepId: number, actor: Person, typed: string): Promise<FullApproval> {
    const comment = withoutSecrets(typed);
    const { approval, step } = await this.openStep(number, stepId);
    if (!this.d.directory.isItStaff(actor)) throw new BotError('not_it_staff', { what: t('approval.what.execute') });
    refuseParty(approval, step, actor, t('approval.what.complete'), this.d.directory);
    if (step.claimedById !== actor.id) {
      const holder = step.claimedById ? this.d.directory.person(step.claimedById) : undefined;
      throw new BotError('not_implementer', {
        implementer: holder ? this.d.directory.callName(holder) : t('approval.claimer'),
        what: t('approval.what.markDone'),
      });
    }
    await this.d.tx.approvalDecision.create({
      data: { stepId: step.id, approverId: actor.id, actorId: actor.id, decision: 'done', comment: comment.trim() || null, createdAt: this.d.clock.now() },
    });
    await this.d.audit.record({
      actorId: actor.id,
      action: 'approval.done',
      entityType: APPROVAL,
      entityId: approval.number,
      after: { step: step.name, comment: comment.trim() || null },
    });
    await this.finishStep(step.id, 'done');
    await this.advance(approval.number);
    return this.get(approval.number);
  }

  private async finishStep(stepId: number, status: 'approved' | 'rejected' | 'done'): Promise<void> {
    await this.d.tx.approvalStep.update({ where: { id: stepId }, data: { status, completedAt: this.d.clock.now(), remindAt: null } });
  }

  /** After a decision: the next stage starts once every step of this one is through; the last one approves the request. */
  private async advance(number: string): Promise<void> {
    const approval = await this.get(number);
    const open = approval.steps.filter((s) => s.status === 'pending');
    if (open.length === 0) {
      const next = approval.steps.find((s) => s.status === 'waiting');
      if (next) await this.startStage(approval, next.stage);
      else await this.approve(approval);
    }
    await this.refresh(number);
  }

  private async approve(approval: FullApproval): Promise<void> {
    const { tx, clock } = this.d;
    const done = await tx.approval.updateMany({
      where: { id: approval.id, version: approval.version },
      data: { status: 'approved', decidedAt: clock.now(), version: { increment: 1 } },
    });
    if (done.count === 0) throw new BotError('ticket_changed', { number: approval.number });
    await this.d.audit.record({ actorId: null, action: 'approval.approved', entityType: APPROVAL, entityId: approval.number, after: { status: 'approved' } });
    const approved = await this.get(approval.number);
    await this.messages.tellRequester(
      approved,
      t('approval.approved.notify', { kind: KINDS[approved.type as ApprovalType].label, number: approved.number, title: approved.title }),
    );
    await this.hooks.get(approved.type as ApprovalType)?.(approved, this);
  }

  private async reject(approval: FullApproval, stepName: string, actor: Person, reason: string): Promise<FullApproval> {
    const { tx, clock } = this.d;
    await tx.approvalStep.updateMany({
      where: { approvalId: approval.id, status: { in: ['waiting', 'pending'] } },
      data: { status: 'skipped', remindAt: null },
    });
    await tx.approval.update({ where: { id: approval.id }, data: { status: 'rejected', decidedAt: clock.now(), version: { increment: 1 } } });
    const rejected = await this.get(approval.number);
    const kind = KINDS[rejected.type as ApprovalType].label;
    await this.messages.tellRequester(
      rejected,
      t('approval.rejected.notify', { kind, number: rejected.number, title: rejected.title, step: stepName, actor: actor.name, reason }),
    );
    await this.refresh(rejected.number);
    return rejected;
  }

  /** A person's requests that are still in progress, and the ones decided in the last 30 days. */
  async mine(person: Person): Promise<FullApproval[]> {
    const since = new Date(this.d.clock.now().getTime() - 30 * 24 * 60 * 60 * 1000);
    return this.d.tx.approval.findMany({
      where: { requesterId: person.id, OR: [{ status: 'pending' }, { createdAt: { gte: since } }] },
      include: INCLUDE,
      orderBy: { id: 'desc' },
      take: 10,
    });
  }

  /** The approver stands in someone for a period; the delegate's decisions count for them. */
  async delegate(delegator: Person, delegate: Person, endsAt: Date, reason: string): Promise<void> {
    await this.delegations.create(delegator, delegate, endsAt, reason);
    // Requests already waiting for the delegator reach the delegate now.
    const pending = await this.d.tx.approvalStep.findMany({ where: { status: 'pending', kind: { not: 'execute' } }, include: { approval: true } });
    for (const step of pending.filter((s) => approvers(s).includes(delegator.id) && !isParty(s.approval, delegate.id))) {
      await this.messages.sendApproverCard(await this.get(step.approval.number), delegate.id, step.approval.sourcePlatform as Platform);
    }
  }
}
