import { z } from 'zod';
import { defineCommand } from '../bot/commands.js';
import { t } from '../bot/i18n/zh.js';
import { isCalendarDay } from '../bot/time.js';

const KIND = { 休: 'holiday', 班: 'workday' } as const;

/** `节假日 2027-01-01 休` / `节假日 2027-02-07 班`: an admin or the IT director sets a day off or a make-up working day. */
export const holidayCommand = defineCommand({
  name: 'calendar.set',
  aliases: ['节假日', '/holiday'],
  usage: t('calendar.usage'),
  parse: (rest) => {
    const [day = '', word = ''] = rest.trim().split(/\s+/);
    return { day, kind: KIND[word as keyof typeof KIND] ?? '' };
  },
  args: z.object({ day: z.string().refine(isCalendarDay), kind: z.enum(['holiday', 'workday']) }),
  async run(ctx, { day, kind }, { holidays }) {
    await holidays.set(day, kind, ctx.user);
    await ctx.reply(t(kind === 'holiday' ? 'calendar.set.holiday' : 'calendar.set.workday', { day }));
  },
});
