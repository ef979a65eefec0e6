import { z } from 'zod';
import { defineAction, defineCommand, nothingSaid } from '../bot/commands.js';
import { HANDOVER_ACTION } from '../bot/duty/handover.js';
import { BotError } from '../bot/errors.js';
import { t } from '../bot/i18n/zh.js';
import { FormText } from './args.js';
import { REMINDER_DONE } from '../bot/reminders/service.js';
import { quarterOf, readPeriod } from '../bot/reports/period.js';
import { isCalendarDay } from '../bot/time.js';
import { resolveTarget } from '../bot/tickets/targets.js';

/** `值班` / `今天谁值班` / `值班表`: who is on duty now, today and this week. */
export const dutyCommand = defineCommand({
  name: 'duty.show',
  aliases: ['值班', '今天谁值班', '值班表', '/duty'],
  usage: t('duty.show.usage'),
  // `值班 电脑黑屏` is a report, not a question about the roster.
  takes: nothingSaid,
  glued: nothingSaid,
  args: z.object({}),
  async run(ctx, _args, { duty }) {
    await ctx.reply(await duty.rosterThisWeek());
  },
});

/** `排班 2026-12-05 夜班 王伟`: one day's shift set by hand (group leaders, the IT director). */
export const overrideCommand = defineCommand({
  name: 'duty.override',
  aliases: ['排班', '/roster'],
  usage: t('duty.override.usage'),
  parse: (rest) => {
    const [day = '', shift = '', who = ''] = rest.trim().split(/\s+/);
    return { day, shift, who };
  },
  args: z.object({ day: z.string().refine(isCalendarDay), shift: z.string().min(1), who: z.string().min(1) }),
  async run(ctx, { day, shift, who }, { duty }) {
    const target = await resolveTarget(ctx.tx, ctx.directory, ctx.event, who);
    if (!('person' in target)) throw new BotError('unknown_target', { target: who });
    const { shift: set, alsoOn } = await duty.override(day, shift, target.person, ctx.user, ctx.event.platform);
    const done = t('duty.override.done', { day, shift: set.name, person: target.person.name });
    const double = alsoOn.map((s) => s.name).join('、');
    await ctx.reply(double ? `${done}${t('duty.override.double', { person: target.person.name, shifts: double })}` : done);
  },
});

/** `日报` (today so far) / `昨日日报` / `日报 2026-12-01` / `周报` / `月报`: the leadership digest on demand. */
export const digestCommand = defineCommand({
  name: 'digest.show',
  aliases: ['日报', '昨日日报', '昨天日报', '周报', '月报', '/digest'],
  usage: t('digest.usage'),
  parse: (rest) => ({ day: rest.trim() }),
  args: z.object({ day: z.string().refine((d) => d === '' || isCalendarDay(d)) }),
  async run(ctx, { day }, { digest }) {
    const word = (ctx.event.text ?? '').trim().split(/\s+/)[0] ?? '';
    const kind = word === '周报' ? 'weekly' : word === '月报' ? 'monthly' : 'daily';
    await ctx.reply(await digest.onDemand(kind, ctx.user, day || (word.startsWith('昨') ? 'yesterday' : 'today')));
  },
});

/** 已完成 / 签字确认 on a reminder card. */
export const reminderDone = defineAction({
  name: REMINDER_DONE,
  value: z.object({ fire: z.coerce.number().int().positive() }),
  async run(ctx, { fire }, { reminders }) {
    await reminders.done(fire, ctx.user);
    ctx.toast(t('reminder.done.toast'));
  },
});

const HandoverValue = z.object({ handover: z.coerce.number().int().positive() });

/** 提交交班 on the outgoing engineer's card. */
export const submitHandover = defineAction({
  name: HANDOVER_ACTION.submit,
  value: HandoverValue,
  async run(ctx, { handover }, { handovers }) {
    const form = z.object({ spares: FormText, lent: FormText, tools: FormText, devices: FormText, notes: FormText }).parse(ctx.event.action?.form ?? {});
    const checklist = Object.fromEntries(Object.entries(form).filter(([, v]) => v));
    await handovers.submit(handover, ctx.user, checklist);
    ctx.toast(t('handover.submitted.toast'));
  },
});

/** 确认接班 on the incoming engineer's card. */
export const acceptHandover = defineAction({
  name: HANDOVER_ACTION.accept,
  value: HandoverValue,
  async run(ctx, { handover }, { handovers }) {
    await handovers.accept(handover, ctx.user);
    ctx.toast(t('handover.accepted.toast'));
  },
});

/** `交接记录`: the latest handovers. */
export const handoverLog = defineCommand({
  name: 'handover.log',
  aliases: ['交接记录', '/handovers'],
  usage: t('handover.log.usage'),
  args: z.object({}),
  async run(ctx, _args, { handovers }) {
    await ctx.reply(await handovers.recent());
  },
});

const REPORT_WORDS: Record<string, string> = {
  故障台账: 'fault-register',
  审批登记: 'approvals-register',
  值班记录: 'duty-log',
  交接记录: 'duty-log',
  月度汇总: 'monthly-summary',
  维修申请单: 'repair-forms',
  维修申请单台账: 'repair-forms',
  维修台账: 'repair-forms',
  资产季报: 'asset-quarterly',
  资产季度汇总: 'asset-quarterly',
};

/**
 * `导出 故障台账 2026-11`, `导出 维修申请单 2026-12`, `导出 资产季报 2026-Q4`: a link to the register as
 * xlsx for a month or a quarter (the simulator serves it directly; elsewhere the API with its token).
 * Without a period: this month, or this quarter for the quarterly summary.
 */
export const exportCommand = defineCommand({
  name: 'report.export',
  aliases: ['导出', '/export'],
  usage: t('report.export.usage'),
  parse: (rest) => {
    const [word = '', ...period] = rest.trim().split(/\s+/);
    return { report: Object.hasOwn(REPORT_WORDS, word) ? REPORT_WORDS[word]! : '', period: period.join('') };
  },
  args: z.object({ report: z.string().min(1), period: z.string() }),
  async run(ctx, { report, period }, { digest }) {
    const quarterly = report === 'asset-quarterly';
    const given = period ? readPeriod(period) : undefined;
    if (period && !given) throw new BotError('bad_arguments', { usage: t(quarterly ? 'report.export.quarterUsage' : 'report.export.usage') });
    // Who may export is checked first; the month it gives is this month when none was named.
    const month = digest.exportMonth(ctx.user, given && 'month' in given ? given.month : '');
    const query = given && 'quarter' in given ? { quarter: given.quarter } : quarterly && !given ? { quarter: quarterOf(month) } : { month };
    const [key, shown] = Object.entries(query)[0]!;
    const path =
      ctx.event.platform === 'simulator'
        ? `/simulator/api/reports/${report}.xlsx?${key}=${shown}`
        : `/api/reports/${report}.xlsx?${key}=${shown}${t('report.export.token')}`;
    await ctx.reply(t('report.export.ready', { period: shown, path }));
  },
});

/** `完成 R12`: the 已完成 / 签字确认 button, typed (channels without buttons). */
export const reminderDoneCommand = defineCommand({
  name: 'reminder.done.command',
  aliases: ['完成', '签字'],
  usage: t('reminder.done.usage'),
  parse: (rest) => ({ fire: rest.trim().replace(/^R/i, '') }),
  args: z.object({ fire: z.coerce.number().int().positive() }),
  async run(ctx, { fire }, { reminders }) {
    await reminders.done(fire, ctx.user);
    await ctx.reply(t('reminder.done.toast'));
  },
});

/** `交班 H5 备用机3台…` and `接班 H5`: the handover card's buttons, typed. */
export const handoverCommand = defineCommand({
  name: 'handover.command',
  aliases: ['交班', '接班'],
  usage: t('handover.command.usage'),
  parse: (rest) => {
    const [id = '', ...words] = rest.trim().split(/\s+/);
    return { id: id.replace(/^H/i, ''), notes: words.join(' ') };
  },
  args: z.object({ id: z.coerce.number().int().positive(), notes: z.string() }),
  async run(ctx, { id, notes }, { handovers }) {
    if ((ctx.event.text ?? '').trim().startsWith('接班')) {
      await handovers.accept(id, ctx.user);
      return ctx.reply(t('handover.accepted.toast'));
    }
    await handovers.submit(id, ctx.user, notes ? { notes } : {});
    await ctx.reply(t('handover.submitted.toast'));
  },
});
