import { z } from 'zod';
import { defineCommand } from '../bot/commands.js';
import { ticketCard } from '../bot/tickets/cards.js';
import { TicketNumber } from '../bot/tickets/number.js';

/** `工单 IT-20261123-0001`: the ticket's card, as it stands now. */
export default defineCommand({
  name: 'ticket.show',
  aliases: ['工单', '查询', '/ticket'],
  usage: '工单 IT-20261123-0001',
  parse: (rest) => ({ ticket: rest }),
  args: z.object({ ticket: TicketNumber }),
  async run(ctx, { ticket }, { tickets }) {
    const found = await tickets.get(ticket);
    await ctx.reply(ticketCard(found, 'intake', ctx.directory, ctx.timeZone));
  },
});
