import type { Platform } from '../chat/model.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import { localDateTime } from '../time.js';
import { APPROVAL, changeCard, type FullApproval } from './cards.js';
import { affectedDepartments } from './form.js';
import type { ApprovalMessages } from './messages.js';
import type { ApprovalDeps, ApprovalService } from './service.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The change's own name (HIS 数据库升级), without the request's level prefix. */
const changeName = (a: FullApproval) => (a.data as Record<string, string>).title ?? a.title;

/**
 * A change after approval (变更管理): a notice before the window to the implementer and the
 * affected departments; at the window's start the implementer confirms the backup before the
 * change shows as in progress; then the verification result, a notice to the departments, and a
 * post-implementation review due within seven days, reminded until it is filed.
 */
export class ChangeLifecycle {
  constructor(
    private readonly d: ApprovalDeps,
    private readonly approvals: ApprovalService,
    private readonly messages: ApprovalMessages,
  ) {}

  /** Called when a change is approved. */
  async schedule(approval: FullApproval): Promise<void> {
    const noticeAt = new Date(approval.windowStart!.getTime() - this.noticeMinutes() * 60_000);
    await this.setPhase(approval, 'scheduled', noticeAt < this.d.clock.now() ? this.d.clock.now() : noticeAt);
    const engineers = await this.messages.reach.chatFor('engineers', approval.sourcePlatform as Platform);
    const fresh = await this.approvals.get(approval.number);
    if (engineers) {
      const message = changeCard(fresh, this.d.directory, this.d.timeZone);
      if (message.type === 'card') message.card.mentions = await this.messages.reach.mention(this.implementer(fresh), engineers.platform);
      await this.d.outbox.send(engineers, message, { entityType: APPROVAL, entityId: fresh.number, kind: 'change' });
    }
  }

  /** What is due now for an approved change (the watcher calls this at `nextPhaseAt`). */
  async due(approval: FullApproval): Promise<void> {
    const now = this.d.clock.now();
    const platform = approval.sourcePlatform as Platform;
    const window = `${localDateTime(approval.windowStart!, this.d.timeZone)} – ${localDateTime(approval.windowEnd!, this.d.timeZone)}`;
    if ((approval.phase === 'scheduled' || approval.phase === 'noticed') && now >= approval.windowStart!) {
      await this.setPhase(approval, 'awaiting_backup', null);
      await this.messages.tellPerson(approval.implementerId, t('change.windowOpen.notify', { number: approval.number, title: approval.title }), platform);
      // The card the notice speaks of, with its buttons, where the implementer reads it; updated in place like the group's.
      const implementer = this.implementer(approval);
      const direct = implementer && (await this.messages.reach.direct(implementer, platform));
      if (direct) {
        const card = changeCard(await this.approvals.get(approval.number), this.d.directory, this.d.timeZone);
        await this.d.outbox.send(direct, card, { entityType: APPROVAL, entityId: approval.number, kind: 'change' });
      }
    } else if (approval.phase === 'scheduled') {
      await this.setPhase(approval, 'noticed', approval.windowStart);
      await this.messages.tellPerson(
        approval.implementerId,
        t('change.notice.implementer', { number: approval.number, title: approval.title, window }),
        platform,
      );
      const systems = `${(approval.data as Record<string, string>).systems}`;
      await this.noticeDepartments(approval, t('change.notice.departments', { name: changeName(approval), window, systems }));
    } else if (approval.phase === 'review_pending' && approval.reviewDueAt) {
      const overdue = now >= approval.reviewDueAt;
      await this.setPhase(approval, 'review_pending', new Date(now.getTime() + DAY_MS));
      const when = t(overdue ? 'change.review.overdue' : 'change.review.remind');
      const text = t('change.review.reminder', {
        when,
        number: approval.number,
        title: approval.title,
        due: localDateTime(approval.reviewDueAt, this.d.timeZone),
      });
      await this.messages.tellPerson(approval.implementerId, text, platform);
      if (overdue) {
        const director = this.d.directory.director();
        await this.messages.tellPerson(director?.id, text, platform);
      }
    }
    await this.approvals.refresh(approval.number);
  }

  async backupDone(number: string, actor: Person): Promise<FullApproval> {
    const approval = await this.inPhase(number, 'awaiting_backup', actor, t('change.what.backup'));
    await this.setPhase(approval, 'in_progress', null);
    await this.d.audit.record({ actorId: actor.id, action: 'change.backup', entityType: APPROVAL, entityId: number, after: { phase: 'in_progress' } });
    await this.approvals.refresh(number);
    return this.approvals.get(number);
  }

  async verified(number: string, actor: Person, ok: boolean, comment: string): Promise<FullApproval> {
    if (!comment.trim()) throw new BotError('missing_text', { what: t('change.needs.verification') });
    const approval = await this.inPhase(number, 'in_progress', actor, t('change.what.verify'));
    const reviewDueAt = this.d.calendar.add(this.d.clock.now(), this.d.directory.org.approvals.reviewWithin);
    await this.d.tx.approval.update({
      where: { id: approval.id },
      data: { phase: 'review_pending', reviewDueAt, nextPhaseAt: new Date(reviewDueAt.getTime() - DAY_MS), version: { increment: 1 } },
    });
    await this.d.audit.record({
      actorId: actor.id,
      action: ok ? 'change.verified' : 'change.rolled_back',
      entityType: APPROVAL,
      entityId: number,
      after: { comment: comment.trim() },
    });
    await this.noticeDepartments(
      approval,
      ok
        ? t('change.verified.notice', { name: changeName(approval), comment: comment.trim() })
        : t('change.rolledBack.notice', { name: changeName(approval), comment: comment.trim() }),
    );
    await this.approvals.refresh(number);
    return this.approvals.get(number);
  }

  async reviewed(number: string, actor: Person, summary: string): Promise<FullApproval> {
    if (!summary.trim()) throw new BotError('missing_text', { what: t('change.needs.review') });
    const approval = await this.inPhase(number, 'review_pending', actor, t('change.what.review'));
    await this.setPhase(approval, 'closed', null);
    await this.d.audit.record({ actorId: actor.id, action: 'change.reviewed', entityType: APPROVAL, entityId: number, after: { summary: summary.trim() } });
    await this.approvals.refresh(number);
    return this.approvals.get(number);
  }

  private async inPhase(number: string, phase: string, actor: Person, what: string): Promise<FullApproval> {
    const approval = await this.approvals.get(number);
    if (approval.type !== 'change' || approval.status !== 'approved') throw new BotError('unknown_action');
    const implementer = this.implementer(approval);
    if (actor.id !== approval.implementerId && !this.d.directory.hasRole(actor, 'it_director')) {
      throw new BotError('not_implementer', { implementer: implementer?.name ?? '—', what });
    }
    if (approval.phase !== phase)
      throw new BotError('step_not_pending', { step: what, result: t('change.phase.current', { phase: this.phaseText(approval.phase) }) });
    return approval;
  }

  private phaseText(phase: string | null): string {
    const phases = ['scheduled', 'noticed', 'awaiting_backup', 'in_progress', 'review_pending', 'closed'] as const;
    const known = phases.find((p) => p === phase);
    return known ? t(`change.phaseShort.${known}`) : '—';
  }

  private implementer(approval: FullApproval): Person | undefined {
    return approval.implementerId ? this.d.directory.person(approval.implementerId) : undefined;
  }

  private async setPhase(approval: FullApproval, phase: string, nextPhaseAt: Date | null): Promise<void> {
    await this.d.tx.approval.update({ where: { id: approval.id }, data: { phase, nextPhaseAt, version: { increment: 1 } } });
  }

  private noticeMinutes(): number {
    const before = this.d.directory.org.approvals.changeNoticeBefore;
    return 'minutes' in before ? before.minutes : before.workdays * this.d.calendar.dayMinutes;
  }

  /** Each affected department's own chat, or the intake group when it has none (once per chat). */
  private async noticeDepartments(approval: FullApproval, text: string): Promise<void> {
    const { directory } = this.d;
    const platform = approval.sourcePlatform as Platform;
    const intake = directory.chatByPurpose('intake')!.id;
    const affected = affectedDepartments((approval.data as Record<string, string>).departments ?? '', directory);
    const chats = new Set<string>(affected.departments.map((d) => d.chat ?? intake));
    // The whole hospital hears it in the intake group too, where everyone reports.
    if (chats.size === 0 || affected.wholeHospital) chats.add(intake);
    for (const chatId of chats) {
      const target = await this.messages.reach.chat(chatId, platform);
      if (target) await this.d.outbox.send(target, { type: 'text', text });
    }
  }
}
