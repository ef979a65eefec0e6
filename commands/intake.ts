import { z } from 'zod';
import { defineAction, defineCommand } from '../bot/commands.js';
import { t } from '../bot/i18n/zh.js';
import { MERGE_ACTION } from '../bot/tickets/merge.js';
import { SCOPE_ACTION, scopeThanks } from '../bot/tickets/scope.js';
import { TicketNumber } from './args.js';

const Scope = z.enum(['one', 'department', 'several']);

/** 「这是补充，并入 IT-…」 on the offer that follows a report the bot could not tell from an addition. */
export const mergeAction = defineAction({
  name: MERGE_ACTION,
  value: z.object({ ticket: TicketNumber, into: TicketNumber }),
  async run(ctx, { ticket, into }, { merges }) {
    await merges.merge(ticket, into, ctx.user, ctx.source);
    ctx.toast(t('ticket.merge.done', { number: ticket, into }));
  },
});

/** `并入 IT-…(新) IT-…(原)`: the same, typed (platforms without buttons). */
export const mergeCommand = defineCommand({
  name: 'ticket.merge.command',
  aliases: ['并入', '/merge'],
  usage: t('ticket.merge.usage'),
  parse: (rest) => {
    const [ticket = '', into = ''] = rest.trim().split(/\s+/);
    return { ticket, into };
  },
  args: z.object({ ticket: TicketNumber, into: TicketNumber }),
  async run(ctx, { ticket, into }, { merges }) {
    await merges.merge(ticket, into, ctx.user, ctx.source);
  },
});

/** 只有我这台 / 整个科室都不能用 / 多个科室 on the scope question. */
export const scopeAction = defineAction({
  name: SCOPE_ACTION,
  value: z.object({ ticket: TicketNumber, scope: Scope }),
  async run(ctx, { ticket, scope }, { scopes }) {
    const answered = await scopes.answer(ticket, ctx.user, scope);
    ctx.toast(scopeThanks(answered, scope));
  },
});
