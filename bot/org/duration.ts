import { z } from 'zod';

export type Duration = { minutes: number } | { workdays: number };

/** `15m`, `2h`, `1d` (clock time) or `1wd` (working days, counted in working hours). */
export const Duration = z
  .string()
  .regex(/^\d+(\.\d+)?(m|h|d|wd)$/, 'a duration like 15m, 2h, 1d or 1wd (working days)')
  .transform((v) => {
    const [, n, unit] = /^(\d+(?:\.\d+)?)(m|h|d|wd)$/.exec(v)!;
    const amount = Number(n);
    if (unit === 'wd') return { workdays: amount } as Duration;
    return { minutes: amount * (unit === 'm' ? 1 : unit === 'h' ? 60 : 24 * 60) } as Duration;
  });
