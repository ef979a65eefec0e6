import type { Card, OutgoingMessage, Platform } from '../chat/model.js';
import type { Handover } from '../../generated/prisma/client.js';
import type { TxDeps } from '../deps.js';
import { BotError } from '../errors.js';
import type { Person } from '../org/directory.js';
import type { Org } from '../org/schema.js';
import { Reach } from '../reach.js';
import { localDateTime } from '../time.js';
import type { DutyService } from './service.js';

type Shift = Org['duty']['shifts'][number];
export const HANDOVER = 'handover';
export const HANDOVER_ACTION = { submit: 'handover.submit', accept: 'handover.accept' } as const;

const CHECKLIST = [
  { name: 'spares', label: '备用机（台数，借出的在哪里）', kind: 'input' as const },
  { name: 'lent', label: '物品借出', kind: 'input' as const },
  { name: 'tools', label: '维修工具（件数）', kind: 'input' as const },
  { name: 'devices', label: '今日接收 / 安装的设备', kind: 'input' as const },
  { name: 'notes', label: '其他交代', kind: 'textarea' as const },
];

interface Pending {
  number: string;
  priority: string;
  title: string;
  status: string;
  due: string;
}

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
    const startDay = [0, 1].map((back) => new Date(endedAt.getTime() - back * 24 * 60 * 60 * 1000)).map((d) => this.duty.dayOf(d)).find((day) => {
      const { end } = this.duty.window(shift, day);
      return Math.abs(end.getTime() - endedAt.getTime()) < 60_000;
    });
    if (!startDay) return undefined;
    const outgoing = await tx.dutyAssignment.findUnique({ where: { date_shiftId: { date: startDay, shiftId: shift.id } } });
    if (!outgoing) return undefined;
    const incoming = await this.incoming(shift, endedAt, outgoing.personId);
    const tickets = await tx.ticket.findMany({ where: { status: { in: ['open', 'claimed'] } }, orderBy: [{ priority: 'asc' }, { responseDueAt: 'asc' }], take: 30 });
    const pending: Pending[] = tickets.map((x) => ({
      number: x.number,
      priority: x.priority,
      title: x.title,
      status: x.status === 'open' ? '待认领' : `处理中（${directory.person(x.assigneeId ?? '')?.name ?? ''}）`,
      due: localDateTime(x.status === 'open' ? x.responseDueAt : (x.resolveDueAt ?? x.responseDueAt), this.d.timeZone),
    }));
    const handover = await tx.handover.create({
      data: { shiftId: shift.id, day: startDay, fromId: outgoing.personId, toId: incoming?.id ?? null, status: 'draft', pending: pending as never, createdAt: this.d.clock.now() },
    });
    await this.send(handover, outgoing.personId, 'from');
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
      if (row && row.personId !== outgoingId) return this.d.directory.person(row.personId);
    }
    return undefined;
  }

  /** A person's direct chat, on a real platform when they are on one. */
  private async directTo(personId: string) {
    const person = this.d.directory.person(personId);
    if (!person) return undefined;
    const platform = ((await this.d.tx.platformIdentity.findFirst({ where: { personId, platform: { not: 'simulator' } } }))?.platform ?? 'simulator') as Platform;
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
    const status = { draft: '待交班人填写', submitted: '待接班人确认', accepted: '已交接', overdue: '接班超时未确认' }[h.status] ?? h.status;
    const card: Card = {
      title: `交接班 · ${h.day} ${shift?.name ?? h.shiftId}`,
      color: h.status === 'accepted' ? 'green' : h.status === 'overdue' ? 'red' : 'blue',
      fields: [
        { label: '状态', value: status },
        { label: '交班', value: from?.name ?? h.fromId },
        { label: '接班', value: to?.name ?? '无接班人（未排班）' },
        ...CHECKLIST.filter((c) => checklist[c.name]).map((c) => ({ label: c.label.replace(/（.*）/, ''), value: checklist[c.name]! })),
      ],
      markdown: pending.length
        ? `**待完成工作（${pending.length}）**\n${pending.map((p) => `${p.priority} ${p.number} ${p.title}｜${p.status}｜时限 ${p.due}`).join('\n')}`
        : '**待完成工作**：无',
      buttons: [],
    };
    if (role === 'from' && h.status === 'draft') {
      card.form = { inputs: CHECKLIST, submits: [{ label: '提交交班', action: HANDOVER_ACTION.submit, value: { handover: h.id }, style: 'primary', command: `交班 H${h.id} 交接内容` }] };
    }
    if (role === 'to' && h.status === 'submitted') {
      card.buttons = [{ label: '确认接班', action: HANDOVER_ACTION.accept, value: { handover: h.id }, style: 'primary', command: `接班 H${h.id}` }];
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
    if (h.fromId !== person.id) throw new BotError('not_implementer', { implementer: this.d.directory.person(h.fromId)?.name ?? h.fromId, what: '提交这次交班' });
    if (h.status !== 'draft') throw new BotError('step_not_pending', { step: '交班', result: '已提交' });
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
    if (h.toId !== person.id) throw new BotError('not_implementer', { implementer: this.d.directory.person(h.toId ?? '')?.name ?? '接班人', what: '确认这次接班' });
    if (h.status !== 'submitted' && h.status !== 'overdue') throw new BotError('step_not_pending', { step: '接班', result: h.status === 'accepted' ? '已确认' : '交班人尚未提交' });
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
      const to = this.d.directory.person(h.toId ?? '')?.name ?? '接班人';
      if (target) await this.d.outbox.send(target, { type: 'text', text: `交接班未确认：${h.day} ${shift}由 ${this.d.directory.person(h.fromId)?.name} 交出，${to} 超时未确认接班。` });
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
    const status = { draft: '待填写', submitted: '待接班', accepted: '已交接', overdue: '超时未接' } as Record<string, string>;
    const lines = rows.map((h) => `${h.day} ${directory.org.duty.shifts.find((s) => s.id === h.shiftId)?.name ?? h.shiftId}｜${directory.person(h.fromId)?.name} → ${directory.person(h.toId ?? '')?.name ?? '—'}｜${status[h.status] ?? h.status}`);
    return { type: 'card', card: { title: `交接记录（${rows.length}）`, color: 'blue', fields: [], text: lines.join('\n') || '暂无交接记录', buttons: [] } };
  }
}
