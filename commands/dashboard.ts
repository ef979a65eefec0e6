import { z } from 'zod';
import { defineCommand } from '../bot/commands.js';
import { t } from '../bot/i18n/zh.js';
import reportFault from './report-fault.js';

/**
 * `看板`: a leader's (or the IT director's) personal link to the dashboard, signing them in for 12 hours.
 * Asked in a group, the link goes to the person's direct chat: whoever holds it is signed in.
 * `看板` followed by more words is no command but what it says (`看板 黑屏了`: a ward's display board is down).
 */
export const dashboardCommand = defineCommand({
  name: 'dashboard.link',
  aliases: ['看板', '管理看板', '/dashboard'],
  usage: t('dashboard.usage'),
  parse: (rest) => ({ rest }),
  args: z.object({ rest: z.string() }),
  async run(ctx, { rest }, services) {
    if (rest) {
      ctx.handledBy = reportFault.name;
      return reportFault.run(ctx, (ctx.event.text ?? '').trim(), services);
    }
    const { dashboard, reach, outbox } = services;
    const link = await dashboard.linkFor(ctx.user);
    const text = t('dashboard.link', { url: link.url, until: link.until });
    if (ctx.event.chat.type === 'direct') return ctx.reply(text);
    const direct = await reach.direct(ctx.user, ctx.event.platform);
    if (!direct) return ctx.reply(t('dashboard.noDirect'));
    await outbox.send(direct, { type: 'text', text });
    await ctx.reply(t('dashboard.sentDirect'));
  },
});
