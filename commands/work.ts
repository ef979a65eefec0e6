import { z } from 'zod';
import { defineAction, defineCommand } from '../bot/commands.js';
import type { Context } from '../bot/context.js';
import { BotError } from '../bot/errors.js';
import { t } from '../bot/i18n/zh.js';
import { RECOVERY_ACTION } from '../bot/incidents/alert-cards.js';
import { INCIDENT_ACTION } from '../bot/incidents/service.js';
import type { Person } from '../bot/org/directory.js';
import type { Services } from '../bot/services.js';
import { ACTION } from '../bot/tickets/cards.js';
import { readAmount, readCostIn, yuanText } from '../bot/tickets/repair-cost.js';
import { resolveTarget } from '../bot/tickets/targets.js';
import type { TransferTarget } from '../bot/tickets/work.js';
import { FormText, IncidentNumber, numberThenText, Priority, TicketNumber, TicketValue } from './args.js';

const WithText = z.object({ ticket: TicketNumber, text: z.string() });
const byNumber = (rest: string) => numberThenText(rest);

/** A target picked in the work form (`person:wang-wei`, `group:network`). */
function pickedTarget(ctx: Context, value: string): TransferTarget {
  const [kind, id = ''] = value.split(':');
  const person = kind === 'person' ? ctx.directory.person(id) : undefined;
  if (person) return { person: person as Person };
  const group = kind === 'group' ? ctx.directory.org.itGroups.find((g) => g.id === id) : undefined;
  if (group) return { group: { id: group.id, name: group.name } };
  throw new BotError('missing_text', { what: t('ticket.needs.target') });
}

async function transfer(ctx: Context, services: Services, number: string, target: TransferTarget, reason: string) {
  const { ticket, targetName } = await services.work.transfer(number, ctx.user, target, reason);
  return t('ticket.transfer.toast', { number: ticket.number, target: targetName });
}

/** `转派 IT-… @王伟 原因` / `转派 IT-… 网络组 原因`. */
export const transferCommand = defineCommand({
  name: 'ticket.transfer.command',
  aliases: ['转派', '/transfer'],
  usage: t('ticket.transfer.usage'),
  parse: (rest) => {
    const { ticket, text } = numberThenText(rest);
    const [target = '', ...reason] = text.split(/\s+/);
    return { ticket, target, reason: reason.join(' ') };
  },
  args: z.object({ ticket: TicketNumber, target: z.string().min(1), reason: z.string() }),
  async run(ctx, { ticket, target, reason }, services) {
    await services.tickets.get(ticket);
    const to = await resolveTarget(ctx.tx, ctx.directory, ctx.event, target);
    await ctx.reply(await transfer(ctx, services, ticket, to, reason));
  },
});

export const transferAction = defineAction({
  name: ACTION.transfer,
  value: TicketValue,
  async run(ctx, { ticket }, services) {
    const form = z.object({ target: FormText, text: FormText }).parse(ctx.event.action?.form ?? {});
    ctx.toast(await transfer(ctx, services, ticket, pickedTarget(ctx, form.target), form.text));
  },
});

/** `备注 IT-… 内容`: an internal note. */
export const noteCommand = defineCommand({
  name: 'ticket.note.command',
  aliases: ['备注', '/note'],
  usage: t('ticket.note.usage'),
  parse: byNumber,
  args: WithText,
  async run(ctx, { ticket, text }, { work }) {
    const noted = await work.note(ticket, ctx.user, text);
    await ctx.reply(t('ticket.note.toast', { number: noted.number }));
  },
});

export const noteAction = defineAction({
  name: ACTION.note,
  value: TicketValue,
  async run(ctx, { ticket }, { work }) {
    const { text } = z.object({ text: FormText }).parse(ctx.event.action?.form ?? {});
    const noted = await work.note(ticket, ctx.user, text);
    ctx.toast(t('ticket.note.toast', { number: noted.number }));
  },
});

/** `进展 IT-… 内容`: progress told to the reporter (`进展 INC-… 内容`: to every chat the outage was reported from). */
export const progressCommand = defineCommand({
  name: 'ticket.progress.command',
  aliases: ['进展', '/progress'],
  usage: t('ticket.progress.usage'),
  parse: byNumber,
  args: z.object({ ticket: z.union([TicketNumber, IncidentNumber]), text: z.string() }),
  async run(ctx, { ticket, text }, { work, incidentUpdates }) {
    if (ticket.startsWith('INC-')) {
      const { chats } = await incidentUpdates.progress(ticket, ctx.user, text);
      return ctx.reply(t('incident.progress.toast', { n: chats }));
    }
    await work.progress(ticket, ctx.user, text);
    await ctx.reply(t('ticket.progress.toast'));
  },
});

/** `优先级 IT-… P2 原因` (or `优先级 INC-… P1 原因`: the incident, and every report in it, follow). */
export const priorityCommand = defineCommand({
  name: 'ticket.priority.command',
  aliases: ['优先级', '/priority'],
  usage: t('ticket.priority.usage'),
  parse: (rest) => {
    const { ticket, text } = numberThenText(rest);
    const [priority = '', ...reason] = text.split(/\s+/);
    return { ticket, priority, reason: reason.join(' ') };
  },
  args: z.object({ ticket: z.union([TicketNumber, IncidentNumber]), priority: Priority, reason: z.string() }),
  async run(ctx, { ticket, priority, reason }, { work, incidents }) {
    if (ticket.startsWith('INC-')) {
      const incident = await incidents.changePriority(ticket, ctx.user, priority, reason);
      return ctx.reply(t('ticket.priority.toast', { number: incident.number, priority }));
    }
    const changed = await work.changePriority(ticket, ctx.user, priority, reason);
    await ctx.reply(t('ticket.priority.toast', { number: changed.number, priority }));
  },
});

export const priorityAction = defineAction({
  name: ACTION.priority,
  value: TicketValue,
  async run(ctx, { ticket }, { work }) {
    const form = z.object({ priority: FormText, text: FormText }).parse(ctx.event.action?.form ?? {});
    const priority = Priority.safeParse(form.priority);
    if (!priority.success) throw new BotError('missing_text', { what: t('ticket.needs.priority') });
    const changed = await work.changePriority(ticket, ctx.user, priority.data, form.text);
    ctx.toast(t('ticket.priority.toast', { number: changed.number, priority: priority.data }));
  },
});

/** `备件 IT-… 硒鼓×1`. */
export const partsCommand = defineCommand({
  name: 'ticket.parts.command',
  aliases: ['备件', '/parts'],
  usage: t('ticket.parts.usage'),
  parse: byNumber,
  args: WithText,
  async run(ctx, { ticket, text }, { work }) {
    const recorded = await work.recordParts(ticket, ctx.user, text);
    await ctx.reply(t('ticket.parts.toast', { number: recorded.number, parts: text.trim() }));
  },
});

/** The toast of a resolution: with the cost and the department charged when a cost was recorded. */
function resolvedToast(ctx: Context, ticket: { number: string; repairCostFen: number | null; chargedDepartmentId: string | null }): string {
  if (!ticket.repairCostFen) return t('ticket.resolve.toast', { number: ticket.number });
  const department = ctx.directory.departmentName(ticket.chargedDepartmentId) ?? t('repair.noDepartment');
  return t('repair.resolve.toast', { number: ticket.number, cost: yuanText(ticket.repairCostFen), department });
}

/** `解决 IT-… 方案` (with the repair's cost in it, `更换硒鼓 费用 120 元`) or `解决 INC-… 方案`. */
export const resolveCommand = defineCommand({
  name: 'ticket.resolve.command',
  aliases: ['解决', '/resolve'],
  usage: t('ticket.resolve.usage'),
  parse: (rest) => {
    const { ticket, text } = numberThenText(rest);
    return { number: ticket, text };
  },
  args: z.object({ number: z.union([TicketNumber, IncidentNumber]), text: z.string() }),
  async run(ctx, { number, text }, { work, incidentUpdates }) {
    if (number.startsWith('INC-')) {
      const { incident, children } = await incidentUpdates.resolve(number, ctx.user, text);
      return ctx.reply(t('incident.resolve.toast', { number: incident.number, n: children }));
    }
    const { text: solution, costFen } = readCostIn(text);
    const resolved = await work.resolve(number, ctx.user, solution, undefined, costFen);
    await ctx.reply(resolvedToast(ctx, resolved));
  },
});

export const resolveAction = defineAction({
  name: ACTION.resolve,
  value: TicketValue,
  async run(ctx, { ticket }, { work }) {
    const form = z.object({ text: FormText, parts: FormText, cost: FormText }).parse(ctx.event.action?.form ?? {});
    // The cost field wins over a cost written in the text; either way the text keeps no cost phrase.
    const typed = readCostIn(form.text);
    const field = form.cost ? readAmount(form.cost) : undefined;
    if (form.cost && (!field || field.rest)) throw new BotError('bad_cost', { reason: t('repair.cost.notAmount', { value: form.cost }) });
    const resolved = await work.resolve(ticket, ctx.user, typed.text, form.parts, field?.costFen ?? typed.costFen);
    ctx.toast(resolvedToast(ctx, resolved));
  },
});

/** `费用 IT-… 150 元 原因`: gives or corrects a repair's cost after the fact. */
export const costCommand = defineCommand({
  name: 'ticket.cost.command',
  aliases: ['费用', '/cost'],
  usage: t('repair.cost.usage'),
  parse: byNumber,
  args: WithText,
  async run(ctx, { ticket, text }, { repairs }) {
    const amount = readAmount(text);
    if (!amount) throw new BotError('bad_arguments', { usage: t('repair.cost.usage') });
    const { ticket: changed, from } = await repairs.correctCost(ticket, ctx.user, amount.costFen, amount.rest);
    const department = ctx.directory.departmentName(changed.chargedDepartmentId) ?? t('repair.noDepartment');
    const cost = yuanText(amount.costFen);
    await ctx.reply(
      from === null
        ? t('repair.cost.recorded', { number: changed.number, cost, department })
        : t('repair.cost.corrected', { number: changed.number, from: yuanText(from), cost, department }),
    );
  },
});

export const resolveIncidentAction = defineAction({
  name: INCIDENT_ACTION.resolve,
  value: z.object({ incident: IncidentNumber, v: z.coerce.number().int().optional() }),
  async run(ctx, { incident }, { incidentUpdates }) {
    const { text } = z.object({ text: FormText }).parse(ctx.event.action?.form ?? {});
    const resolved = await incidentUpdates.resolve(incident, ctx.user, text);
    ctx.toast(t('incident.resolve.toast', { number: resolved.incident.number, n: resolved.children }));
  },
});

/** 确认已解决 on the card asking the engineers once an incident's alerts have recovered: the same resolution, with monitoring's word as the solution. */
export const recoveredIncidentAction = defineAction({
  name: RECOVERY_ACTION,
  value: z.object({ incident: IncidentNumber }),
  async run(ctx, { incident }, { incidentRecovery, incidentUpdates }) {
    await incidentRecovery.check(incident);
    const resolved = await incidentUpdates.resolve(incident, ctx.user, t('incident.recovery.solution'));
    const { number } = resolved.incident;
    ctx.toast(resolved.children > 0 ? t('incident.resolve.toast', { number, n: resolved.children }) : t('incident.recovery.toast', { number }));
  },
});

export const progressIncidentAction = defineAction({
  name: INCIDENT_ACTION.progress,
  value: z.object({ incident: IncidentNumber, v: z.coerce.number().int().optional() }),
  async run(ctx, { incident }, { incidentUpdates }) {
    const { text } = z.object({ text: FormText }).parse(ctx.event.action?.form ?? {});
    const { chats } = await incidentUpdates.progress(incident, ctx.user, text);
    ctx.toast(t('incident.progress.toast', { n: chats }));
  },
});
