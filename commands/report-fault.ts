import type { FallbackDef } from '../bot/commands.js';
import { t } from '../bot/i18n/zh.js';
import { looksLikeSmallTalk } from '../bot/tickets/extract.js';

/** "好了", "已经恢复了": the reporter says the problem went away. */
const FIXED = /^(好了|已经好了|现在好了|可以了|又可以了|能用了|恢复了|已恢复|已经恢复了?|解决了|已解决|自己好了|搞定了|不用修了|不用来了)[啦了呀哈!！。.~～\s]*$/;

/**
 * Free text in the intake group (or a direct chat): a follow-up to a ticket waiting for
 * information, "it works again" for the reporter's open ticket, or a new fault report — which
 * joins an outage's incident when many people report the same thing.
 */
const reportFault: FallbackDef = {
  name: 'ticket.report',
  async run(ctx, text, { tickets, incidents }) {
    const { platform, chat, eventId, attachments, replyTo } = ctx.event;
    const source = { platform, chatId: chat.id, messageId: eventId };
    const reporter = ctx.user;

    if (FIXED.test(text)) {
      const active = await tickets.latestActive(reporter, source);
      if (active) return void (await tickets.selfSolve(active, reporter));
    }
    const waiting = await tickets.awaitingInfo(reporter, source);
    const isReply = !!replyTo && replyTo.messageId === waiting?.sourceMessageId;
    if (waiting && (await tickets.fillFrom(waiting, reporter, text, source, attachments, isReply))) return;
    if (!text && attachments.length > 0) return ctx.reply(t('ticket.imagesOnly'));
    if (looksLikeSmallTalk(text)) return ctx.reply(t('chat.notAReport'));

    const ticket = await tickets.report({ reporter, text, source, attachments });
    if (!(await incidents.absorb(ticket))) await tickets.announce(ticket);
  },
};

export default reportFault;
