import { z } from 'zod';
import { defineAction, defineCommand } from '../bot/commands.js';
import { BotError } from '../bot/errors.js';
import { t } from '../bot/i18n/zh.js';
import type { Context } from '../bot/context.js';
import { INCIDENT_ACTION } from '../bot/incidents/service.js';
import { ACTION } from '../bot/tickets/cards.js';
import type { Confirmation } from '../bot/tickets/confirm.js';
import { FormText, IncidentNumber, TicketNumber, TicketValue } from './args.js';

const Rating = z.coerce.number().int().min(1).max(5);

const Solved = z.coerce.number().int().min(0).max(1);

/** The rating and comment of a confirmation form, with the button's answer. */
function answerOf(ctx: Context, solved: number): Confirmation {
  const form = z.object({ rating: FormText, comment: FormText }).parse(ctx.event.action?.form ?? {});
  const rating = form.rating ? Rating.safeParse(form.rating) : undefined;
  if (rating && !rating.success) throw new BotError('missing_text', { what: t('ticket.needs.rating') });
  return { solved: solved === 1, rating: rating?.data, comment: form.comment };
}

/** 已解决 / 未解决 on the confirmation card, with the rating and comment of its form. */
export const confirmAction = defineAction({
  name: ACTION.confirm,
  value: TicketValue.extend({ solved: Solved }),
  async run(ctx, { ticket, solved }, { confirmation }) {
    const result = await confirmation.confirm(ticket, ctx.user, answerOf(ctx, solved));
    ctx.toast(solved === 1 ? t('ticket.confirm.thanks') : t('ticket.confirm.reopened', { number: result.number }));
  },
});

/** 已解决 / 未解决 on an outage's card in a chat: the reporter who clicks answers for their own report. */
export const confirmIncidentAction = defineAction({
  name: INCIDENT_ACTION.confirm,
  value: z.object({ incident: IncidentNumber, solved: Solved }),
  async run(ctx, { incident, solved }, { incidentUpdates }) {
    const answered = await incidentUpdates.confirm(incident, ctx.user, answerOf(ctx, solved), { platform: ctx.event.platform, chatId: ctx.event.chat.id });
    ctx.toast(solved === 1 ? t('incident.confirm.thanks') : t('incident.confirm.reopenedToast', { tickets: answered.map((x) => x.number).join('、') }));
  },
});

/** `确认 IT-… 已解决 5 很满意` / `确认 IT-… 未解决 还是打不出来`: the card's answer, typed. */
export const confirmCommand = defineCommand({
  name: 'ticket.confirm.command',
  aliases: ['确认', '/confirm'],
  usage: t('ticket.confirm.usage'),
  parse: (rest) => {
    const [ticket = '', answer = '', ...more] = rest.trim().split(/\s+/);
    const rating = /^[1-5]分?$/.test(more[0] ?? '') ? Number.parseInt(more.shift()!, 10) : undefined;
    return { ticket, answer, rating, comment: more.join(' ') };
  },
  args: z.object({ ticket: z.union([TicketNumber, IncidentNumber]), answer: z.enum(['已解决', '未解决']), rating: Rating.optional(), comment: z.string() }),
  async run(ctx, { ticket, answer, rating, comment }, { confirmation, incidentUpdates }) {
    const solved = answer === '已解决';
    if (ticket.startsWith('INC-')) {
      const answered = await incidentUpdates.confirm(
        ticket,
        ctx.user,
        { solved, rating, comment },
        { platform: ctx.event.platform, chatId: ctx.event.chat.id },
      );
      return ctx.reply(solved ? t('incident.confirm.thanks') : t('incident.confirm.reopenedToast', { tickets: answered.map((x) => x.number).join('、') }));
    }
    const result = await confirmation.confirm(ticket, ctx.user, { solved, rating, comment });
    await ctx.reply(solved ? t('ticket.confirm.thanks') : t('ticket.confirm.reopened', { number: result.number }));
  },
});

/** 问题已解决 on the reporter's card (offered with a knowledge suggestion). */
export const selfSolvedAction = defineAction({
  name: ACTION.selfSolved,
  value: TicketValue,
  async run(ctx, { ticket }, { tickets }) {
    const closed = await tickets.selfSolveByReporter(ticket, ctx.user);
    ctx.toast(t('ticket.selfSolved.reply', { number: closed.number }), 'success');
  },
});
