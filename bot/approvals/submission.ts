import type { Approval } from '../../generated/prisma/client.js';
import type { TxDeps } from '../deps.js';
import { t } from '../i18n/zh.js';
import type { ApprovalType } from '../org/approvals-schema.js';
import type { Person } from '../org/directory.js';
import type { ChatTarget } from '../outbox/outbox.js';
import { nextNumber } from '../tickets/number.js';
import { APPROVAL } from './cards.js';
import { parseLocal, requireMayRequest } from './form.js';
import { KINDS } from './kinds.js';
import { resolveChain } from './routing.js';

/**
 * A new request, as its kind and the organisation file shape it: the form checked, and checked
 * against the database where its kind says (a refusal is a BotError), the approval chain resolved for this requester, a change's window read in local time;
 * then numbered and recorded with all its steps waiting, and audited. Opening the first stage is the
 * approval engine's.
 */
export async function recordRequest(d: TxDeps, type: ApprovalType, requester: Person, raw: Record<string, unknown>, source: ChatTarget): Promise<Approval> {
  const { tx, directory, clock, calendar } = d;
  const kind = KINDS[type];
  requireMayRequest(kind, requester, directory);
  const now = clock.now();
  const parsed = kind.parse(raw, { directory, calendar, now, requester });
  const form = kind.against ? await kind.against(parsed, { directory, calendar, now, requester, tx }) : parsed;
  const subjectId = kind.subject?.(form);
  const steps = resolveChain(kind.chain(form, directory), { directory, requester, subjectId, form });
  const change =
    type === 'change'
      ? {
          implementerId: form.implementer,
          windowStart: parseLocal(form.start!, t('approvalForm.change.start'), d.timeZone),
          windowEnd: parseLocal(form.end!, t('approvalForm.change.end'), d.timeZone),
        }
      : {};
  const created = await tx.approval.create({
    data: {
      number: await nextNumber(tx, d.timeZone, 'SQ', now),
      type,
      status: 'pending',
      requesterId: requester.id,
      subjectId: subjectId ?? null,
      title: kind.title(form, directory),
      data: form,
      sourcePlatform: source.platform,
      sourceChatId: source.chatId,
      createdAt: now,
      ...change,
      steps: {
        create: steps.map((s) => ({ stage: s.stage, name: s.name, kind: s.kind, rule: s.rule, quorum: s.quorum, approvers: s.approvers, status: 'waiting' })),
      },
    },
  });
  await d.audit.record({
    actorId: requester.id,
    action: 'approval.submit',
    entityType: APPROVAL,
    entityId: created.number,
    after: { type, title: created.title, steps: steps.map((s) => s.name) },
  });
  return created;
}
