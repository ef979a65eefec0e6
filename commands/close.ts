import { z } from 'zod';
import { defineAction, defineCommand } from '../bot/commands.js';
import type { Context } from '../bot/context.js';
import { BotError } from '../bot/errors.js';
import { t } from '../bot/i18n/zh.js';
import type { Services } from '../bot/services.js';
import { ACTION } from '../bot/tickets/cards.js';
import { closeReasonText, type CloseReason } from '../bot/tickets/closing.js';
import { CLOSE_REASONS } from '../bot/tickets/status.js';
import type { Ticket } from '../generated/prisma/client.js';
import { FormText, TicketNumber, TicketValue } from './args.js';

/** The words after the number that name a reason: `误报`, `重复 IT-…`, `无需处理`. */
const REASON_WORDS: Record<string, CloseReason['kind']> = {
  误报: 'false_alarm',
  重复: 'duplicate',
  重复报修: 'duplicate',
  无需处理: 'not_needed',
  不需要处理: 'not_needed',
};

const TICKET_IN_TEXT = /IT-\d{8}-\d{3,}/i;

async function close(ctx: Context, { closing }: Services, number: string, reason: CloseReason, note: string): Promise<string> {
  const closed = await closing.close(number, ctx.user, reason, note);
  return t('ticket.close.toast', { number: closed.number, reason: closeReasonText(closed) });
}

/** `关闭 IT-… 误报` / `关闭 IT-… 重复 IT-…` / `关闭 IT-… 无需处理`, each with an optional note. */
export const closeCommand = defineCommand({
  name: 'ticket.close.command',
  aliases: ['关闭', '/close'],
  usage: t('ticket.close.usage'),
  parse: (rest) => {
    const [ticket = '', typed = '', ...more] = rest.trim().split(/\s+/);
    // `重复IT-…` run together is `重复 IT-…`.
    const [, joined, number] = /^(重复报修|重复)(IT-.+)$/i.exec(typed) ?? [];
    const word = joined ?? typed;
    if (number) more.unshift(number);
    const kind = REASON_WORDS[word] ?? '';
    const of = kind === 'duplicate' && TicketNumber.safeParse(more[0] ?? '').success ? more.shift()! : undefined;
    return { ticket, kind, of, note: more.join(' ') };
  },
  args: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('false_alarm'), ticket: TicketNumber, note: z.string() }),
    z.object({ kind: z.literal('not_needed'), ticket: TicketNumber, note: z.string() }),
    z.object({ kind: z.literal('duplicate'), ticket: TicketNumber, of: TicketNumber, note: z.string() }),
  ]),
  async run(ctx, args, services) {
    const reason: CloseReason = args.kind === 'duplicate' ? { kind: 'duplicate', of: args.of } : { kind: args.kind };
    await ctx.reply(await close(ctx, services, args.ticket, reason, args.note));
  },
});

/** `重复 IT-… 说明` in the card's text: the ticket repeated and what is left as the note. */
function duplicateIn(text: string): { of: string; note: string } {
  const of = TICKET_IN_TEXT.exec(text)?.[0];
  if (!of) throw new BotError('missing_text', { what: t('ticket.close.missingOf') });
  const note = text
    .replace(TICKET_IN_TEXT, '')
    .replace(/^[\s，,：:]*(重复报修|重复)?[\s，,：:]*/u, '')
    .trim();
  return { of: of.toUpperCase(), note };
}

/** 关闭 on the engineers' card: the reason from its select; a duplicate's number and a note from its text. */
export const closeAction = defineAction({
  name: ACTION.close,
  value: TicketValue,
  async run(ctx, { ticket }, services) {
    const form = z.object({ closeReason: FormText, text: FormText }).parse(ctx.event.action?.form ?? {});
    const kind = CLOSE_REASONS.find((r) => r === form.closeReason);
    if (!kind) throw new BotError('missing_text', { what: t('ticket.close.missingReason') });
    if (kind !== 'duplicate') return ctx.toast(await close(ctx, services, ticket, { kind }, form.text));
    const { of, note } = duplicateIn(form.text);
    ctx.toast(await close(ctx, services, ticket, { kind, of }, note));
  },
});

/** The reporter's newest ticket still being worked on in this chat, for a bare `撤销`. */
async function latestOwn(ctx: Context, services: Services): Promise<Ticket | null> {
  return services.tickets.latestActive(ctx.user, ctx.source);
}

/** `撤销 IT-…` (or just `撤销` for one's newest open ticket here): the reporter withdraws a report. */
export const cancelCommand = defineCommand({
  name: 'ticket.cancel.command',
  aliases: ['撤销', '取消报修', '/cancel'],
  usage: t('ticket.cancel.usage'),
  parse: (rest) => ({ ticket: rest.trim() }),
  args: z.object({ ticket: z.union([TicketNumber, z.literal('')]) }),
  async run(ctx, { ticket }, services) {
    const found = ticket ? await services.tickets.get(ticket) : await latestOwn(ctx, services);
    if (!found) throw new BotError('bad_arguments', { usage: t('ticket.cancel.usage') });
    const cancelled = await services.closing.cancel(found, ctx.user);
    // The reporter is told in the chat they reported from; a withdrawal typed elsewhere is answered there too.
    const here = ctx.event.platform === cancelled.sourcePlatform && ctx.event.chat.id === cancelled.sourceChatId;
    if (!here) await ctx.reply(t('ticket.cancel.reply', { number: cancelled.number, by: '' }));
  },
});
