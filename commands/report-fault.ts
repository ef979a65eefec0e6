import type { FallbackDef } from '../bot/commands.js';
import { t } from '../bot/i18n/zh.js';
import { looksLikeSmallTalk } from '../bot/tickets/extract.js';

/** Free text in the intake group (or a direct chat) is a fault report; small talk creates nothing. */
const reportFault: FallbackDef = {
  name: 'ticket.report',
  async run(ctx, text, { tickets }) {
    if (looksLikeSmallTalk(text)) return ctx.reply(t('chat.notAReport'));
    const { platform, chat, eventId, attachments } = ctx.event;
    await tickets.report({ reporter: ctx.user, text, source: { platform, chatId: chat.id, messageId: eventId }, attachments });
  },
};

export default reportFault;
