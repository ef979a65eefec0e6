import { z } from 'zod';
import { APPROVAL_ACTION, statusText } from '../bot/approvals/cards.js';
import { KIND_WORDS, KINDS, parseLocal } from '../bot/approvals/kinds.js';
import { defineAction, defineCommand } from '../bot/commands.js';
import type { Context } from '../bot/context.js';
import { BotError } from '../bot/errors.js';
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
  .filter(([, type], i, all) => all.findIndex(([, t]) => t === type) === i)
  .map(([word, type]) => `${word}（${KINDS[type].label}）`)
  .join('、');

/** `申请 权限` (销户 / 变更 / 数据导出 / 领用 / 离岗 / 换班): the form to fill in. */
export const applyCommand = defineCommand({
  name: 'approval.apply',
  aliases: ['申请', '/apply'],
  usage: `申请 权限（可申请：${typeList}）`,
  parse: (rest) => ({ type: KIND_WORDS[rest.trim()] ?? rest.trim() }),
  args: z.object({ type: z.enum(APPROVAL_TYPES) }),
  async run(ctx, { type }, { approvals }) {
    await approvals.openForm(type, ctx.user, here(ctx));
  },
});

/** 提交申请 on a form card. */
export const submitAction = defineAction({
  name: APPROVAL_ACTION.submit,
  value: z.object({ type: z.enum(APPROVAL_TYPES), form: z.string().max(40).optional() }),
  async run(ctx, { type }, { approvals }) {
    const approval = await approvals.submit(type, ctx.user, ctx.event.action?.form ?? {}, here(ctx));
    const first = approval.steps.filter((s) => s.status === 'pending').map((s) => s.name).join('、');
    ctx.toast(`已提交 ${approval.number}，等待「${first}」`);
  },
});

/** 同意 / 驳回 / 确认办结 on an approver's card. */
export const decideAction = defineAction({
  name: APPROVAL_ACTION.decide,
  value: StepValue.extend({ d: z.enum(['approve', 'reject']) }),
  async run(ctx, { approval, step, d }, { approvals }) {
    const result = await approvals.decide(approval, step, ctx.user, d, comment(ctx));
    ctx.toast(d === 'approve' ? `已同意，${result.number} 当前：${statusText(result)}` : `已驳回 ${result.number}`);
  },
});

/** `审批 SQ-… 同意 意见` / `审批 SQ-… 驳回 原因`: the card's decision, typed. */
export const decideCommand = defineCommand({
  name: 'approval.decide.command',
  aliases: ['审批', '/approve'],
  usage: '审批 SQ-20261123-001 同意 意见（或：驳回 原因）',
  parse: (rest) => {
    const [approval = '', verdict = '', ...words] = rest.trim().split(/\s+/);
    return { approval, verdict, comment: words.join(' ') };
  },
  args: z.object({ approval: ApprovalNumber, verdict: z.enum(['同意', '驳回', '确认']), comment: z.string() }),
  async run(ctx, { approval, verdict, comment }, { approvals }) {
    const found = await approvals.get(approval);
    const actsFor = await approvals.actsFor(ctx.user.id);
    // The step this person decides: the open one, else the next one waiting for them, else the open one (to say who decides it).
    const mine = found.steps.filter((s) => s.kind !== 'execute' && (s.approvers as string[]).some((id) => actsFor.includes(id)));
    const step =
      mine.find((s) => s.status === 'pending') ??
      mine.find((s) => s.status === 'waiting') ??
      found.steps.find((s) => s.status === 'pending' && s.kind !== 'execute') ??
      mine.at(-1) ??
      found.steps.at(-1)!;
    const result = await approvals.decide(approval, step.id, ctx.user, verdict === '驳回' ? 'reject' : 'approve', comment);
    await ctx.reply(verdict === '驳回' ? `已驳回 ${result.number}` : `已同意，${result.number} 当前：${statusText(result)}`);
  },
});

export const claimExecutionAction = defineAction({
  name: APPROVAL_ACTION.claim,
  value: StepValue,
  async run(ctx, { approval, step }, { approvals }) {
    await approvals.claimExecution(approval, step, ctx.user);
    ctx.toast(`已认领执行 ${approval}`);
  },
});

export const doneExecutionAction = defineAction({
  name: APPROVAL_ACTION.done,
  value: StepValue,
  async run(ctx, { approval, step }, { approvals }) {
    const result = await approvals.completeExecution(approval, step, ctx.user, comment(ctx));
    ctx.toast(`已完成，${result.number} 当前：${statusText(result)}`);
  },
});

const ChangeValue = z.object({ approval: ApprovalNumber });

export const backupAction = defineAction({
  name: APPROVAL_ACTION.backup,
  value: ChangeValue,
  async run(ctx, { approval }, { changes }) {
    await changes.backupDone(approval, ctx.user);
    ctx.toast(`${approval} 已确认备份，变更实施中`);
  },
});

export const verifyAction = defineAction({
  name: APPROVAL_ACTION.verify,
  value: ChangeValue.extend({ ok: z.coerce.number().int().min(0).max(1) }),
  async run(ctx, { approval, ok }, { changes }) {
    await changes.verified(approval, ctx.user, ok === 1, comment(ctx));
    ctx.toast(ok === 1 ? `${approval} 验证通过，已通知影响科室` : `${approval} 已登记回退，已通知影响科室`);
  },
});

export const reviewAction = defineAction({
  name: APPROVAL_ACTION.review,
  value: ChangeValue,
  async run(ctx, { approval }, { changes }) {
    await changes.reviewed(approval, ctx.user, comment(ctx));
    ctx.toast(`${approval} 变更后评审已归档`);
  },
});

/** `我的申请`: my requests and where each one stands. */
export const myApprovals = defineCommand({
  name: 'approval.mine',
  aliases: ['我的申请', '/requests'],
  usage: '我的申请',
  args: z.object({}),
  async run(ctx, _args, { approvals }) {
    const mine = await approvals.mine(ctx.user);
    if (mine.length === 0) return ctx.reply('您最近没有申请。发送「申请 权限」等开始一个申请。');
    const lines = mine.map((a) => {
      const current = a.steps.filter((s) => s.status === 'pending').map((s) => s.name).join('、');
      return `${a.number}｜${KINDS[a.type as keyof typeof KINDS].label}｜${statusText(a)}${current ? `（当前：${current}）` : ''}｜${a.title}`;
    });
    await ctx.reply({ type: 'card', card: { title: `我的申请（${mine.length}）`, color: 'blue', fields: [], text: lines.join('\n'), buttons: [] } });
  },
});

/** `委托 @王伟 2026-11-30 18:00 休假`: someone decides for me until then. `取消委托` ends it. */
export const delegateCommand = defineCommand({
  name: 'approval.delegate',
  aliases: ['委托', '/delegate'],
  usage: '委托 @某人 2026-11-30 18:00 原因',
  parse: (rest) => {
    const m = /^(\S+)\s+(\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2})?)\s*(.*)$/.exec(rest.trim().normalize('NFKC'));
    return m ? { who: m[1], until: m[2], reason: m[3] } : {};
  },
  args: z.object({ who: z.string().min(1), until: z.string().min(1), reason: z.string() }),
  async run(ctx, { who, until, reason }, { approvals }) {
    const target = await resolveTarget(ctx.tx, ctx.directory, ctx.event, who, { anyone: true });
    if (!('person' in target)) throw new BotError('unknown_target', { target: who });
    const endsAt = parseLocal(until.includes(':') ? until : `${until} 23:59`, '委托截止时间', ctx.timeZone);
    await approvals.delegate(ctx.user, target.person, endsAt, reason);
    await ctx.reply(`已委托 ${target.person.name} 代为审批，至 ${until}${until.includes(':') ? '' : ' 23:59'}。`);
  },
});

export const endDelegationCommand = defineCommand({
  name: 'approval.delegate.end',
  aliases: ['取消委托'],
  usage: '取消委托',
  args: z.object({}),
  async run(ctx, _args, { approvals }) {
    const n = await approvals.endDelegations(ctx.user);
    await ctx.reply(n > 0 ? '已取消委托，审批回到您本人。' : '您当前没有生效的委托。');
  },
});
