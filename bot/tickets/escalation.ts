import type { Platform } from '../chat/model.js';
import type { Ticket } from '../../generated/prisma/client.js';
import { elapsedText, t } from '../i18n/zh.js';
import type { Priority } from '../org/schema.js';
import type { TicketConfirmation } from './confirm.js';
import { describeDuration } from './deadline.js';
import type { EscalationSteps } from './escalation-steps.js';
import type { TicketDeps, TicketLedger } from './ledger.js';
import { priorityName } from './status.js';

/**
 * What a passed deadline of a ticket does: a response or resolution deadline that passed escalates
 * by its priority's policy (duty engineer → group leader → IT director → leadership group for a P1),
 * reminding until someone acts; a ticket worked for long reminds its engineer to update the reporter; a resolved ticket
 * nobody confirmed closes by itself. Each step is a compare-and-set on the row as the caller read
 * it, so with several instances every step still happens once.
 */
export class TicketEscalation {
  constructor(
    private readonly d: TicketDeps,
    private readonly ledger: TicketLedger,
    private readonly confirmation: TicketConfirmation,
    private readonly steps: EscalationSteps,
  ) {}

  /** Claims the step: only the instance whose update matches the row as read goes on. */
  private async claim(ticket: Ticket): Promise<Ticket | undefined> {
    const claimed = await this.d.tx.ticket.updateMany({
      where: { id: ticket.id, version: ticket.version },
      data: { version: { increment: 1 } },
    });
    if (claimed.count === 0) return undefined;
    return this.d.tx.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
  }

  /** A resolved ticket nobody confirmed by its deadline closes by itself. */
  async autoClose(ticket: Ticket): Promise<void> {
    const current = await this.claim(ticket);
    if (current) await this.confirmation.autoClose(current);
  }

  /** A ticket worked on for long: its engineer is reminded to update the reporter. */
  async remindUpdate(ticket: Ticket): Promise<void> {
    const current = await this.claim(ticket);
    if (!current) return;
    const { ledger } = this;
    const elapsed = Math.round((this.d.clock.now().getTime() - (current.claimedAt ?? current.createdAt).getTime()) / 60_000);
    const assignee = current.assigneeId ? this.d.directory.person(current.assigneeId) : undefined;
    await ledger.change(
      current,
      { nextUpdateAt: this.d.deadlines.nextUpdate(current.priority as Priority, this.d.clock.now()) },
      { actor: null, type: 'update_reminder' },
    );
    await ledger.tellEngineers(current, t('ticket.reminder.update', { number: current.number, elapsed: elapsedText(elapsed) }), [assignee]);
  }

  /**
   * A ticket due for its next escalation step, by its priority's policy (`tickets.escalation.policy`):
   * right after a report, whoever the policy pages at once; once the deadline passed, each step in turn
   * (the person asked gets a direct message, the leadership group a notice), then a reminder of the
   * last step every `remindEvery`. A working-hours policy speaks only within working hours. The
   * engineers' group keeps one escalation card per ticket, redrawn with the step and who is asked.
   */
  async escalate(ticket: Ticket): Promise<void> {
    const current = await this.claim(ticket);
    if (!current) return;
    const { ledger, steps } = this;
    const now = this.d.clock.now();
    const priority = current.priority as Priority;
    const what = current.status === 'open' ? 'response' : 'resolution';
    const deadline = what === 'response' ? current.responseDueAt : (current.resolveDueAt ?? current.responseDueAt);
    const level = current.escalationLevel;
    if (deadline > now) {
      if (what === 'response' && level === 0) await this.page(current);
      await this.d.tx.ticket.update({ where: { id: current.id }, data: { nextEscalationAt: deadline } });
      return;
    }
    const move = steps.move(priority, deadline, level, now);
    if ('at' in move) {
      await this.d.tx.ticket.update({ where: { id: current.id }, data: { nextEscalationAt: move.at } });
      return;
    }
    const { to } = move;
    const target = to === 'leadership' ? undefined : await steps.target(current, to);
    const escalated = await ledger.change(
      current,
      { escalationLevel: level + 1, nextEscalationAt: move.next },
      { actor: null, type: 'escalated', data: { what, level: level + 1, to: target?.id ?? (to === 'leadership' ? to : null) } },
      { redraw: false },
    );
    const minutes = Math.max(1, Math.round((now.getTime() - deadline.getTime()) / 60_000));
    const platform = current.sourcePlatform as Platform;
    const params = {
      number: current.number,
      priority,
      priorityName: priorityName(priority),
      title: current.title,
      what: t(`ticket.escalation.${what}`),
      minutes,
      late: elapsedText(minutes),
    };
    if (to === 'leadership') await steps.tellLeadership(platform, t('ticket.escalation.toLeadership', params));
    else if (target) await steps.tell(target, platform, t('ticket.escalation.direct', { ...params, call: this.d.directory.callName(target) }));
    const engineers = await ledger.chatFor('engineers', platform);
    if (!engineers) return;
    const targetName = steps.targetName(to, target);
    await ledger.showEscalation(engineers, escalated, { what, level: level + 1, minutes, targetId: target?.id ?? null, targetName });
  }

  /** Right after a report: whoever the priority's policy pages at once is told directly, and named in the engineers' group. */
  private async page(ticket: Ticket): Promise<void> {
    const priority = ticket.priority as Priority;
    if (this.d.deadlines.policy(priority).atOnce.length === 0 || ticket.incidentId) return;
    if (await this.d.tx.ticketEvent.findFirst({ where: { ticketId: ticket.id, type: 'paged' } })) return;
    const platform = ticket.sourcePlatform as Platform;
    const people = await this.steps.atOnce(priority, ticket);
    const params = { number: ticket.number, priority, priorityName: priorityName(priority), title: ticket.title };
    const within = describeDuration(this.d.deadlines.respondWithin(priority));
    for (const person of people)
      await this.steps.tell(person, platform, t('ticket.escalation.page', { ...params, within, call: this.d.directory.callName(person) }));
    await this.ledger.record(ticket, 'paged', null, { to: people.map((p) => p.id) });
    const engineers = await this.ledger.chatFor('engineers', platform);
    if (!engineers || people.length === 0) return;
    const mentions = (await Promise.all(people.map((p) => this.ledger.mention(p, engineers.platform)))).flat();
    const call = people.map((p) => this.d.directory.callName(p)).join('、');
    await this.d.outbox.send(engineers, { type: 'text', text: t('ticket.escalation.pageGroup', { ...params, call }), mentions });
  }
}
