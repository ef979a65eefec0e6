import type { FallbackDef } from '../bot/commands.js';
import { t } from '../bot/i18n/zh.js';
import { extractReport, looksLikeSmallTalk, type ReportFields } from '../bot/tickets/extract.js';

/** Short, names no system and no asset: a remark, not a report. */
function isRemark(text: string, fields: () => ReportFields): boolean {
  if ([...text].length > 30) return false;
  const { system, assetNumber } = fields();
  return !system && !assetNumber;
}

/** "好了", "已经恢复了": the reporter says the problem went away. */
const FIXED = /^(好了|已经好了|现在好了|可以了|又可以了|能用了|恢复了|已恢复|已经恢复了?|解决了|已解决|自己好了|搞定了|不用修了|不用来了)[啦了呀哈!！。.~～\s]*$/;

/**
 * Free text in the intake group (or a direct chat): a follow-up to a ticket waiting for
 * information, "it works again" for the reporter's open ticket, or a new fault report — which
 * joins an outage's incident when many people report the same thing.
 */
const reportFault: FallbackDef = {
  name: 'ticket.report',
  async run(ctx, text, { tickets, incidents, confirmation }) {
    const { platform, chat, eventId, attachments, replyTo } = ctx.event;
    const source = { platform, chatId: chat.id, messageId: eventId };
    const reporter = ctx.user;
    // What the text says, worked out once (segmentation is the costly part) and only if needed.
    let extracted: ReportFields | undefined;
    const fields = () => (extracted ??= extractReport(text, reporter, ctx.directory));

    // Engineers talk to reporters in the intake group; what they say there is not a fault report.
    if (ctx.directory.isItStaff(reporter) && ctx.event.chat.type !== 'direct') return;

    if (FIXED.test(text)) {
      const active = await tickets.latestActive(reporter, source);
      if (active) return void (await tickets.selfSolve(active, reporter));
      const resolved = await tickets.latestResolved(reporter, source);
      if (resolved) {
        await confirmation.confirm(resolved.number, reporter, { solved: true });
        return ctx.reply(t('ticket.confirm.thanks'));
      }
    }
    const waiting = await tickets.awaitingInfo(reporter, source);
    const isReply = !!waiting && (await tickets.isReplyTo(waiting, replyTo));
    if (waiting && (await tickets.fillFrom(waiting, reporter, text, source, attachments, isReply, text ? fields() : undefined))) return;
    if (!text && attachments.length > 0) return ctx.reply(t('ticket.imagesOnly'));
    if (looksLikeSmallTalk(text)) return ctx.reply(t('chat.notAReport'));

    // A short remark about the reporter's open ticket (谢谢，我在门诊3楼等你) is conversation, not a new fault.
    if (attachments.length === 0 && isRemark(text, fields)) {
      const active = await tickets.latestActive(reporter, source);
      if (active) return tickets.remark(active, reporter, text);
    }

    const ticket = await tickets.report({ reporter, text, source, attachments, fields: fields() });
    if (!(await incidents.absorb(ticket))) await tickets.announce(ticket);
  },
};

export default reportFault;
