import { z } from 'zod';
import { APPROVAL_ACTION, statusText, type FullApproval } from '../bot/approvals/cards.js';
import { hasSecret, parseLocal } from '../bot/approvals/form.js';
import { KIND_WORDS, KINDS } from '../bot/approvals/kinds.js';
import { defineAction, defineCommand } from '../bot/commands.js';
import type { Context } from '../bot/context.js';
import { BotError } from '../bot/errors.js';
import { t } from '../bot/i18n/zh.js';
import { APPROVAL_TYPES } from '../bot/org/approvals-schema.js';
import { resolveTarget } from '../bot/tickets/targets.js';
import { FormText } from './args.js';

const ApprovalNumber = z
  .string()
  .trim()
  .regex(/^SQ-\d{8}-\d{3,}$/i)
  .transform((s) => s.toUpperCase());
const StepValue = z.object({ approval: ApprovalNumber, step: z.coerce.number().int().positive() });
const comment = (ctx: Context) => z.object({ comment: FormText }).parse(ctx.event.action?.form ?? {}).comment;
const here = (ctx: Context) => ({ platform: ctx.event.platform, chatId: ctx.event.chat.id });
const typeList = Object.entries(KIND_WORDS)
  .filter(([, type], i, all) => all.findIndex(([, other]) => other === type) === i)
  .map(([word, type]) => `${word}（${KINDS[type].label}）`)
  .join('、');

/** What the decider hears: approved and where the request stands now, or rejected. */
const decided = (result: FullApproval, d: 'approve' | 'reject') =>
  d === 'approve'
    ? t('approval.approved.toast', { number: result.number, status: statusText(result) })
    : t('approval.rejected.toast', { number: result.number });

/**
 * `申请 权限` (销户 / 变更 / 数据导出 / 领用 / 调拨 / 报废 / 离岗 / 换班): the form to fill in. A kind
 * about one thing takes it after its word (`申请 报废 PC-0231`); the others take nothing more.
 */
export const applyCommand = defineCommand({
  name: 'approval.apply',
  aliases: ['申请', '/apply'],
  usage: t('approval.apply.usage', { types: typeList }),
  parse: (rest) => {
    const [word = '', ...more] = rest.trim().split(/\s+/);
    return { type: KIND_WORDS[word] ?? word, subject: more.join(' ') };
  },
  args: z.object({ type: z.enum(APPROVAL_TYPES), subject: z.string().max(60) }).refine(({ type, subject }) => !subject || KINDS[type].opening !== undefined),
  async run(ctx, { type, subject }, { approvals }) {
    await approvals.openForm(type, ctx.user, here(ctx), undefined, subject || undefined);
  },
});

/** 提交申请 on a form card; beside its type and id, a form opened for one thing carries its values (the asset's number), checked again like every field. */
export const submitAction = defineAction({
  name: APPROVAL_ACTION.submit,
  value: z
    .object({ type: z.enum(APPROVAL_TYPES), form: z.string().max(40).optional() })
    .catchall(z.string().max(100))
    .refine((v) => Object.keys(v).length <= 6),
  async run(ctx, { type, form: _id, ...preset }, { approvals }) {
    const approval = await approvals.submit(type, ctx.user, { ...(ctx.event.action?.form ?? {}), ...preset }, here(ctx));
    const first = approval.steps
      .filter((s) => s.status === 'pending')
      .map((s) => s.name)
      .join('、');
    ctx.toast(t('approval.submitted.toast', { number: approval.number, steps: first }));
  },
});

/** 同意 / 驳回 / 确认办结 on an approver's card. */
export const decideAction = defineAction({
  name: APPROVAL_ACTION.decide,
  value: StepValue.extend({ d: z.enum(['approve', 'reject']) }),
  async run(ctx, { approval, step, d }, { approvals }) {
    const result = await approvals.decide(approval, step, ctx.user, d, comment(ctx));
    ctx.toast(decided(result, d));
  },
});

/** `审批 SQ-… 同意 意见` / `审批 SQ-… 驳回 原因`: the card's decision, typed. */
export const decideCommand = defineCommand({
  name: 'approval.decide.command',
  aliases: ['审批', '/approve'],
  usage: t('approval.decide.usage'),
  parse: (rest) => {
    const [approval = '', verdict = '', ...words] = rest.trim().split(/\s+/);
    return { approval, verdict, comment: words.join(' ') };
  },
  args: z.object({ approval: ApprovalNumber, verdict: z.enum(['同意', '驳回', '确认']), comment: z.string() }),
  async run(ctx, { approval, verdict, comment }, { approvals }) {
    const decision = verdict === '驳回' ? 'reject' : 'approve';
    const result = await approvals.decideTyped(approval, ctx.user, decision, comment);
    await ctx.reply(decided(result, decision));
  },
});

export const claimExecutionAction = defineAction({
  name: APPROVAL_ACTION.claim,
  value: StepValue,
  async run(ctx, { approval, step }, { approvals }) {
    await approvals.claimExecution(approval, step, ctx.user);
    ctx.toast(t('approval.claimed.toast', { number: approval }));
  },
});

export const doneExecutionAction = defineAction({
  name: APPROVAL_ACTION.done,
  value: StepValue,
  async run(ctx, { approval, step }, { approvals }) {
    const typed = comment(ctx);
    const result = await approvals.completeExecution(approval, step, ctx.user, typed);
    const done = t('approval.executed.toast', { number: result.number, status: statusText(result) });
    ctx.toast(hasSecret(typed) ? `${done}${t('approval.secretHidden')}` : done);
  },
});

const ChangeValue = z.object({ approval: ApprovalNumber });

export const backupAction = defineAction({
  name: APPROVAL_ACTION.backup,
  value: ChangeValue,
  async run(ctx, { approval }, { changes }) {
    await changes.backupDone(approval, ctx.user);
    ctx.toast(t('change.backup.toast', { number: approval }));
  },
});

export const verifyAction = defineAction({
  name: APPROVAL_ACTION.verify,
  value: ChangeValue.extend({ ok: z.coerce.number().int().min(0).max(1) }),
  async run(ctx, { approval, ok }, { changes }) {
    await changes.verified(approval, ctx.user, ok === 1, comment(ctx));
    ctx.toast(t(ok === 1 ? 'change.verified.toast' : 'change.rolledBack.toast', { number: approval }));
  },
});

export const reviewAction = defineAction({
  name: APPROVAL_ACTION.review,
  value: ChangeValue,
  async run(ctx, { approval }, { changes }) {
    await changes.reviewed(approval, ctx.user, comment(ctx));
    ctx.toast(t('change.review.toast', { number: approval }));
  },
});

/** `我的申请`: my requests and where each one stands. */
export const myApprovals = defineCommand({
  name: 'approval.mine',
  aliases: ['我的申请', '/requests'],
  usage: t('approval.mine.usage'),
  args: z.object({}),
  async run(ctx, _args, { approvals }) {
    const mine = await approvals.mine(ctx.user);
    if (mine.length === 0) return ctx.reply(t('approval.mine.empty'));
    const lines = mine.map((a) => {
      const current = a.steps
        .filter((s) => s.status === 'pending')
        .map((s) => s.name)
        .join('、');
      const kind = KINDS[a.type as keyof typeof KINDS].label;
      return t('approval.mine.line', {
        number: a.number,
        kind,
        status: statusText(a),
        current: current ? t('approval.mine.current', { steps: current }) : '',
        title: a.title,
      });
    });
    await ctx.reply({
      type: 'card',
      card: { title: t('approval.mine.title', { n: mine.length }), color: 'blue', fields: [], text: lines.join('\n'), buttons: [] },
    });
  },
});

/** `委托 @王伟 2026-11-30 18:00 休假`: someone decides for me until then. `取消委托` ends it. */
export const delegateCommand = defineCommand({
  name: 'approval.delegate',
  aliases: ['委托', '/delegate'],
  usage: t('approval.delegate.usage'),
  parse: (rest) => {
    const m = /^(\S+)\s+(\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2})?)\s*(.*)$/.exec(rest.trim().normalize('NFKC'));
    return m ? { who: m[1], until: m[2], reason: m[3] } : {};
  },
  args: z.object({ who: z.string().min(1), until: z.string().min(1), reason: z.string() }),
  async run(ctx, { who, until, reason }, { approvals }) {
    const target = await resolveTarget(ctx.tx, ctx.directory, ctx.event, who, { anyone: true });
    if (!('person' in target)) throw new BotError('unknown_target', { target: who });
    const endsAt = parseLocal(until.includes(':') ? until : `${until} 23:59`, t('approval.delegate.until'), ctx.timeZone);
    await approvals.delegate(ctx.user, target.person, endsAt, reason);
    await ctx.reply(t('approval.delegate.done', { name: target.person.name, until: until.includes(':') ? until : `${until} 23:59` }));
  },
});

export const endDelegationCommand = defineCommand({
  name: 'approval.delegate.end',
  aliases: ['取消委托'],
  usage: t('approval.delegate.endUsage'),
  args: z.object({}),
  async run(ctx, _args, { approvals }) {
    const n = await approvals.delegations.end(ctx.user);
    await ctx.reply(t(n > 0 ? 'approval.delegate.ended' : 'approval.delegate.none'));
  },
});
