import type { OutgoingMessage } from '../chat/model.js';
import { zonedInstant } from '../calendar.js';
import type { Platform } from '../chat/model.js';
import type { Clock } from '../clock.js';
import type { Tx } from '../db/client.js';
import { BotError } from '../errors.js';
import { t, tmd } from '../i18n/zh.js';
import type { Directory, Person } from '../org/directory.js';
import type { Org } from '../org/schema.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Reach } from '../reach.js';
import { localDate } from '../time.js';
import { checkRoster, type RosterRow } from './roster-file.js';

type Shift = Org['duty']['shifts'][number];
const DAY_MS = 24 * 60 * 60 * 1000;

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
const weekday = (day: string) => t(`duty.weekday.${new Date(`${day}T00:00:00Z`).getUTCDay() as 0 | 1 | 2 | 3 | 4 | 5 | 6}`);

export interface OnDuty {
  shift: Shift;
  day: string;
  /** Who is on duty: the rostered engineer, or whoever covers while they are on approved leave. */
  person: Person;
  start: Date;
  end: Date;
}

/** Duty rosters: shifts, rotations materialized ahead, overrides, imports and swaps, and who is on duty when. */
export class DutyService {
  constructor(
    private readonly d: { tx: Tx; directory: Directory; clock: Clock; timeZone: string; outbox: Outbox },
    private readonly reach: Reach,
  ) {}

  private get duty() {
    return this.d.directory.org.duty;
  }

  today(): string {
    return localDate(this.d.clock.now(), this.d.timeZone);
  }

  dayOf(at: Date): string {
    return localDate(at, this.d.timeZone);
  }

  /** A shift instance that starts on `day`: [start, end), overnight shifts ending the next day. */
  window(shift: Shift, day: string): { start: Date; end: Date } {
    const start = zonedInstant(day, shift.start, this.d.timeZone);
    const sameDay = zonedInstant(day, shift.end, this.d.timeZone);
    const end = sameDay > start ? sameDay : zonedInstant(addDays(day, 1), shift.end, this.d.timeZone);
    return { start, end };
  }

  /** Fills the roster from the rotations for `weeks` weeks from `from`, keeping what was set by hand. */
  async generate(from: string, weeks: number): Promise<number> {
    return this.fill(from, weeks * 7);
  }

  private async fill(from: string, days: number): Promise<number> {
    let created = 0;
    for (let i = 0; i < days; i++) {
      const day = addDays(from, i);
      for (const rotation of this.duty.rotations) {
        const offset = daysBetween(rotation.start, day);
        if (offset < 0) continue;
        const personId = rotation.people[offset % rotation.people.length]!;
        const exists = await this.d.tx.dutyAssignment.findUnique({ where: { date_shiftId: { date: day, shiftId: rotation.shift } } });
        if (exists) continue;
        // An upsert that changes nothing when a concurrent fill got there first.
        await this.d.tx.dutyAssignment.upsert({
          where: { date_shiftId: { date: day, shiftId: rotation.shift } },
          create: { date: day, shiftId: rotation.shift, personId, source: 'rotation' },
          update: {},
        });
        created++;
      }
    }
    return created;
  }

  async assignments(from: string, days: number) {
    const dates = Array.from({ length: days }, (_, i) => addDays(from, i));
    return this.d.tx.dutyAssignment.findMany({ where: { date: { in: dates } }, orderBy: [{ date: 'asc' }, { shiftId: 'asc' }] });
  }

  /** Who is on duty at `at`, shift by shift (an overnight shift started the day before counts). */
  async onDuty(at: Date = this.d.clock.now()): Promise<OnDuty[]> {
    const today = localDate(at, this.d.timeZone);
    // Never unknown: the days asked about are filled from the rotations if the daily fill missed them.
    await this.fill(addDays(today, -1), 2);
    const rows = await this.assignments(addDays(today, -1), 2);
    const result: OnDuty[] = [];
    for (const row of rows) {
      const shift = this.duty.shifts.find((s) => s.id === row.shiftId);
      const person = this.d.directory.person(await this.stands(row.personId, row.date));
      if (!shift || !person) continue;
      const { start, end } = this.window(shift, row.date);
      if (start <= at && at < end) result.push({ shift, day: row.date, person, start, end });
    }
    return result;
  }

  /** The first step of escalation: the main duty engineer now, else anyone on duty, else the fallback. */
  async engineerOnDuty(at?: Date): Promise<Person | undefined> {
    const now = await this.onDuty(at);
    const main = now.find((x) => x.shift.id === this.duty.shifts[0]?.id) ?? now[0];
    const fallback = this.duty.fallback ? this.d.directory.person(await this.stands(this.duty.fallback, this.dayOf(at ?? this.d.clock.now()))) : undefined;
    return main?.person ?? fallback;
  }

  /** Who stands in for `personId` on `day`: whoever covers an approved leave (离岗 … 工作交由), else the person. */
  async stands(personId: string, day: string): Promise<string> {
    return (await this.covers(day)).get(personId) ?? personId;
  }

  /** Who covers for whom on `day`, from the approved leaves (a cover on leave too passes it on). */
  async covers(day: string): Promise<Map<string, string>> {
    const leaves = await this.d.tx.approval.findMany({ where: { type: 'leave', status: 'approved' }, select: { requesterId: true, data: true } });
    const direct = this.cover(leaves, day);
    const map = new Map<string, string>();
    for (const id of direct.keys()) {
      let to = direct.get(id)!;
      for (let hops = 0; direct.has(to) && hops < direct.size; hops++) to = direct.get(to)!;
      map.set(id, to);
    }
    return map;
  }

  /**
   * One day's shift set by hand (排班). The engineer it displaces is told directly; that the new one
   * already holds another shift that day is said back to whoever set it (allowed: a double is
   * sometimes the plan, never a surprise).
   */
  async override(day: string, shiftWord: string, person: Person, actor: Person, platform: Platform): Promise<{ shift: Shift; alsoOn: Shift[] }> {
    const { directory } = this.d;
    if (!directory.hasRole(actor, 'it_director', 'it_group_leader', 'admin'))
      throw new BotError('not_allowed', { who: t('duty.override.who'), what: t('duty.override.what') });
    const shift = this.shiftOf(shiftWord);
    if (!directory.isItStaff(person)) throw new BotError('unknown_target', { target: person.name });
    await this.generate(day, 1);
    const before = await this.d.tx.dutyAssignment.findUnique({ where: { date_shiftId: { date: day, shiftId: shift.id } } });
    await this.audit(actor.id, 'duty.override', `${day}/${shift.id}`, { before: { personId: before?.personId ?? null }, after: { personId: person.id } });
    await this.d.tx.dutyAssignment.upsert({
      where: { date_shiftId: { date: day, shiftId: shift.id } },
      create: { date: day, shiftId: shift.id, personId: person.id, source: 'override' },
      update: { personId: person.id, source: 'override' },
    });
    const displaced = before && before.personId !== person.id ? directory.person(before.personId) : undefined;
    const target = displaced && (await this.reach.direct(displaced, platform));
    if (target) {
      const text = t('duty.override.displaced', { day, shift: shift.name, person: person.name, actor: actor.name });
      await this.d.outbox.send(target, { type: 'text', text });
    }
    const others = await this.d.tx.dutyAssignment.findMany({ where: { date: day, personId: person.id, shiftId: { not: shift.id } } });
    return { shift, alsoOn: this.duty.shifts.filter((s) => others.some((o) => o.shiftId === s.id)) };
  }

  shiftOf(word: string): Shift {
    const shift = this.duty.shifts.find((s) => s.id === word || s.name === word || s.name === `${word}班`);
    if (!shift) throw new BotError('roster_invalid', { reason: t('duty.shift.unknown', { word, shifts: this.duty.shifts.map((s) => s.name).join('、') }) });
    return shift;
  }

  /**
   * Two engineers' shifts on two days exchanged (an approved 换班). Both must be on the roster on
   * their days, or nothing changes and the approver is told why.
   */
  async swap(aId: string, aDay: string, bId: string, bDay: string, actorId: string | null): Promise<number> {
    const a = await this.d.tx.dutyAssignment.findMany({ where: { date: aDay, personId: aId } });
    const b = await this.d.tx.dutyAssignment.findMany({ where: { date: bDay, personId: bId } });
    const name = (id: string) => this.d.directory.person(id)?.name ?? id;
    if (a.length === 0 || b.length === 0) {
      const missing = a.length === 0 ? t('duty.swap.missing', { name: name(aId), day: aDay }) : t('duty.swap.missing', { name: name(bId), day: bDay });
      throw new BotError('not_possible', { reason: t('duty.swap.notOnRoster', { missing }) });
    }
    for (const row of a) await this.d.tx.dutyAssignment.update({ where: { id: row.id }, data: { personId: bId, source: 'swap' } });
    for (const row of b) await this.d.tx.dutyAssignment.update({ where: { id: row.id }, data: { personId: aId, source: 'swap' } });
    await this.audit(actorId, 'duty.swap', `${aDay}/${bDay}`, { before: { [aDay]: aId, [bDay]: bId }, after: { [aDay]: bId, [bDay]: aId } });
    return a.length + b.length;
  }

  private async audit(actorId: string | null, action: string, entityId: string, change: { before?: object; after?: object }): Promise<void> {
    await this.d.tx.auditLog.create({
      data: { actorId, action, entityType: 'duty', entityId, before: change.before, after: change.after, createdAt: this.d.clock.now() },
    });
  }

  /**
   * A roster imported from a file (read into rows by roster-file.ts; shift and person by id or name).
   * Every row is checked first (`checkRoster`); a mistake names its line and nothing is imported.
   * `actorId` is who imported it (none through the API's shared token).
   */
  async importRows(written: RosterRow[], actorId: string | null = null): Promise<number> {
    const { entries: rows, problems } = checkRoster(written, this.d.directory);
    if (problems.length > 0) throw new BotError('roster_invalid', { reason: problems.map((p) => t('duty.import.atLine', { ...p })).join('；') });
    // An empty file changes nothing, so it is refused rather than audited as an import.
    if (rows.length === 0) throw new BotError('roster_invalid', { reason: t('duty.import.empty') });
    await this.audit(actorId, 'duty.import', `${rows.length} rows`, { after: { rows } });
    for (const row of rows) {
      await this.d.tx.dutyAssignment.upsert({
        where: { date_shiftId: { date: row.date, shiftId: row.shiftId } },
        create: { ...row, source: 'import' },
        update: { personId: row.personId, source: 'import' },
      });
    }
    return rows.length;
  }

  /** Who covers for whom on `day`, from the approved leaves, one step. */
  private cover(leaves: readonly { requesterId: string; data: unknown }[], day: string): Map<string, string> {
    const map = new Map<string, string>();
    for (const l of leaves) {
      const f = l.data as Record<string, string>;
      if (f.start! <= day && day <= f.end!) map.set(l.requesterId, f.covered!);
    }
    return map;
  }

  private line(day: string, rows: { shiftId: string; personId: string }[], cover: Map<string, string>): string {
    const parts = this.duty.shifts.map((s) => {
      const row = rows.find((r) => r.shiftId === s.id);
      if (!row) return `${s.name} —`;
      // A person on leave is not named: whoever covers is.
      const covered = cover.get(row.personId);
      const person = this.d.directory.person(covered ?? row.personId);
      const name = person ? this.d.directory.callName(person) : (covered ?? row.personId);
      return covered ? t('duty.line.covered', { shift: s.name, name }) : `${s.name} ${name}`;
    });
    return `${day.slice(5)} ${weekday(day)}：${parts.join('　')}`;
  }

  /** Today's duty in one line, as the digest says it (白班 王伟，夜班 李强); the roster is filled for the week first. */
  async todayText(): Promise<string> {
    await this.generate(this.today(), 1);
    const rows = await this.assignments(this.today(), 1);
    if (rows.length === 0) return t('duty.none');
    const cover = await this.covers(this.today());
    return rows
      .map((r) => {
        const id = cover.get(r.personId) ?? r.personId;
        return `${this.duty.shifts.find((x) => x.id === r.shiftId)?.name ?? r.shiftId} ${this.d.directory.person(id)?.name ?? id}`;
      })
      .join('，');
  }

  /** `值班`: the roster card, with this week filled from the rotations first. */
  async rosterThisWeek(): Promise<OutgoingMessage> {
    await this.generate(this.today(), 1);
    return this.rosterCard();
  }

  /** The roster card: who is on duty now, today, and this week. */
  async rosterCard(): Promise<OutgoingMessage> {
    const today = this.today();
    const now = await this.onDuty();
    const week = await this.assignments(today, 7);
    const lines: string[] = [];
    for (let i = 0; i < 7; i++) {
      const day = addDays(today, i);
      lines.push(
        this.line(
          day,
          week.filter((r) => r.date === day),
          await this.covers(day),
        ),
      );
    }
    const nowText =
      now.length > 0
        ? now.map((x) => `${x.shift.name} ${this.d.directory.callName(x.person)}${x.person.phone ? `（${x.person.phone}）` : ''}`).join('　')
        : t('duty.none');
    return {
      type: 'card',
      card: {
        title: t('duty.card.title', { today }),
        color: 'blue',
        fields: [{ label: t('duty.card.now'), value: nowText }],
        markdown: tmd('duty.card.week', { lines: lines.join('\n') }),
        note: t('duty.card.note'),
        buttons: [],
      },
    };
  }
}
