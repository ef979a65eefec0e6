import { afterEach, describe, expect, it } from 'vitest';
import { t as text } from '../../bot/i18n/zh.js';
import { localDate } from '../../bot/time.js';
import { createTestBot, type TestBot } from '../helpers/bot.js';

const at = (local: string) => new Date(`${local}+08:00`);

describe('the hospital calendar', () => {
  let t: TestBot;
  afterEach(async () => t?.close());
  const said = async (chat: string) => (await t.transcript(chat)).filter((m) => m.from === 'bot' && m.text).map((m) => m.text!);

  it('tells the IT director and the engineers once that next year has no holiday data, and takes the days by command', async () => {
    t = await createTestBot({}, undefined, at('2026-12-01T09:00:00'), { holidayNotices: true });
    await t.advance(1); // the scheduler learns its jobs
    await t.advance(10); // 09:11: the daily check (09:07) has run
    const notice = text('calendar.missing', { year: 2027 });
    expect((await said('engineers')).filter((m) => m === notice)).toHaveLength(1);
    expect((await said('user:huang-jun')).filter((m) => m === notice)).toHaveLength(1);
    await t.advance(24 * 60); // the next day's check: already told
    expect((await said('engineers')).filter((m) => m === notice)).toHaveLength(1);

    await t.say('wang-wei', 'engineers', '节假日 2027-01-01 休');
    expect((await said('engineers')).at(-1)).toBe(text('error.not_admin', { what: text('calendar.what.set') }));
    await t.say('huang-jun', 'engineers', '节假日 2027-01-01 休');
    expect((await said('engineers')).at(-1)).toBe(text('calendar.set.holiday', { day: '2027-01-01' }));
    await t.say('huang-jun', 'engineers', '节假日 2027-02-07 班');
    expect((await said('engineers')).at(-1)).toBe(text('calendar.set.workday', { day: '2027-02-07' }));
    expect(await t.bot.db.calendarDay.findMany({ orderBy: { day: 'asc' } })).toMatchObject([
      { day: '2027-01-01', kind: 'holiday', setById: 'huang-jun' },
      { day: '2027-02-07', kind: 'workday', setById: 'huang-jun' },
    ]);

    // New Year's Eve, a Thursday: a P4's working day runs over New Year's Day and the weekend.
    t.clock.advance(29 * 24 * 60 - 11 + 60);
    await t.advance(1);
    await t.say('zhang-li', 'intake', '请问怎么设置打印机默认纸张，不急，资产号PR-0102');
    const [ticket] = await t.bot.db.ticket.findMany();
    expect(ticket!.priority).toBe('P4');
    expect(localDate(ticket!.createdAt, 'Asia/Shanghai')).toBe('2026-12-31');
    expect(localDate(ticket!.responseDueAt, 'Asia/Shanghai')).toBe('2027-01-04');
  });

  it('tells it at start too, and only once across the start and the daily check', async () => {
    t = await createTestBot({}, undefined, at('2026-12-15T06:00:00'), { holidayNotices: true });
    await t.bot.start();
    await t.advance(1);
    const notice = text('calendar.missing', { year: 2027 });
    expect((await said('engineers')).filter((m) => m === notice)).toHaveLength(1);
    await t.advance(4 * 60); // 10:01: the daily check has run
    expect((await said('engineers')).filter((m) => m === notice)).toHaveLength(1);
    expect((await said('user:huang-jun')).filter((m) => m === notice)).toHaveLength(1);
  });
});
