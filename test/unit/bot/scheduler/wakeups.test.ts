import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkCalendar } from '../../../../bot/calendar.js';
import { AdjustableClock, SystemClock, type Clock } from '../../../../bot/clock.js';
import type { Db } from '../../../../bot/db/client.js';
import type { Directory } from '../../../../bot/org/directory.js';
import type { Job } from '../../../../bot/scheduler/scheduler.js';
import { Wakeups } from '../../../../bot/scheduler/wakeups.js';
import { inUnitOfWork } from '../../../../bot/services.js';
import { freshDatabase } from '../../../helpers/db.js';
import { silentLog } from '../../../helpers/log.js';

const TZ = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);

describe('Wakeups', () => {
  let db: Db;
  let directory: Directory;
  let drop: () => Promise<void>;
  let wakeups: Wakeups | undefined;

  beforeEach(async () => {
    ({ db, directory, drop } = await freshDatabase());
  });
  afterEach(async () => {
    await wakeups?.stop();
    vi.useRealTimers();
    await drop();
  });

  /** Wake-ups over one job firing at 09:00 every day; `ran` records each fire and when (system time) it ran. */
  function withJobAtNine(clock: Clock) {
    const ran: { fireAt: Date; ranAt: Date }[] = [];
    const job: Job = { name: 'test.nine', cron: '0 9 * * *', run: async (_s, fireAt) => void ran.push({ fireAt, ranAt: new Date() }) };
    const calendar = new WorkCalendar(TZ, directory.org.hospital.workingHours);
    wakeups = new Wakeups({ db, services: { directory, clock, timeZone: TZ, calendar }, log: silentLog, jobs: [job] });
    return { wakeups, ran };
  }

  // Only the timers and the date are fake: the database's own I/O runs as usual.
  const fakeTime = (now: Date) => vi.useFakeTimers({ now, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });

  /** Wake-ups with no jobs, on the system clock (faked): the deadline watchers alone. */
  function onSystemClock() {
    const services = { directory, clock: new SystemClock(), timeZone: TZ, calendar: new WorkCalendar(TZ, directory.org.hospital.workingHours) };
    wakeups = new Wakeups({ db, services, log: silentLog, jobs: [] });
    return { wakeups, services };
  }

  /** A report from `reporter`, committed and announced as the router would. */
  const reportAs = (services: ReturnType<typeof onSystemClock>['services'], reporter: string, text: string, messageId: string) =>
    inUnitOfWork(db, services, async (s) => {
      const ticket = await s.tickets.report({ reporter: directory.person(reporter)!, text, source: { platform: 'simulator', chatId: 'intake', messageId } });
      await s.tickets.announce(ticket);
      return ticket;
    });

  it('wakes the process at a job’s fire time, not at the next poll', async () => {
    fakeTime(at('2026-11-23T08:59:45'));
    const { wakeups, ran } = withJobAtNine(new SystemClock());
    wakeups.start();
    await wakeups.idle(); // the first run: the job starts from now, and the next wake is planned
    await vi.advanceTimersByTimeAsync(14_999);
    await wakeups.idle();
    expect(ran).toEqual([]);

    // 09:00:00: woken at the fire time; the 60 s poll would come only at 09:00:45.
    await vi.advanceTimersByTimeAsync(1);
    await wakeups.idle(); // the run the wake started
    expect(ran).toEqual([{ fireAt: at('2026-11-23T09:00:00'), ranAt: at('2026-11-23T09:00:00') }]);
  });

  it('plans by the bot’s clock when it runs ahead of the system’s (the simulator)', async () => {
    fakeTime(at('2026-01-05T12:00:00'));
    const { wakeups, ran } = withJobAtNine(new AdjustableClock(at('2026-11-23T08:59:30')));
    wakeups.start();
    await wakeups.idle();
    await vi.advanceTimersByTimeAsync(29_999);
    await wakeups.idle();
    expect(ran).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await wakeups.idle();
    expect(ran).toEqual([{ fireAt: at('2026-11-23T09:00:00'), ranAt: at('2026-01-05T12:00:30') }]);
  });

  it('wakes at a ticket’s response deadline, learnt from the poll after the ticket was reported', async () => {
    fakeTime(at('2026-11-23T10:00:00'));
    const { wakeups, services } = onSystemClock();
    const started = Date.now();
    wakeups.start();
    await wakeups.idle();
    await vi.advanceTimersByTimeAsync(20_000); // reported between two polls (10:00:00, 10:01:00)
    const reported = await reportAs(services, 'zhang-li', '门诊3楼212诊室打印机卡纸，资产号PC-0231', 'm-1');
    // The polls come every minute from 10:00:00; the deadline falls 20 s after one of them.
    expect((reported.responseDueAt.getTime() - started) % 60_000).toBe(20_000);

    // Minute by minute, letting each poll's run finish (its queries are real I/O, not fake time).
    while (reported.responseDueAt.getTime() - Date.now() > 60_000) {
      await vi.advanceTimersByTimeAsync(60_000);
      await wakeups.idle();
    }
    await vi.advanceTimersByTimeAsync(reported.responseDueAt.getTime() - Date.now() - 1);
    await wakeups.idle();
    expect((await db.ticket.findUniqueOrThrow({ where: { id: reported.id } })).escalationLevel).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await wakeups.idle();
    const escalated = await db.ticket.findUniqueOrThrow({ where: { id: reported.id } });
    expect(escalated.escalationLevel).toBe(1);
    expect(await db.ticketEvent.findFirst({ where: { ticketId: reported.id, type: 'escalated' }, select: { createdAt: true } })).toEqual({
      createdAt: reported.responseDueAt,
    });
  });

  it('pages a report that is due at once within a second of its commit, not at the next poll', async () => {
    fakeTime(at('2026-11-23T10:00:00'));
    const { wakeups, services } = onSystemClock();
    wakeups.start();
    await wakeups.idle();
    await vi.advanceTimersByTimeAsync(5_000);
    const reported = await reportAs(services, 'li-na', '急诊所有电脑HIS都登不上了，全科室都用不了，病人在排队', 'm-p1');
    expect(['P1', 'P2']).toContain(reported.priority); // a priority whose policy pages at once
    expect(reported.nextEscalationAt).toEqual(new Date());
    wakeups.soon();
    wakeups.soon(); // a second event meanwhile asks for no second run
    await vi.advanceTimersByTimeAsync(999);
    await wakeups.idle();
    expect((await db.ticket.findUniqueOrThrow({ where: { id: reported.id } })).nextEscalationAt).toEqual(reported.nextEscalationAt);
    await vi.advanceTimersByTimeAsync(1);
    await wakeups.idle();
    // Paged: the next step waits for the response deadline, 55 s before the first poll would have come.
    expect((await db.ticket.findUniqueOrThrow({ where: { id: reported.id } })).nextEscalationAt).toEqual(reported.responseDueAt);
  });

  it('stops waking once stopped', async () => {
    fakeTime(at('2026-11-23T08:59:45'));
    const { wakeups, ran } = withJobAtNine(new SystemClock());
    wakeups.start();
    await wakeups.idle();
    await wakeups.stop();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(ran).toEqual([]);
  });
});
