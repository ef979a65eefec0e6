import { z } from 'zod';
import { defineCommand, nothingSaid } from '../bot/commands.js';
import { t } from '../bot/i18n/zh.js';
import { statusText } from '../bot/tickets/status.js';
import { IncidentNumber, TicketNumber } from './args.js';

/** `工单 IT-20261123-0001` (or `工单 INC-…`): the card as it stands now. */
export const showTicket = defineCommand({
  name: 'ticket.show',
  aliases: ['工单', '查询', '/ticket'],
  usage: t('ticket.show.usage'),
  parse: (rest) => ({ number: rest }),
  args: z.object({ number: z.union([TicketNumber, IncidentNumber]) }),
  async run(ctx, { number }, { tickets, incidents, incidentMessages }) {
    if (number.startsWith('INC-')) return ctx.reply(await incidentMessages.card(await incidents.get(number), 'leadership'));
    await ctx.reply(await tickets.ledger.card(await tickets.get(number), 'intake'));
  },
});

/** `我的工单`: what I reported or work on that is not closed. */
export const myTickets = defineCommand({
  name: 'ticket.mine',
  aliases: ['我的工单', '/mine'],
  usage: t('ticket.mine.usage'),
  takes: nothingSaid,
  glued: nothingSaid,
  args: z.object({}),
  async run(ctx, _args, { tickets }) {
    const mine = await tickets.mine(ctx.user);
    if (mine.length === 0) return ctx.reply(t('ticket.mine.empty'));
    await ctx.reply({
      type: 'card',
      card: {
        title: t('ticket.mine.title', { n: mine.length }),
        color: 'blue',
        fields: [],
        text: mine.map((x) => t('ticket.mine.line', { number: x.number, status: statusText(x), priority: x.priority, title: x.title })).join('\n'),
        buttons: [],
      },
    });
  },
});
