import { describe, expect, it } from 'vitest';
import { Moment, periodOf } from '../../../../bot/api/period.js';

describe('the period of an API query', () => {
  it('reads dates as midnight in the hospital’s zone and times by their own offset', () => {
    expect(periodOf({ from: '2026-11-23', to: '2026-11-24' }, 'Asia/Shanghai')).toEqual({
      from: new Date('2026-11-22T16:00:00Z'),
      to: new Date('2026-11-23T16:00:00Z'),
    });
    expect(periodOf({ from: '2026-11-23T09:30:00+08:00' }, 'Europe/Berlin')).toEqual({ from: new Date('2026-11-23T01:30:00Z'), to: undefined });
    expect(periodOf({}, 'Asia/Shanghai')).toEqual({ from: undefined, to: undefined });
  });

  it('refuses days that do not exist, other spellings, and an end not after the start', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2026-1-5', '23/11/2026', 'yesterday', '2026-11-23T09:00', '2026-11-23T25:00:00+08:00']) {
      expect(Moment.safeParse(bad).success, bad).toBe(false);
    }
    expect(Moment.safeParse('2028-02-29').success).toBe(true);
    expect(periodOf({ from: '2026-11-24', to: '2026-11-24' }, 'Asia/Shanghai')).toEqual({ error: 'to must be after from (to is exclusive)' });
    expect(periodOf({ from: '2026-11-24', to: '2026-11-23T23:00:00+08:00' }, 'Asia/Shanghai')).toHaveProperty('error');
  });
});
