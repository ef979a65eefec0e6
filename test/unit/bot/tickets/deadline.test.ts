import { describe, expect, it } from 'vitest';
import { WorkCalendar, yearsToCheck, yearsWithoutHolidayData } from '../../../../bot/calendar.js';
import { Deadlines, describeDuration } from '../../../../bot/tickets/deadline.js';
import { sampleDirectory } from '../../../helpers/db.js';

const calendar = new WorkCalendar('Asia/Shanghai', { start: '08:00', end: '17:30' });
const deadlines = new Deadlines(calendar, sampleDirectory().org.tickets);
const at = (local: string) => new Date(`${local}+08:00`);

describe('response deadlines (响应时限)', () => {
  it('gives P1 15 minutes, P2 30 minutes, P3 2 hours, around the clock', () => {
    const from = at('2026-11-22T03:00:00'); // a Sunday night
    expect(deadlines.responseDue('P1', from)).toEqual(at('2026-11-22T03:15:00'));
    expect(deadlines.responseDue('P2', from)).toEqual(at('2026-11-22T03:30:00'));
    expect(deadlines.responseDue('P3', from)).toEqual(at('2026-11-22T05:00:00'));
  });

  it('gives P4 one working day, counted in working hours', () => {
    expect(deadlines.responseDue('P4', at('2026-11-23T10:00:00'))).toEqual(at('2026-11-24T10:00:00')); // Mon → Tue
    expect(deadlines.responseDue('P4', at('2026-11-20T16:30:00'))).toEqual(at('2026-11-23T16:30:00')); // Fri → Mon
    expect(deadlines.responseDue('P4', at('2026-11-23T20:00:00'))).toEqual(at('2026-11-24T17:30:00')); // after hours
  });

  it('takes the days set by command over the national data and the organisation file', () => {
    const own = new WorkCalendar('Asia/Shanghai', { start: '08:00', end: '17:30' }, { holidays: [], workdays: ['2027-01-01'] });
    const p4 = new Deadlines(own, sampleDirectory().org.tickets);
    expect(p4.responseDue('P4', at('2026-12-31T10:00:00'))).toEqual(at('2027-01-01T10:00:00')); // the data knows no 2027 holiday
    own.setDay('2027-01-01', 'holiday');
    expect(own.isWorkingDay('2027-01-01')).toBe(false);
    expect(p4.responseDue('P4', at('2026-12-31T10:00:00'))).toEqual(at('2027-01-04T10:00:00')); // New Year's Day, then the weekend
    own.setDay('2027-01-02', 'workday'); // a Saturday worked in exchange
    expect(p4.responseDue('P4', at('2026-12-31T10:00:00'))).toEqual(at('2027-01-02T10:00:00'));
  });

  it('checks the current year, and from December the next one, for holiday data', () => {
    expect(yearsToCheck('2026-11-30')).toEqual([2026]);
    expect(yearsToCheck('2026-12-01')).toEqual([2026, 2027]);
    expect(yearsWithoutHolidayData([2026, 2027])).toEqual([2027]);
  });

  it('skips public holidays and counts make-up working days (调休)', () => {
    // National Day 2026: 10-01..10-07 off; Saturday 10-10 is a make-up working day.
    expect(deadlines.responseDue('P4', at('2026-09-30T20:00:00'))).toEqual(at('2026-10-08T17:30:00'));
    expect(deadlines.responseDue('P4', at('2026-09-30T09:00:00'))).toEqual(at('2026-10-08T09:00:00'));
    expect(deadlines.responseDue('P4', at('2026-10-09T09:00:00'))).toEqual(at('2026-10-10T09:00:00'));
  });

  it('sets resolution targets from the organisation file', () => {
    expect(deadlines.resolveDue('P1', at('2026-11-23T10:00:00'))).toEqual(at('2026-11-23T14:00:00'));
    expect(deadlines.resolveDue('P4', at('2026-11-23T10:00:00'))).toEqual(at('2026-11-26T10:00:00'));
  });

  it('says durations the way cards do', () => {
    expect(describeDuration({ minutes: 15 })).toBe('15 分钟');
    expect(describeDuration({ minutes: 120 })).toBe('2 小时');
    expect(describeDuration({ minutes: 2880 })).toBe('2 天');
    expect(describeDuration({ workdays: 1 })).toBe('1 个工作日');
  });
});

describe('escalation steps by priority (tickets.escalation.policy)', () => {
  it('takes a P1 past a deadline to the group leader at once, the director after 15 minutes, the leadership group after 45, at any hour', () => {
    const deadline = at('2026-11-23T23:15:00');
    expect([0, 1, 2].map((i) => deadlines.escalationStep('P1', deadline, i))).toEqual([
      at('2026-11-23T23:15:00'),
      at('2026-11-23T23:30:00'),
      at('2026-11-24T00:00:00'),
    ]);
    expect(deadlines.policy('P1').atOnce).toEqual(['duty']);
    expect(deadlines.escalationReminder('P1', at('2026-11-24T00:00:00'))).toEqual(at('2026-11-24T00:30:00'));
  });

  it('reminds the last person asked ever less often: twice as long each time, at most once a day', () => {
    const now = at('2026-11-24T00:00:00');
    const gaps = [0, 1, 2, 3, 4, 5, 6, 7].map((given) => (deadlines.escalationReminder('P1', now, given).getTime() - now.getTime()) / 60_000);
    expect(gaps).toEqual([30, 60, 120, 240, 480, 960, 1440, 1440]);
    // A daily reminder stays daily.
    expect(deadlines.escalationReminder('P3', at('2026-11-24T10:00:00'), 3)).toEqual(at('2026-11-25T10:00:00'));
  });

  it('lets a P3 or P4 speak only in working hours, counting working time, and reminds once a day', () => {
    // A P3 late at 20:10 waits for 08:00; its steps after that count working minutes.
    expect(deadlines.escalationStep('P3', at('2026-11-23T20:10:00'), 0)).toEqual(at('2026-11-24T08:00:00'));
    expect(deadlines.escalationStep('P3', at('2026-11-23T17:00:00'), 1)).toEqual(at('2026-11-24T08:30:00'));
    expect(deadlines.escalationMayRun('P4', at('2026-11-23T18:00:00'))).toEqual(at('2026-11-24T08:00:00'));
    expect(deadlines.escalationMayRun('P4', at('2026-11-23T10:00:00'))).toEqual(at('2026-11-23T10:00:00'));
    // Friday's reminder comes back on Monday morning, not on the weekend.
    expect(deadlines.escalationReminder('P4', at('2026-11-20T16:00:00'))).toEqual(at('2026-11-23T08:00:00'));
  });
});
