import { z } from 'zod';
import { defineAction } from '../bot/commands.js';
import { t } from '../bot/i18n/zh.js';
import { CLAIM_ACTION } from '../bot/tickets/cards.js';
import { TicketNumber } from '../bot/tickets/number.js';

/** The 认领 button on a dispatch card. */
export default defineAction({
  name: CLAIM_ACTION,
  value: z.object({ ticket: TicketNumber, v: z.coerce.number().int().optional() }),
  async run(ctx, { ticket }, { tickets }) {
    const claimed = await tickets.claim(ticket, ctx.user);
    ctx.toast(t('ticket.claim.toast', { number: claimed.number }));
  },
});
