import { z } from 'zod';
import { looksLikeBindTarget, type PlatformGroup } from '../bot/bindings/lookup.js';
import { defineCommand } from '../bot/commands.js';
import type { Context } from '../bot/context.js';
import { t } from '../bot/i18n/zh.js';

/** The group the command was sent in, as its platform names it. */
const groupOf = (ctx: Context): PlatformGroup => ({ platform: ctx.event.platform, ...ctx.event.chat });

/** `绑定 报修群` (工程师群, 领导群, or a chat's name in the organisation file): an admin or the IT director sets up the group. */
export const bindCommand = defineCommand({
  name: 'chat.bind',
  aliases: ['绑定', '绑定本群', '/bind'],
  usage: t('binding.usage'),
  glued: looksLikeBindTarget,
  parse: (rest) => ({ target: rest.trim() }),
  args: z.object({ target: z.string().min(1).max(60) }),
  async run(ctx, { target }, { bindings }) {
    await ctx.reply(await bindings.bind(ctx.user, groupOf(ctx), target));
  },
});

/** `解绑`: an admin or the IT director ends the group's binding made from chat. */
export const unbindCommand = defineCommand({
  name: 'chat.unbind',
  aliases: ['解绑', '解除绑定', '取消绑定', '解绑本群', '/unbind'],
  usage: t('binding.unbindUsage'),
  args: z.object({}),
  async run(ctx, _args, { bindings }) {
    await ctx.reply(await bindings.unbind(ctx.user, groupOf(ctx)));
  },
});

/** `群设置`: what the group is bound as, by the organisation file or from chat, and what that means. */
export const showBindingCommand = defineCommand({
  name: 'chat.show',
  aliases: ['群设置', '本群设置', '群绑定', '/chat'],
  usage: t('binding.showUsage'),
  args: z.object({}),
  async run(ctx, _args, { bindings }) {
    await ctx.reply(await bindings.describe(groupOf(ctx)));
  },
});
