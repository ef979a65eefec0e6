import type { Platform } from '../chat/model.js';
import type { Ticket } from '../../generated/prisma/client.js';
import type { DutyService } from '../duty/service.js';
import { t } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import type { Priority } from '../org/schema.js';
import type { TicketDeps, TicketLedger } from './ledger.js';

/** What an escalation does now: wait until `at`, or ask `to` (a step kind, `leadership` or a person id) and wake again at `next`. */
export type EscalationMove = { at: Date } | { to: string; next: Date };

/** Whom a step is about: the work's state, its holder and its IT group. */
export type EscalationSubject = Pick<Ticket, 'status' | 'assigneeId' | 'itGroupId'>;

/**
 * The steps of an escalation policy (`tickets.escalation.policy`), shared by tickets and incidents:
 * when the next step falls due, whom it reaches (whoever covers a leave stands in), and how the
 * person asked is told directly.
 */
export class EscalationSteps {
  constructor(
    private readonly d: TicketDeps,
    private readonly ledger: TicketLedger,
    private readonly duty: DutyService,
  ) {}

  /**
   * For a deadline that passed at `deadline`, the move of an escalation now at `level`: wait for the
   * step's time (or, under a working-hours policy, for working hours), or take the step. Past the last
   * step the last person asked is reminded, `remindEvery` and then ever less often (the leadership
   * group is told once).
   */
  move(priority: Priority, deadline: Date, level: number, now: Date): EscalationMove {
    const { deadlines } = this.d;
    const steps = deadlines.policy(priority).steps;
    const dueAt = level < steps.length ? deadlines.escalationStep(priority, deadline, level) : deadlines.escalationMayRun(priority, now);
    if (dueAt > now) return { at: dueAt };
    const to = level < steps.length ? steps[level]!.to : (steps.findLast((x) => x.to !== 'leadership') ?? steps.at(-1)!).to;
    const next =
      level + 1 < steps.length
        ? deadlines.escalationStep(priority, deadline, level + 1)
        : deadlines.escalationReminder(priority, now, level + 1 - steps.length);
    return { to, next: next > now ? next : new Date(now.getTime() + 60_000) };
  }

  /** The people a priority's policy pages the moment the work comes in. */
  async atOnce(priority: Priority, subject: EscalationSubject): Promise<Person[]> {
    const people = await Promise.all(this.d.deadlines.policy(priority).atOnce.map((to) => (to === 'leadership' ? undefined : this.target(subject, to))));
    return people.filter((p): p is Person => !!p);
  }

  /** Who a step reaches: the duty engineer (or the holder), the group leader, the IT director, or a person; never someone on leave. */
  async target(subject: EscalationSubject, step: string): Promise<Person | undefined> {
    const found = await this.chosen(subject, step);
    // A person on approved leave is never asked: whoever covers is.
    return found && this.d.directory.person(await this.duty.stands(found.id, this.duty.today()));
  }

  /** How the card names whom a step reached. */
  targetName(to: string, target: Person | undefined): string {
    if (to === 'leadership') return t('ticket.escalation.leadership');
    return target ? this.d.directory.callName(target) : '';
  }

  /** A direct message to a person, on the work's platform when they are on it. */
  async tell(person: Person, platform: Platform, text: string): Promise<void> {
    const direct = await this.ledger.reach.direct(person, platform);
    if (direct) await this.d.outbox.send(direct, { type: 'text', text });
  }

  /** A notice to the leadership group, when the hospital has one on this platform. */
  async tellLeadership(platform: Platform, text: string): Promise<void> {
    const leadership = await this.ledger.chatFor('leadership', platform);
    if (leadership) await this.d.outbox.send(leadership, { type: 'text', text });
  }

  private async chosen(subject: EscalationSubject, step: string): Promise<Person | undefined> {
    const { directory } = this.d;
    const person = (id: string | null | undefined) => (id ? directory.person(id) : undefined);
    switch (step) {
      case 'duty':
        return subject.status === 'claimed' ? person(subject.assigneeId) : this.duty.engineerOnDuty();
      case 'group_leader':
        return person(directory.org.itGroups.find((g) => g.id === subject.itGroupId)?.leader) ?? directory.director();
      case 'it_director':
        return directory.director();
      default:
        return person(step);
    }
  }
}
