import { randomUUID } from 'node:crypto';
import type { Card, CardColor, CardField, OutgoingMessage } from '../chat/model.js';
import type { Approval, ApprovalDecision, ApprovalStep } from '../../generated/prisma/client.js';
import type { ApprovalType } from '../org/approvals-schema.js';
import type { Directory, Person } from '../org/directory.js';
import { localDateTime } from '../time.js';
import { KINDS } from './kinds.js';

export const APPROVAL = 'approval';
export const APPROVAL_ACTION = {
  submit: 'approval.submit',
  decide: 'approval.decide',
  claim: 'approval.claim',
  done: 'approval.done',
  backup: 'change.backup',
  verify: 'change.verify',
  review: 'change.review',
} as const;

export type StepWithDecisions = ApprovalStep & { decisions: ApprovalDecision[] };
export type FullApproval = Approval & { steps: StepWithDecisions[] };

const STATUS: Record<string, { text: string; color: CardColor }> = {
  pending: { text: '审批中', color: 'blue' },
  approved: { text: '已通过', color: 'green' },
  rejected: { text: '已驳回', color: 'red' },
  cancelled: { text: '已撤回', color: 'grey' },
};

const PHASE: Record<string, string> = {
  scheduled: '已排期',
  noticed: '已通知，待实施',
  awaiting_backup: '待确认备份',
  in_progress: '实施中',
  review_pending: '已实施，待变更后评审',
  closed: '已完成评审，归档',
};

export function statusText(approval: Approval): string {
  if (approval.type === 'change' && approval.status === 'approved' && approval.phase) return PHASE[approval.phase] ?? approval.phase;
  return STATUS[approval.status]?.text ?? approval.status;
}

export const approvers = (step: ApprovalStep): string[] => (Array.isArray(step.approvers) ? (step.approvers as string[]) : []);

const names = (directory: Directory, ids: string[]) => ids.map((id) => directory.person(id)?.name ?? id).join('、');

/** One line per step: 1. 科室负责人审批：✅ 陈静 同意（黄军 代）. */
export function progressLines(approval: FullApproval, directory: Directory): string {
  return approval.steps
    .map((step) => {
      const decided = step.decisions.map((d) => {
        const who = directory.person(d.approverId)?.name ?? d.approverId;
        const by = d.actorId !== d.approverId ? `（${directory.person(d.actorId)?.name ?? d.actorId} 代）` : '';
        const verb = d.decision === 'approve' ? (step.kind === 'approve' ? '同意' : '已确认') : d.decision === 'done' ? '已完成' : '驳回';
        const icon = d.decision === 'reject' ? '❌' : '✅';
        return `${icon} ${who} ${verb}${by}${d.comment ? `：${d.comment}` : ''}`;
      });
      const waiting = approvers(step).filter((id) => !step.decisions.some((d) => d.approverId === id));
      let state: string;
      if (step.status === 'pending') {
        const left = step.rule === 'quorum' ? `（需 ${step.quorum} 人同意）` : step.rule === 'all' ? '（需全部同意）' : '';
        const who = step.kind === 'execute' ? (step.claimedById ? `${directory.person(step.claimedById)?.name} 执行中` : '待信息科认领执行') : `待 ${names(directory, waiting)} ${step.kind === 'confirm' ? '确认' : '审批'}${left}`;
        state = [...decided, `⏳ ${who}`].join('；');
      } else if (step.status === 'waiting') state = '⏸ 未开始';
      else if (step.status === 'skipped') state = '— 未进行';
      else state = decided.join('；') || (step.status === 'done' ? '✅ 已完成' : '✅');
      return `${step.stage + 1}. **${step.name}**：${state}`;
    })
    .join('\n');
}

function baseCard(approval: FullApproval, directory: Directory, timeZone: string): Card {
  const kind = KINDS[approval.type as ApprovalType];
  const form = approval.data as Record<string, string>;
  const requester = directory.person(approval.requesterId);
  const status = STATUS[approval.status] ?? STATUS.pending!;
  const fields: CardField[] = [
    { label: '状态', value: statusText(approval) },
    { label: '申请人', value: `${requester?.name ?? approval.requesterId}（${directory.departmentName(requester?.department) ?? ''}）` },
    { label: '提交时间', value: localDateTime(approval.createdAt, timeZone) },
    ...kind.fields(form, directory, timeZone),
  ];
  return {
    title: `${kind.label} ${approval.number} · ${statusText(approval)}`,
    color: approval.type === 'change' && approval.phase === 'in_progress' ? 'orange' : status.color,
    fields,
    text: kind.title(form, directory),
    markdown: progressLines(approval, directory),
    buttons: [],
  };
}

/** The requester's view: status and progress, updated as each step is decided. */
export function requestCard(approval: FullApproval, directory: Directory, timeZone: string): OutgoingMessage {
  return { type: 'card', card: baseCard(approval, directory, timeZone) };
}

/**
 * An approver's card (sent to them directly): the request, and while their step is pending and
 * they have not decided, a comment box with 同意 / 驳回 (确认办结 for a confirmation step).
 * `actsFor` lists whom the viewer may decide for (themselves, and people who delegated to them).
 */
export function approverCard(approval: FullApproval, viewer: Person, actsFor: string[], directory: Directory, timeZone: string): OutgoingMessage {
  const card = baseCard(approval, directory, timeZone);
  const step = approval.status === 'pending'
    ? approval.steps.find((s) => s.status === 'pending' && s.kind !== 'execute' && approvers(s).some((id) => actsFor.includes(id) && !s.decisions.some((d) => d.approverId === id)))
    : undefined;
  if (step) {
    const value = { approval: approval.number, step: step.id };
    const onBehalf = approvers(step).filter((id) => actsFor.includes(id) && id !== viewer.id);
    if (onBehalf.length > 0 && !approvers(step).includes(viewer.id)) card.note = `您受 ${names(directory, onBehalf)} 委托审批`;
    card.form = {
      inputs: [{ name: 'comment', label: step.kind === 'confirm' ? '备注（可选）' : '审批意见（驳回时请写明原因）', kind: 'textarea' }],
      submits:
        step.kind === 'confirm'
          ? [{ label: '确认办结', action: APPROVAL_ACTION.decide, value: { ...value, d: 'approve' }, style: 'primary', command: `审批 ${approval.number} 确认` }]
          : [
              { label: '同意', action: APPROVAL_ACTION.decide, value: { ...value, d: 'approve' }, style: 'primary', command: `审批 ${approval.number} 同意` },
              { label: '驳回', action: APPROVAL_ACTION.decide, value: { ...value, d: 'reject' }, style: 'danger', command: `审批 ${approval.number} 驳回 原因` },
            ],
    };
  }
  return { type: 'card', card };
}

/** The engineers' card of an execute step: 认领执行, then 已完成 with a note. */
export function executeCard(approval: FullApproval, directory: Directory, timeZone: string): OutgoingMessage {
  const card = baseCard(approval, directory, timeZone);
  const step = approval.steps.find((s) => s.kind === 'execute' && s.status === 'pending');
  if (step && approval.status === 'pending') {
    const value = { approval: approval.number, step: step.id };
    if (!step.claimedById) card.buttons = [{ label: '认领执行', action: APPROVAL_ACTION.claim, value, style: 'primary' }];
    else {
      card.note = `${directory.callName(directory.person(step.claimedById)!)} 执行中`;
      card.form = {
        inputs: [{ name: 'comment', label: '执行说明（如：已开通，初始密码已告知）', kind: 'textarea' }],
        submits: [{ label: '已完成', action: APPROVAL_ACTION.done, value, style: 'primary' }],
      };
    }
  }
  return { type: 'card', card };
}

/** The engineers' card of an approved change: backup confirmation, verification, review. */
export function changeCard(approval: FullApproval, directory: Directory, timeZone: string): OutgoingMessage {
  const card = baseCard(approval, directory, timeZone);
  const value = { approval: approval.number };
  if (approval.status === 'approved') {
    if (approval.phase === 'awaiting_backup') {
      card.note = '变更窗口已开始：实施人确认已完成数据与配置备份后方可开始实施。';
      card.buttons = [{ label: '备份已完成', action: APPROVAL_ACTION.backup, value, style: 'primary' }];
    } else if (approval.phase === 'in_progress') {
      card.note = '实施完成后请立即验证，并请影响科室测试。';
      card.form = {
        inputs: [{ name: 'comment', label: '验证结果', kind: 'textarea', required: true }],
        submits: [
          { label: '验证通过', action: APPROVAL_ACTION.verify, value: { ...value, ok: 1 }, style: 'primary' },
          { label: '验证失败，已回退', action: APPROVAL_ACTION.verify, value: { ...value, ok: 0 }, style: 'danger' },
        ],
      };
    } else if (approval.phase === 'review_pending') {
      card.note = approval.reviewDueAt ? `请在 ${localDateTime(approval.reviewDueAt, timeZone)} 前完成变更后评审并归档。` : undefined;
      card.form = {
        inputs: [{ name: 'comment', label: '评审结论与归档说明', kind: 'textarea', required: true }],
        submits: [{ label: '提交评审', action: APPROVAL_ACTION.review, value, style: 'primary' }],
      };
    }
  }
  return { type: 'card', card };
}

/** The form a request starts from. */
export function formCard(type: ApprovalType, directory: Directory, requester: Person): OutgoingMessage {
  const kind = KINDS[type];
  return {
    type: 'card',
    card: {
      title: `填写${kind.label}`,
      color: 'blue',
      fields: [],
      note: '提交后按医院审批流程逐级审批，每一步都会通知您。',
      buttons: [],
      // Each form carries its own id: submitting it twice is a duplicate, a new form is a new request.
      form: {
        inputs: kind.inputs(directory, requester),
        submits: [{ label: '提交申请', action: APPROVAL_ACTION.submit, value: { type, form: randomUUID().slice(0, 8) }, style: 'primary' }],
      },
    },
  };
}
