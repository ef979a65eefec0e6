import type { FallbackDef } from '../bot/commands.js';
import type { Context } from '../bot/context.js';
import { t } from '../bot/i18n/zh.js';
import type { Services } from '../bot/services.js';
import { extractReport, type ReportFields } from '../bot/tickets/extract.js';
import { scopeThanks } from '../bot/tickets/scope.js';
import { CONTINUES, endingOf, kindOf, namesAnotherFault, scopeAnswer } from '../bot/tickets/intent.js';
import { FAULT } from '../bot/tickets/lexicon.js';
import { mandarinOf } from '../bot/tickets/dialect.js';
import type { Ticket } from '../generated/prisma/client.js';
import { BotError } from '../bot/errors.js';
import { statusText } from '../bot/tickets/status.js';

const ACTIVE = ['open', 'claimed'];
const NUMBER = /IT-\d{8}-\d{4}/i;
const GREETING = /^(?:@\S+\s*)?(?:你好|您好|在吗|在不在|hi|hello|有人吗)/i;

/**
 * Free text in the intake group (or a direct chat). Every message ends as exactly one visible
 * outcome (README: how intake reads a message):
 * 1. an ending of the sender's own ticket: 好了 (self-solved, or confirmed), 还是不行 (reopened or
 *    continued), 不用修了 (cancelled);
 * 2. an addition to a ticket: it names the ticket, answers the bot's question, or continues the
 *    sender's recent ticket with no new fault in it (no other system, asset or place);
 * 3. chatter (thanks, greetings, talk among colleagues): nothing created, nobody paged;
 * 4. a new ticket, joining an outage's incident when many report the same thing; when it might
 *    only be an addition to the sender's recent ticket, the reporter is offered one button to fold
 *    it in. A report is never held back waiting for an answer.
 */
const reportFault: FallbackDef = {
  name: 'ticket.report',
  async run(ctx, text, services) {
    const { tickets, intake, scopes, merges } = services;
    const { chat, attachments, replyTo } = ctx.event;
    const source = ctx.source;
    const reporter = ctx.user;
    // Engineers talk to reporters in the intake group; what they say there is not a fault report.
    if (ctx.directory.isItStaff(reporter) && chat.type !== 'direct') return;
    // Someone remembered from the directory answering which department they are in (心内科, 我是检验科的).
    const department = await services.people.answerTyped(reporter, text);
    if (department) return ctx.reply(t('people.department.saved', { department: department.name }));
    // What the text says, worked out once and only if needed.
    let extracted: ReportFields | undefined;
    const fields = () => (extracted ??= extractReport(text, reporter, ctx.directory));

    const named = await namedTicket(ctx, services, text);
    const recent = named ?? (await intake.recent(reporter, source));
    const ending = text ? endingOf(text, ctx.directory) : undefined;
    if (ending && (await endTicket(ctx, services, ending, recent, text, fields, !!named))) return;
    // More about a ticket that no longer runs (补充 IT-… after it closed) is refused, not written into it.
    if (named && !ACTIVE.includes(named.status))
      throw new BotError('ticket_not_open', { number: named.number, status: statusText(named), what: t('ticket.what.addInfo') });
    // "修好了，谢谢" or "不用了" with no ticket of theirs to end: thanks, not a report.
    if (ending === 'fixed' || ending === 'cancel') return;

    // An answer to the bot's question: a reply to it or the report, the scope, or the very detail asked for.
    const waiting = named ?? (await tickets.awaitingInfo(reporter, source));
    if (waiting) {
      const scope = waiting.awaiting?.includes('scope') ? scopeAnswer(text) : undefined;
      if (scope) {
        const answered = await scopes.answer(waiting.number, reporter, scope);
        return ctx.reply(scopeThanks(answered, scope));
      }
      if (named || (await tickets.isReplyTo(waiting, replyTo)) || answersAsked(waiting, text ? fields() : undefined, attachments.length)) {
        if (!text || !namesAnotherFault(text, fields(), waiting))
          return void (await intake.addTo(waiting, reporter, text, text ? fields() : undefined, attachments, source));
      }
    }
    const active = recent && ACTIVE.includes(recent.status) ? recent : undefined;
    if (!text && attachments.length > 0) {
      if (active) return void (await intake.addTo(active, reporter, text, undefined, attachments, source));
      return ctx.reply(t('ticket.imagesOnly'));
    }
    const kind = attachments.length > 0 ? 'report' : kindOf(text, fields(), ctx.directory);
    if (kind === 'detail' && active && !namesAnotherFault(text, fields(), active))
      return void (await intake.addTo(active, reporter, text, fields(), attachments, source));
    if (kind !== 'report') {
      // Nothing to create and nobody to page. A greeting to the bot (你好, 在吗), the bot called by
      // name alone (@信息科助手) or a direct chat gets the hint; thanks and talk in the group get no
      // answer, which would only be noise there.
      const greeting = (said: string) => said === '' || GREETING.test(said);
      if (chat.type === 'direct' || (ctx.event.mentionsBot && greeting(text.normalize('NFKC').trim()))) await ctx.reply(t('chat.notAReport'));
      return;
    }

    const newFault = active ? namesAnotherFault(text, fields(), active) : true;
    if (active && !newFault && continues(active, text, fields())) return void (await intake.addTo(active, reporter, text, fields(), attachments, source));

    const ticket = await tickets.report({ reporter, text, source, attachments, fields: fields() });
    if (!(await services.incidents.absorb(ticket))) {
      await tickets.announce(ticket);
      if (ticket.awaiting?.includes('scope')) await scopes.ask(ticket, ticket.awaiting.split(','));
      if (active && !newFault) await merges.offer(ticket, active);
    }
    // A reporter the file does not list, whose department the directory did not say, is asked once.
    await services.people.askDepartment(reporter, ticket);
  },
};

/**
 * The ticket the text names (补充 IT-20261123-0001 …, IT-… 好了), if any: it must exist and be the
 * sender's (or their department's, for its head); a message never acts on another ticket instead.
 */
async function namedTicket(ctx: Context, { intake }: Services, text: string): Promise<Ticket | null> {
  const number = NUMBER.exec(text)?.[0]?.toUpperCase();
  return number ? intake.named(number, ctx.user) : null;
}

/** 好了 / 还是不行 / 不用修了 applied to the sender's ticket; false when there is none it can apply to. */
async function endTicket(
  ctx: Context,
  { tickets, intake, confirmation, closing }: Services,
  ending: NonNullable<ReturnType<typeof endingOf>>,
  recent: Ticket | null,
  text: string,
  fields: () => ReportFields,
  named: boolean,
): Promise<boolean> {
  const { user: reporter, source } = ctx;
  // A named ticket is the only one the ending may apply to.
  const ends = ending === 'cancel' ? ACTIVE : [...ACTIVE, 'resolved'];
  if (named && recent && ending !== 'stillBroken' && !ends.includes(recent.status)) {
    throw new BotError('ticket_not_open', {
      number: recent.number,
      status: statusText(recent),
      what: t(ending === 'fixed' ? 'ticket.what.selfSolve' : 'ticket.what.cancel'),
    });
  }
  const active =
    ending === 'stillBroken' ? null : recent && ACTIVE.includes(recent.status) ? recent : named ? null : await tickets.latestActive(reporter, source);
  if (ending === 'fixed') {
    if (active) return (void (await tickets.selfSolve(active, reporter)), true);
    const resolved = recent?.status === 'resolved' ? recent : named ? null : await tickets.latestResolved(reporter, source);
    if (resolved) {
      await confirmation.confirm(resolved.number, reporter, { solved: true });
      await ctx.reply(t('ticket.confirm.thanks'));
      return true;
    }
    return false;
  }
  if (ending === 'cancel') {
    if (!active) return false;
    await closing.cancel(active, reporter);
    return true;
  }
  // Still broken: the same fault, unless the message names another one. A closed ticket stays
  // closed: the fault coming back after that is a new report.
  const target = recent && recent.status !== 'closed' ? recent : named ? null : await tickets.latestResolved(reporter, source);
  if (!target && named && recent) throw new BotError('ticket_not_open', { number: recent.number, status: statusText(recent), what: t('ticket.what.reopen') });
  if (!target || namesAnotherFault(text, fields(), target, { sameFault: true })) return false;
  await intake.stillBroken(target, reporter, text, source, fields());
  return true;
}

/** The message gives the detail the bot asked for (the asset, a phone, the system) or a screenshot. */
function answersAsked(ticket: Ticket, fields: ReportFields | undefined, images: number): boolean {
  const asked = ticket.awaiting?.split(',') ?? [];
  if (images > 0) return true;
  return (asked.includes('asset') && !!fields?.assetNumber) || (asked.includes('phone') && !!fields?.phone) || (asked.includes('system') && !!fields?.system);
}

/**
 * A report continues the sender's recent ticket (it names no new fault, see namesAnotherFault) when
 * it says so (就是上面那个问题, 补充一下), names no system or device of its own (三台都不行, 一直转圈),
 * says no fault of its own (检验科都这样 全部电脑), or names the ticket's own system again. Otherwise
 * (a fault of a system the ticket lacks) the bot cannot tell: a new ticket, with the offer to fold it in.
 */
function continues(ticket: Ticket, text: string, fields: ReportFields): boolean {
  const t = mandarinOf(text.normalize('NFKC'));
  if (CONTINUES.test(t) || (fields.systemBy !== 'name' && fields.systemBy !== 'word')) return true;
  // No fault of its own (检验科都这样 全部电脑): it says how far the reported one reaches.
  if (!FAULT.test(t) && (!fields.assetNumber || !ticket.assetNumber)) return true;
  return fields.system?.name === ticket.system;
}

export default reportFault;
