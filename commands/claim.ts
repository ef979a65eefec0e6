import { z } from 'zod';
import { defineAction, defineCommand } from '../bot/commands.js';
import { t } from '../bot/i18n/zh.js';
import { INCIDENT_ACTION } from '../bot/incidents/service.js';
import { ACTION } from '../bot/tickets/cards.js';
import { IncidentNumber, TicketNumber, TicketValue } from './args.js';

/** The 认领 button on a dispatch or escalation card. */
export const claimTicket = defineAction({
  name: ACTION.claim,
  value: TicketValue,
  async run(ctx, { ticket }, { work }) {
    const claimed = await work.claim(ticket, ctx.user);
    ctx.toast(t('ticket.claim.toast', { number: claimed.number }));
  },
});

/** The 认领 button on an incident card. */
export const claimIncident = defineAction({
  name: INCIDENT_ACTION.claim,
  value: z.object({ incident: IncidentNumber, v: z.coerce.number().int().optional() }),
  async run(ctx, { incident }, { incidents }) {
    const claimed = await incidents.claim(incident, ctx.user);
    ctx.toast(t('incident.claim.toast', { number: claimed.number }));
  },
});

/** `认领 IT-20261123-0001` or `认领 INC-20261123-01`: the same claim as the buttons, typed. */
export const claimCommand = defineCommand({
  name: 'ticket.claim.command',
  aliases: ['认领', '/claim'],
  usage: t('ticket.claim.usage'),
  parse: (rest) => ({ number: rest }),
  args: z.object({ number: z.union([TicketNumber, IncidentNumber]) }),
  async run(ctx, { number }, { work, incidents }) {
    if (number.startsWith('INC-')) {
      const claimed = await incidents.claim(number, ctx.user);
      return ctx.reply(t('incident.claim.toast', { number: claimed.number }));
    }
    const claimed = await work.claim(number, ctx.user);
    await ctx.reply(t('ticket.claim.toast', { number: claimed.number }));
  },
});
