import type { OutgoingMessage, Platform } from '../chat/model.js';
import type { Approval } from '../../generated/prisma/client.js';
import type { TxDeps } from '../deps.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { ApprovalType } from '../org/approvals-schema.js';
import type { Person } from '../org/directory.js';
import type { ChatTarget } from '../outbox/outbox.js';
import { Reach } from '../reach.js';
import {
  APPROVAL,
  approverCard,
  approvers,
  changeCard,
  decisionsText,
  executeCard,
  formCard,
  requestCard,
  statusText,
  type FullApproval,
  type StepWithDecisions,
} from './cards.js';
import { Delegations, stepToDecide } from './delegation.js';
import { parseLocal } from './form.js';
import { KINDS } from './kinds.js';
import { resolveChain } from './routing.js';
import { nextNumber } from '../tickets/number.js';

export type ApprovalDeps = TxDeps;

/** What happens when a request of a type is fully approved (rosters hook in here for duty swaps). */
export type CompletionHook = (approval: FullApproval, service: ApprovalService) => Promise<void>;

const INCLUDE = { steps: { orderBy: [{ stage: 'asc' as const }, { id: 'asc' as const }], include: { decisions: { orderBy: { id: 'asc' as const } } } } };

/**
 * The approval engine: chains from the organisation file, decisions from cards, delegation,
 * every card of a request re-rendered for everyone on each change, every decision audited.
 */
export class ApprovalService {
  readonly reach: Reach;
  readonly delegations: Delegations;
  private readonly hooks = new Map<ApprovalType, CompletionHook>();

  constructor(private readonly d: ApprovalDeps) {
    this.reach = new Reach(d.tx, d.directory);
    this.delegations = new Delegations(d);
  }

  onApproved(type: ApprovalType, hook: CompletionHook): void {
    this.hooks.set(type, hook);
  }

  async openForm(type: ApprovalType, requester: Person, target: ChatTarget): Promise<void> {
    await this.d.outbox.send(target, formCard(type, this.d.directory, requester));
  }

  async get(number: string): Promise<FullApproval> {
    const approval = await this.d.tx.approval.findUnique({ where: { number: number.toUpperCase() }, include: INCLUDE });
    if (!approval) throw new BotError('approval_not_found', { number });
    return approval;
  }

  async submit(type: ApprovalType, requester: Person, raw: Record<string, unknown>, source: ChatTarget): Promise<FullApproval> {
    const { tx, directory, clock, calendar } = this.d;
    const kind = KINDS[type];
    const now = clock.now();
    const form = kind.parse(raw, { directory, calendar, now, requester });
    const subjectId = kind.subject?.(form);
    const steps = resolveChain(kind.chain(form, directory), { directory, requester, subjectId, form });
    const change =
      type === 'change'
        ? {
            implementerId: form.implementer,
            windowStart: parseLocal(form.start!, t('approvalForm.change.start'), this.d.timeZone),
            windowEnd: parseLocal(form.end!, t('approvalForm.change.end'), this.d.timeZone),
          }
        : {};
    const created = await tx.approval.create({
      data: {
        number: await nextNumber(this.d.tx, this.d.timeZone, 'SQ', now),
        type,
        status: 'pending',
        requesterId: requester.id,
        subjectId: subjectId ?? null,
        title: kind.title(form, directory),
        data: form,
        sourcePlatform: source.platform,
        sourceChatId: source.chatId,
        createdAt: now,
        ...change,
        steps: {
          create: steps.map((s) => ({ stage: s.stage, name: s.name, kind: s.kind, rule: s.rule, quorum: s.quorum, approvers: s.approvers, status: 'waiting' })),
        },
      },
    });
    await this.d.audit.record({
      actorId: requester.id,
      action: 'approval.submit',
      entityType: APPROVAL,
      entityId: created.number,
      after: { type, title: created.title, steps: steps.map((s) => s.name) },
    });
    await this.startStage(await this.get(created.number), 0);
    const approval = await this.get(created.number);
    await this.d.outbox.send(source, requestCard(approval, directory, this.d.timeZone), { entityType: APPROVAL, entityId: approval.number, kind: 'request' });
    return approval;
  }

  /** Opens the steps of a stage and sends their cards: to approvers (and their delegates) directly, to engineers for execution. */
  private async startStage(approval: FullApproval, stage: number): Promise<void> {
    const { tx, clock, directory } = this.d;
    const now = clock.now();
    const remindAt = this.d.calendar.add(now, directory.org.approvals.remindAfter);
    await tx.approvalStep.updateMany({ where: { approvalId: approval.id, stage }, data: { status: 'pending', startedAt: now, remindAt } });
    const fresh = await this.get(approval.number);
    const platform = approval.sourcePlatform as Platform;
    for (const step of fresh.steps.filter((s) => s.stage === stage)) {
      if (step.kind === 'execute') {
        const engineers = await this.reach.chatFor('engineers', platform);
        if (engineers)
          await this.d.outbox.send(engineers, executeCard(fresh, directory, this.d.timeZone), {
            entityType: APPROVAL,
            entityId: fresh.number,
            kind: 'execute',
          });
        continue;
      }
      for (const id of approvers(step)) {
        await this.sendApproverCard(fresh, id, platform);
        for (const delegate of await this.delegations.delegatesOf(id)) await this.sendApproverCard(fresh, delegate, platform);
      }
    }
  }

  private async sendApproverCard(approval: FullApproval, personId: string, platform: Platform): Promise<void> {
    const person = this.d.directory.person(personId);
    if (!person) return;
    const kind = `approver:${personId}`;
    const already = await this.d.tx.messageRef.findFirst({ where: { entityType: APPROVAL, entityId: approval.number, kind } });
    if (already) return this.refresh(approval.number);
    const target = await this.reach.direct(person, platform);
    if (!target) return;
    const message = approverCard(approval, person, await this.delegations.actsFor(personId), this.d.directory, this.d.timeZone);
    await this.d.outbox.send(target, message, { entityType: APPROVAL, entityId: approval.number, kind });
  }

  /** Re-renders every card of the request, for everyone who has one. */
  async refresh(number: string): Promise<void> {
    const approval = await this.get(number);
    const { directory, timeZone } = this.d;
    const refs = await this.d.outbox.shown(APPROVAL, number);
    const rendered = new Map<string, OutgoingMessage>();
    for (const { kind } of refs) {
      if (rendered.has(kind)) continue;
      if (kind.startsWith('approver:')) {
        const person = directory.person(kind.slice('approver:'.length));
        if (person) rendered.set(kind, approverCard(approval, person, await this.delegations.actsFor(person.id), directory, timeZone));
      } else if (kind === 'execute') rendered.set(kind, executeCard(approval, directory, timeZone));
      else if (kind === 'change') rendered.set(kind, changeCard(approval, directory, timeZone));
      else rendered.set(kind, requestCard(approval, directory, timeZone));
    }
    await this.d.outbox.updateShown(APPROVAL, number, ({ kind }) => rendered.get(kind)!, refs);
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
  async decide(number: string, stepId: number, actor: Person, decision: 'approve' | 'reject', comment: string): Promise<FullApproval> {
    const { approval, step } = await this.openStep(number, stepId);
    if (step.kind === 'execute') throw new BotError('unknown_action');
    const { directory, tx, clock } = this.d;
    const actsFor = await this.delegations.actsFor(actor.id);
    const mine = approvers(step).filter((id) => actsFor.includes(id));
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
    const { step } = await this.openStep(number, stepId);
    if (!this.d.directory.isItStaff(actor)) throw new BotError('not_it_staff', { what: t('approval.what.execute') });
    if (step.claimedById && step.claimedById !== actor.id) {
      throw new BotError('already_claimed', { number, engineer: this.d.directory.callName(this.d.directory.person(step.claimedById)!) });
    }
    if (step.claimedById === actor.id) throw new BotError('already_claimed_by_you', { number });
    await this.d.tx.approvalStep.update({ where: { id: step.id }, data: { claimedById: actor.id } });
    await this.d.audit.record({ actorId: actor.id, action: 'approval.claim', entityType: APPROVAL, entityId: number, after: { step: step.name } });
    await this.refresh(number);
    return this.get(number);
  }

  /** The engineer who took an execution step marks it done. */
  async completeExecution(number: string, stepId: number, actor: Person, comment: string): Promise<FullApproval> {
    const { approval, step } = await this.openStep(number, stepId);
    if (!this.d.directory.isItStaff(actor)) throw new BotError('not_it_staff', { what: t('approval.what.execute') });
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
    await this.tellRequester(
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
    await this.tellRequester(
      rejected,
      t('approval.rejected.notify', { kind, number: rejected.number, title: rejected.title, step: stepName, actor: actor.name, reason }),
    );
    await this.refresh(rejected.number);
    return rejected;
  }

  /** A text to the requester, in the chat they asked from, with an @-mention. */
  async tellRequester(approval: Approval, text: string): Promise<void> {
    const target = { platform: approval.sourcePlatform as Platform, chatId: approval.sourceChatId };
    const mentions = await this.reach.mention(this.d.directory.person(approval.requesterId), target.platform);
    await this.d.outbox.send(target, { type: 'text', text, mentions });
  }

  /** A direct text to a person. */
  async tellPerson(personId: string | null | undefined, text: string, platform: Platform): Promise<void> {
    const person = personId ? this.d.directory.person(personId) : undefined;
    const target = person && (await this.reach.direct(person, platform));
    if (target) await this.d.outbox.send(target, { type: 'text', text });
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
    for (const step of pending.filter((s) => approvers(s).includes(delegator.id))) {
      await this.sendApproverCard(await this.get(step.approval.number), delegate.id, step.approval.sourcePlatform as Platform);
    }
  }
}
