import { z } from 'zod';
import { defineCommand, nothingSaid } from '../bot/commands.js';
import { t } from '../bot/i18n/zh.js';

/**
 * `看板`: a leader's (or the IT director's) personal link to the dashboard, signing them in for 12 hours.
 * Asked in a group, the link goes to the person's direct chat: whoever holds it is signed in.
 * It takes no words after it: `看板 黑屏了` is no command but what it says (a ward's display board is
 * down), a report in the intake group, as `看板黑屏了` is.
 */
export const dashboardCommand = defineCommand({
  name: 'dashboard.link',
  aliases: ['看板', '管理看板', '/dashboard'],
  usage: t('dashboard.usage'),
  takes: nothingSaid,
  // `看板？` is asked as often as `看板 ？`.
  glued: nothingSaid,
  args: z.object({}),
  async run(ctx, _args, { dashboard, reach, outbox }) {
    const link = await dashboard.linkFor(ctx.user);
    const text = t('dashboard.link', { url: link.url, until: link.until });
    if (ctx.event.chat.type === 'direct') return ctx.reply(text);
    const direct = await reach.direct(ctx.user, ctx.event.platform);
    if (!direct) return ctx.reply(t('dashboard.noDirect'));
    await outbox.send(direct, { type: 'text', text });
    await ctx.reply(t('dashboard.sentDirect'));
  },
});
