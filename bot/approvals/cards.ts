import { randomUUID } from 'node:crypto';
import { markup, mdJoin, type Markdown } from '../chat/markdown.js';
import type { Card, CardColor, CardField, OutgoingMessage } from '../chat/model.js';
import type { Approval, ApprovalDecision, ApprovalStep } from '../../generated/prisma/client.js';
import type { ApprovalType } from '../org/approvals-schema.js';
import { t } from '../i18n/zh.js';
import type { Directory, Person } from '../org/directory.js';
import { localDateTime } from '../time.js';
import { isParty, itParties } from './duties.js';
import type { FormOpening } from './form.js';
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
/** A request with its steps; read by ApprovalService, also with how many monitoring alerts it silenced (a change). */
export type FullApproval = Approval & { steps: StepWithDecisions[]; _count?: { alerts: number } };

const STATUS = { pending: 'blue', approved: 'green', rejected: 'red', cancelled: 'grey' } as const satisfies Record<string, CardColor>;
const PHASES = ['scheduled', 'noticed', 'awaiting_backup', 'in_progress', 'review_pending', 'closed'] as const;
const known = <T extends string>(values: readonly T[], value: string | null): value is T => (values as readonly string[]).includes(value ?? '');

export function statusText(approval: Approval): string {
  if (approval.type === 'change' && approval.status === 'approved' && approval.phase) {
    return known(PHASES, approval.phase) ? t(`approval.phase.${approval.phase}`) : approval.phase;
  }
  return known(Object.keys(STATUS) as (keyof typeof STATUS)[], approval.status) ? t(`approval.status.${approval.status}`) : approval.status;
}

export const approvers = (step: ApprovalStep): string[] => (Array.isArray(step.approvers) ? (step.approvers as string[]) : []);

const names = (directory: Directory, ids: string[]) => ids.map((id) => directory.person(id)?.name ?? id).join('、');

/** Who decided a step and how: 陈静 同意，黄军 驳回. */
export function decisionsText(step: StepWithDecisions, directory: Directory): string {
  const verb = (x: ApprovalDecision) =>
    t(x.decision === 'reject' ? 'approval.decision.reject' : x.decision === 'done' ? 'approval.decision.done' : 'approval.decision.approve');
  return step.decisions.map((x) => `${directory.person(x.approverId)?.name ?? x.approverId} ${verb(x)}`).join('，');
}

/** One line per step: 1. 科室负责人审批：✅ 陈静 同意（黄军 代）. */
export function progressLines(approval: FullApproval, directory: Directory): Markdown {
  return mdJoin(
    approval.steps.map((step) => {
      const decided = step.decisions.map((d) => {
        const who = directory.person(d.approverId)?.name ?? d.approverId;
        const by = d.actorId !== d.approverId ? t('approval.progress.onBehalf', { name: directory.person(d.actorId)?.name ?? d.actorId }) : '';
        const verb = t(
          d.decision === 'approve'
            ? step.kind === 'approve'
              ? 'approval.decision.approve'
              : 'approval.decision.confirmed'
            : d.decision === 'done'
              ? 'approval.decision.done'
              : 'approval.decision.reject',
        );
        const icon = d.decision === 'reject' ? '❌' : '✅';
        return `${icon} ${who} ${verb}${by}${d.comment ? `：${d.comment}` : ''}`;
      });
      const waiting = approvers(step).filter((id) => !step.decisions.some((d) => d.approverId === id));
      let state: string;
      if (step.status === 'pending') {
        const left = step.rule === 'quorum' ? t('approval.progress.quorum', { n: step.quorum }) : step.rule === 'all' ? t('approval.progress.all') : '';
        const verb = t(step.kind === 'confirm' ? 'approval.progress.verbConfirm' : 'approval.progress.verbApprove');
        const who =
          step.kind === 'execute'
            ? step.claimedById && !isParty(approval, step.claimedById)
              ? t('approval.progress.executing', { name: `${directory.person(step.claimedById)?.name}` })
              : t('approval.progress.toClaim')
            : t('approval.progress.waitingFor', { names: names(directory, waiting), verb, left });
        state = [...decided, `⏳ ${who}`].join('；');
      } else if (step.status === 'waiting') state = t('approval.progress.notStarted');
      else if (step.status === 'skipped') state = t('approval.progress.skipped');
      else state = decided.join('；') || (step.status === 'done' ? t('approval.progress.allDone') : '✅');
      return markup`${step.stage + 1}. **${step.name}**：${state}`;
    }),
  );
}

function baseCard(approval: FullApproval, directory: Directory, timeZone: string): Card {
  const kind = KINDS[approval.type as ApprovalType];
  const form = approval.data as Record<string, string>;
  const requester = directory.person(approval.requesterId);
  const color = STATUS[approval.status as keyof typeof STATUS] ?? STATUS.pending;
  const fields: CardField[] = [
    { label: t('approval.field.status'), value: statusText(approval) },
    { label: t('approval.field.requester'), value: `${requester?.name ?? approval.requesterId}（${directory.departmentName(requester?.department) ?? ''}）` },
    { label: t('approval.field.submitted'), value: localDateTime(approval.createdAt, timeZone) },
    ...kind.fields(form, directory, timeZone),
    // Alerts of its systems that fired inside the window were silenced, not paged: the change shows them.
    ...(approval._count?.alerts ? [{ label: t('change.field.alerts'), value: t('change.alerts.silenced', { n: approval._count.alerts }) }] : []),
  ];
  return {
    title: `${kind.label} ${approval.number} · ${statusText(approval)}`,
    color: approval.type === 'change' && approval.phase === 'in_progress' ? 'orange' : color,
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
  // A party to the request decides no step of it, whoever they stand in for (duties.ts).
  const step =
    approval.status === 'pending' && !isParty(approval, viewer.id)
      ? approval.steps.find(
          (s) =>
            s.status === 'pending' && s.kind !== 'execute' && approvers(s).some((id) => actsFor.includes(id) && !s.decisions.some((d) => d.approverId === id)),
        )
      : undefined;
  if (step) {
    const value = { approval: approval.number, step: step.id };
    const onBehalf = approvers(step).filter((id) => actsFor.includes(id) && id !== viewer.id);
    if (onBehalf.length > 0 && !approvers(step).includes(viewer.id)) card.note = t('approval.card.onBehalf', { names: names(directory, onBehalf) });
    card.form = {
      inputs: [{ name: 'comment', label: t(step.kind === 'confirm' ? 'approval.form.confirmNote' : 'approval.form.comment'), kind: 'textarea' }],
      submits:
        step.kind === 'confirm'
          ? [
              {
                label: t('approval.button.confirm'),
                action: APPROVAL_ACTION.decide,
                value: { ...value, d: 'approve' },
                style: 'primary',
                command: t('approval.command.confirm', { number: approval.number }),
              },
            ]
          : [
              {
                label: t('approval.button.approve'),
                action: APPROVAL_ACTION.decide,
                value: { ...value, d: 'approve' },
                style: 'primary',
                command: t('approval.command.approve', { number: approval.number }),
              },
              {
                label: t('approval.button.reject'),
                action: APPROVAL_ACTION.decide,
                value: { ...value, d: 'reject' },
                style: 'danger',
                command: t('approval.command.reject', { number: approval.number }),
              },
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
    const barred = itParties(approval, directory);
    if (!step.claimedById || isParty(approval, step.claimedById)) {
      card.buttons = [{ label: t('approval.button.claimExecution'), action: APPROVAL_ACTION.claim, value, style: 'primary' }];
      if (barred.length > 0) card.note = t('approval.duties.executeNote', { names: barred.map((p) => p.name).join('、') });
    } else {
      card.note = t('approval.progress.executing', { name: directory.callName(directory.person(step.claimedById)!) });
      card.form = {
        inputs: [{ name: 'comment', label: t('approval.form.executionNote'), kind: 'textarea' }],
        submits: [{ label: t('approval.button.done'), action: APPROVAL_ACTION.done, value, style: 'primary' }],
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
      card.note = t('change.note.awaitingBackup');
      card.buttons = [{ label: t('change.button.backup'), action: APPROVAL_ACTION.backup, value, style: 'primary' }];
    } else if (approval.phase === 'in_progress') {
      card.note = t('change.note.inProgress');
      card.form = {
        inputs: [{ name: 'comment', label: t('change.form.verification'), kind: 'textarea', required: true }],
        submits: [
          { label: t('change.button.verified'), action: APPROVAL_ACTION.verify, value: { ...value, ok: 1 }, style: 'primary' },
          { label: t('change.button.rolledBack'), action: APPROVAL_ACTION.verify, value: { ...value, ok: 0 }, style: 'danger' },
        ],
      };
    } else if (approval.phase === 'review_pending') {
      card.note = approval.reviewDueAt ? t('change.note.review', { due: localDateTime(approval.reviewDueAt, timeZone) }) : undefined;
      card.form = {
        inputs: [{ name: 'comment', label: t('change.form.review'), kind: 'textarea', required: true }],
        submits: [{ label: t('change.button.review'), action: APPROVAL_ACTION.review, value, style: 'primary' }],
      };
    }
  }
  return { type: 'card', card };
}

/** The form a request starts from; `opening`: what it is about, shown, and the values the form carries (`申请 报废 PC-0231`). */
export function formCard(type: ApprovalType, directory: Directory, requester: Person, about?: Person, opening?: FormOpening): OutgoingMessage {
  const kind = KINDS[type];
  // Each form carries its own id: submitting it twice is a duplicate, a new form is a new request.
  const value = { ...opening?.preset, type, form: randomUUID().slice(0, 8) };
  return {
    type: 'card',
    card: {
      title: t('approval.formCard.title', { kind: kind.label }),
      color: 'blue',
      fields: opening?.fields ?? [],
      note: t('approval.formCard.note'),
      buttons: [],
      form: {
        inputs: kind.inputs(directory, requester, about, opening?.preset),
        submits: [{ label: t('approval.button.submit'), action: APPROVAL_ACTION.submit, value, style: 'primary' }],
      },
    },
  };
}
