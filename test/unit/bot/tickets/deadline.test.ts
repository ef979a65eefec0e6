import { describe, expect, it } from 'vitest';
import { responseDueAt } from '../../../../bot/tickets/deadline.js';

const TZ = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);

describe('responseDueAt', () => {
  it('gives P1 15 minutes, P2 30 minutes, P3 2 hours', () => {
    const from = at('2026-11-23T10:00:00');
    expect(responseDueAt('P1', from, TZ)).toEqual(at('2026-11-23T10:15:00'));
    expect(responseDueAt('P2', from, TZ)).toEqual(at('2026-11-23T10:30:00'));
    expect(responseDueAt('P3', from, TZ)).toEqual(at('2026-11-23T12:00:00'));
  });

  it('gives P4 one working day, skipping weekends', () => {
    expect(responseDueAt('P4', at('2026-11-23T10:00:00'), TZ)).toEqual(at('2026-11-24T10:00:00')); // Mon → Tue
    expect(responseDueAt('P4', at('2026-11-20T16:30:00'), TZ)).toEqual(at('2026-11-23T16:30:00')); // Fri → Mon
  });

  it('skips public holidays and counts make-up working days (调休)', () => {
    // National Day 2026: 10-01..10-07 off; Saturday 10-10 is a make-up working day.
    expect(responseDueAt('P4', at('2026-09-30T09:00:00'), TZ)).toEqual(at('2026-10-08T09:00:00'));
    expect(responseDueAt('P4', at('2026-10-09T09:00:00'), TZ)).toEqual(at('2026-10-10T09:00:00'));
  });
});
