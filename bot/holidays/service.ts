import type { WorkCalendar } from '../calendar.js';
import { yearsToCheck, yearsWithoutHolidayData, zonedInstant } from '../calendar.js';
import type { AuditLog } from '../audit.js';
import type { Platform } from '../chat/model.js';
import type { Clock } from '../clock.js';
import type { Tx } from '../db/client.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { Directory, Person } from '../org/directory.js';
import type { Outbox } from '../outbox/outbox.js';
import { Reach } from '../reach.js';
import { localDate } from '../time.js';

export type DayKind = 'holiday' | 'workday';

/** The claim row that makes the notice of a year without holiday data go out once, whatever the restarts. */
export const MISSING_DATA_JOB = 'calendar.missing-holidays';

/**
 * The hospital's own calendar days: set by an admin or the IT director (`节假日 2027-01-01 休`),
 * stored, and applied by the WorkCalendar beside the organisation file's `hospital.calendar`.
 */
export class HolidayService {
  constructor(private readonly d: { tx: Tx; directory: Directory; clock: Clock; timeZone: string; calendar: WorkCalendar; outbox: Outbox; audit: AuditLog }) {}

  /** Sets a day off (`holiday`) or a working day (`workday`); the calendar counts it from now on. */
  async set(day: string, kind: DayKind, actor: Person): Promise<void> {
    const { tx, directory, clock, calendar, audit } = this.d;
    if (!directory.hasRole(actor, 'it_director', 'admin')) throw new BotError('not_admin', { what: t('calendar.what.set') });
    const before = await tx.calendarDay.findUnique({ where: { day } });
    const row = { kind, setById: actor.id, setAt: clock.now() };
    await tx.calendarDay.upsert({ where: { day }, create: { day, ...row }, update: row });
    await audit.record({
      actorId: actor.id,
      action: 'calendar.day',
      entityType: 'calendar',
      entityId: day,
      before: before ? { kind: before.kind } : undefined,
      after: { kind },
    });
    calendar.setDay(day, kind);
  }

  /** Applies the stored days to the calendar (at start, and daily for the days another instance set). */
  async load(): Promise<number> {
    const days = await this.d.tx.calendarDay.findMany();
    for (const d of days) this.d.calendar.setDay(d.day, d.kind === 'workday' ? 'workday' : 'holiday');
    return days.length;
  }

  /**
   * Years the holiday data lacks that the hospital is in or about to enter (the next one from
   * December on): the IT director and the engineers' group are told, once per year.
   */
  async warnMissingYears(now = this.d.clock.now()): Promise<number[]> {
    const { tx, timeZone } = this.d;
    const told: number[] = [];
    for (const year of yearsWithoutHolidayData(yearsToCheck(localDate(now, timeZone)))) {
      const claim = { job: MISSING_DATA_JOB, fireAt: zonedInstant(`${year}-01-01`, '00:00', timeZone) };
      if (await tx.scheduledFire.findUnique({ where: { job_fireAt: claim } })) continue;
      await tx.scheduledFire.create({ data: { ...claim, claimedBy: 'calendar', claimedAt: now, outcome: 'ran' } });
      await this.tell(t('calendar.missing', { year }));
      told.push(year);
    }
    return told;
  }

  private async tell(text: string): Promise<void> {
    const { tx, directory, outbox } = this.d;
    const reach = new Reach(tx, directory);
    const engineers = directory.chatByPurpose('engineers');
    const group = engineers && (await reach.home(engineers.id));
    const platform: Platform = group?.platform ?? 'simulator';
    if (group) await outbox.send(group, { type: 'text', text });
    const director = directory.director();
    const direct = director && (await reach.direct(director, platform));
    if (direct) await outbox.send(direct, { type: 'text', text });
  }
}
