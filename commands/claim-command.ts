import { z } from 'zod';
import { defineCommand } from '../bot/commands.js';
import { t } from '../bot/i18n/zh.js';
import { TicketNumber } from '../bot/tickets/number.js';

/** `认领 IT-20261123-0001`: the same claim as the button, typed. */
export default defineCommand({
  name: 'ticket.claim.command',
  aliases: ['认领', '/claim'],
  usage: '认领 IT-20261123-0001',
  parse: (rest) => ({ ticket: rest }),
  args: z.object({ ticket: TicketNumber }),
  async run(ctx, { ticket }, { tickets }) {
    const claimed = await tickets.claim(ticket, ctx.user);
    await ctx.reply(t('ticket.claim.toast', { number: claimed.number }));
  },
});
