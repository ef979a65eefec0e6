import type { Card, OutgoingMessage, Platform } from '../chat/model.js';
import type { Handover } from '../../generated/prisma/client.js';
import type { TxDeps } from '../deps.js';
import { BotError } from '../errors.js';
import { t, tmd } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import type { Org } from '../org/schema.js';
import { Reach } from '../reach.js';
import { localDateTime } from '../time.js';
import { incidentsToHandOver, type PendingWork } from './handover-incidents.js';
import type { DutyService } from './service.js';

type Shift = Org['duty']['shifts'][number];
export const HANDOVER = 'handover';
export const HANDOVER_ACTION = { submit: 'handover.submit', accept: 'handover.accept' } as const;

const CHECKLIST = [
  { name: 'spares', label: t('handover.checklist.spares'), kind: 'input' as const },
  { name: 'lent', label: t('handover.checklist.lent'), kind: 'input' as const },
  { name: 'tools', label: t('handover.checklist.tools'), kind: 'input' as const },
  { name: 'devices', label: t('handover.checklist.devices'), kind: 'input' as const },
  { name: 'notes', label: t('handover.checklist.notes'), kind: 'textarea' as const },
];
const STATUSES = ['draft', 'submitted', 'accepted', 'overdue'] as const;
/** A handover's status as `texts` words it (`handover.status`: the card, `handover.log`: the log), else as stored. */
const statusIn = (texts: 'handover.status' | 'handover.log', status: string) => {
  const known = STATUSES.find((s) => s === status);
  return known ? t(`${texts}.${known}`) : status;
};

type Pending = PendingWork;

/** Shift handover (交接班): a checklist card at each shift's end, accepted by the incoming engineer on time. */
export class HandoverService {
  private readonly reach: Reach;

  constructor(
    private readonly d: TxDeps,
    private readonly duty: DutyService,
  ) {
    this.reach = new Reach(d.tx, d.directory);
  }

  /** At the end of a shift: the outgoing engineer's handover card, with the open work filled in. */
  async start(shift: Shift, endedAt: Date): Promise<Handover | undefined> {
    const { tx, directory } = this.d;
    const startDay = [0, 1]
      .map((back) => new Date(endedAt.getTime() - back * 24 * 60 * 60 * 1000))
      .map((d) => this.duty.dayOf(d))
      .find((day) => {
        const { end } = this.duty.window(shift, day);
        return Math.abs(end.getTime() - endedAt.getTime()) < 60_000;
      });
    if (!startDay) return undefined;
    const outgoing = await tx.dutyAssignment.findUnique({ where: { date_shiftId: { date: startDay, shiftId: shift.id } } });
    if (!outgoing) return undefined;
    // Whoever covered the shift hands it over, not the engineer on leave.
    const outgoingId = await this.duty.stands(outgoing.personId, startDay);
    const incoming = await this.incoming(shift, endedAt, outgoingId);
    const tickets = await tx.ticket.findMany({
      // Reports in an unresolved incident are handed over as their incident.
      where: { status: { in: ['open', 'claimed'] }, OR: [{ incidentId: null }, { incident: { status: 'resolved' } }] },
      orderBy: [{ priority: 'asc' }, { responseDueAt: 'asc' }],
      take: 30,
    });
    const worked: Pending[] = tickets.map((x) => ({
      number: x.number,
      priority: x.priority,
      title: x.title,
      status: x.status === 'open' ? t('handover.pending.open') : t('handover.pending.claimed', { name: directory.person(x.assigneeId ?? '')?.name ?? '' }),
      due: localDateTime(x.status === 'open' ? x.responseDueAt : (x.resolveDueAt ?? x.responseDueAt), this.d.timeZone),
    }));
    // Incidents first within a priority (the sort is stable), then the tickets.
    const pending = [...(await incidentsToHandOver(this.d)), ...worked].sort((a, b) => a.priority.localeCompare(b.priority));
    const handover = await tx.handover.create({
      data: {
        shiftId: shift.id,
        day: startDay,
        fromId: outgoingId,
        toId: incoming?.id ?? null,
        status: 'draft',
        pending: pending as never,
        createdAt: this.d.clock.now(),
      },
    });
    await this.send(handover, outgoingId, 'from');
    return handover;
  }

  /** The engineer of a shift that starts when this one ends (another shift first, then the same one next day), not the outgoing one. */
  private async incoming(shift: Shift, at: Date, outgoingId: string): Promise<Person | undefined> {
    const shifts = this.d.directory.org.duty.shifts;
    // The same shift when it starts again now (the 24 h 主班), else a shift that starts when this one ends.
    for (const next of [shift, ...shifts.filter((s) => s.id !== shift.id)]) {
      const day = this.duty.dayOf(at);
      if (Math.abs(this.duty.window(next, day).start.getTime() - at.getTime()) >= 60_000) continue;
      const row = await this.d.tx.dutyAssignment.findUnique({ where: { date_shiftId: { date: day, shiftId: next.id } } });
      const incomingId = row && (await this.duty.stands(row.personId, day));
      if (incomingId && incomingId !== outgoingId) return this.d.directory.person(incomingId);
    }
    return undefined;
  }

  /** A person's direct chat, on a real platform when they are on one. */
  private async directTo(personId: string) {
    const person = this.d.directory.person(personId);
    if (!person) return undefined;
    const platform = ((await this.d.tx.platformIdentity.findFirst({ where: { personId, platform: { not: 'simulator' } } }))?.platform ??
      'simulator') as Platform;
    return this.reach.direct(person, platform);
  }

  private async send(handover: Handover, personId: string, role: 'from' | 'to'): Promise<void> {
    const target = await this.directTo(personId);
    if (target) await this.d.outbox.send(target, this.card(handover, role), { entityType: HANDOVER, entityId: String(handover.id), kind: role });
  }

  card(h: Handover, role: 'from' | 'to'): OutgoingMessage {
    const { directory } = this.d;
    const shift = directory.org.duty.shifts.find((s) => s.id === h.shiftId);
    const from = directory.person(h.fromId);
    const to = h.toId ? directory.person(h.toId) : undefined;
    const pending = (h.pending as unknown as Pending[]) ?? [];
    const checklist = (h.checklist as Record<string, string> | null) ?? {};
    const status = statusIn('handover.status', h.status);
    const card: Card = {
      title: t('handover.card.title', { day: h.day, shift: shift?.name ?? h.shiftId }),
      color: h.status === 'accepted' ? 'green' : h.status === 'overdue' ? 'red' : 'blue',
      fields: [
        { label: t('handover.field.status'), value: status },
        { label: t('handover.field.from'), value: from?.name ?? h.fromId },
        { label: t('handover.field.to'), value: to?.name ?? t('handover.field.nobody') },
        ...CHECKLIST.filter((c) => checklist[c.name]).map((c) => ({ label: c.label.replace(/（.*）/, ''), value: checklist[c.name]! })),
      ],
      markdown: pending.length
        ? tmd('handover.pending.title', { n: pending.length, lines: pending.map((p) => t('handover.pending.line', { ...p })).join('\n') })
        : tmd('handover.pending.none'),
      buttons: [],
    };
    if (role === 'from' && h.status === 'draft') {
      card.form = {
        inputs: CHECKLIST,
        submits: [
          {
            label: t('handover.button.submit'),
            action: HANDOVER_ACTION.submit,
            value: { handover: h.id },
            style: 'primary',
            command: t('handover.command.submit', { id: h.id }),
          },
        ],
      };
    }
    if (role === 'to' && h.status === 'submitted') {
      card.buttons = [
        {
          label: t('handover.button.accept'),
          action: HANDOVER_ACTION.accept,
          value: { handover: h.id },
          style: 'primary',
          command: t('handover.command.accept', { id: h.id }),
        },
      ];
    }
    return { type: 'card', card };
  }

  private async get(id: number): Promise<Handover> {
    const h = await this.d.tx.handover.findUnique({ where: { id } });
    if (!h) throw new BotError('unknown_action');
    return h;
  }

  async submit(id: number, person: Person, checklist: Record<string, string>): Promise<Handover> {
    const h = await this.get(id);
    if (h.fromId !== person.id)
      throw new BotError('not_implementer', { implementer: this.d.directory.person(h.fromId)?.name ?? h.fromId, what: t('handover.what.submit') });
    if (h.status !== 'draft') throw new BotError('step_not_pending', { step: t('handover.step.submit'), result: t('handover.result.submitted') });
    const now = this.d.clock.now();
    // Without an incoming engineer on the roster there is nobody to wait for.
    const acceptDueAt = h.toId ? this.d.calendar.add(now, this.d.directory.org.duty.handoverAcceptWithin) : null;
    const updated = await this.d.tx.handover.update({ where: { id }, data: { status: 'submitted', checklist, submittedAt: now, acceptDueAt } });
    await this.d.audit.record({ actorId: person.id, action: 'handover.submit', entityType: HANDOVER, entityId: String(id), after: checklist });
    await this.refresh(updated);
    if (updated.toId) await this.send(updated, updated.toId, 'to');
    return updated;
  }

  async accept(id: number, person: Person): Promise<Handover> {
    const h = await this.get(id);
    if (h.toId !== person.id)
      throw new BotError('not_implementer', {
        implementer: this.d.directory.person(h.toId ?? '')?.name ?? t('handover.incoming'),
        what: t('handover.what.accept'),
      });
    if (h.status !== 'submitted' && h.status !== 'overdue')
      throw new BotError('step_not_pending', {
        step: t('handover.step.accept'),
        result: t(h.status === 'accepted' ? 'handover.result.accepted' : 'handover.result.notSubmitted'),
      });
    const updated = await this.d.tx.handover.update({ where: { id }, data: { status: 'accepted', acceptedAt: this.d.clock.now() } });
    await this.d.audit.record({ actorId: person.id, action: 'handover.accept', entityType: HANDOVER, entityId: String(id) });
    await this.refresh(updated);
    return updated;
  }

  /** A submitted handover nobody accepted in time: the IT director is told (once, by whoever claims it). */
  async overdue(h: Handover): Promise<void> {
    const claimed = await this.d.tx.handover.updateMany({ where: { id: h.id, status: 'submitted' }, data: { status: 'overdue' } });
    if (claimed.count === 0) return;
    const updated = await this.d.tx.handover.findUniqueOrThrow({ where: { id: h.id } });
    const director = this.d.directory.director();
    const shift = this.d.directory.org.duty.shifts.find((s) => s.id === h.shiftId)?.name ?? h.shiftId;
    if (director) {
      const target = await this.directTo(director.id);
      const to = this.d.directory.person(h.toId ?? '')?.name ?? t('handover.incoming');
      if (target)
        await this.d.outbox.send(target, {
          type: 'text',
          text: t('handover.overdue.notify', { day: h.day, shift, from: `${this.d.directory.person(h.fromId)?.name}`, to }),
        });
    }
    await this.refresh(updated);
  }

  private async refresh(h: Handover): Promise<void> {
    await this.d.outbox.updateShown(HANDOVER, String(h.id), ({ kind }) => this.card(h, kind as 'from' | 'to'));
  }

  /** `交接记录`: the latest handovers. */
  async recent(): Promise<OutgoingMessage> {
    const rows = await this.d.tx.handover.findMany({ orderBy: { id: 'desc' }, take: 10 });
    const { directory } = this.d;
    const lines = rows.map(
      (h) =>
        `${h.day} ${directory.org.duty.shifts.find((s) => s.id === h.shiftId)?.name ?? h.shiftId}｜${directory.person(h.fromId)?.name} → ${directory.person(h.toId ?? '')?.name ?? '—'}｜${statusIn('handover.log', h.status)}`,
    );
    return {
      type: 'card',
      card: { title: t('handover.log.title', { n: rows.length }), color: 'blue', fields: [], text: lines.join('\n') || t('handover.log.empty'), buttons: [] },
    };
  }
}
