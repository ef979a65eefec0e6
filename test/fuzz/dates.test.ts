import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDay, parseLocal } from '../../bot/approvals/form.js';
import { BotError } from '../../bot/errors.js';
import { isCalendarDay, localDate, localDateTime } from '../../bot/time.js';

const TZ = 'Asia/Shanghai';
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Dates as people type them into forms and commands: any digits in the right places, full-width too. */
const typed = fc
  .tuple(
    fc.integer({ min: 1900, max: 2100 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
    fc.option(fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })), { nil: undefined }),
    fc.boolean(),
  )
  .map(([y, m, d, time, wide]) => {
    const text = `${y}-${m}-${d}${time ? ` ${time[0]}:${pad(time[1])}` : ''}`;
    return { y, m, d, time, text: wide ? text.replace(/[0-9:-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)) : text };
  });

describe('dates typed into forms (property-based)', () => {
  it('are read as the very day and time typed, or refused in Chinese; they never roll over into another day', () => {
    fc.assert(
      fc.property(typed, ({ y, m, d, time, text }) => {
        const day = `${y}-${pad(m)}-${pad(d)}`;
        let at: Date;
        try {
          at = parseLocal(text, '生效日期', TZ);
        } catch (err) {
          expect(err).toBeInstanceOf(BotError);
          expect((err as BotError).params.reason).toMatch(/^「生效日期」/);
          const valid = isCalendarDay(day) && (!time || (time[1] <= 59 && (time[0] <= 23 || (time[0] === 24 && time[1] === 0))));
          expect(valid, text).toBe(false);
          return;
        }
        expect(isCalendarDay(day), text).toBe(true);
        if (!time || time[0] < 24) {
          expect(localDate(at, TZ)).toBe(day);
          if (time) expect(localDateTime(at, TZ)).toBe(`${pad(m)}-${pad(d)} ${pad(time[0])}:${pad(time[1])}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a day a day: parseDay gives back what a calendar day was typed as', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), (date) => {
        const day = date.toISOString().slice(0, 10);
        expect(isCalendarDay(day)).toBe(true);
        expect(parseDay(day, '开始日期', TZ)).toBe(day);
      }),
      { numRuns: 200 },
    );
  });
});
