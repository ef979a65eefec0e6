import type { Card, CardColor, OutgoingMessage } from '../../adapters/types.js';
import type { Ticket } from '../../generated/prisma/client.js';
import { t } from '../i18n/zh.js';
import type { Directory } from '../org/directory.js';
import type { Priority } from '../org/schema.js';
import { localDateTime } from '../time.js';
import { RESPONSE_LIMIT } from './deadline.js';

export type TicketCardKind = 'intake' | 'dispatch';

export const CLAIM_ACTION = 'ticket.claim';

const PRIORITY_COLOR: Record<Priority, CardColor> = { P1: 'red', P2: 'orange', P3: 'yellow', P4: 'blue' };

export function priorityName(priority: string): string {
  return t(`priority.${priority as Priority}`);
}

export function responseWithin(priority: Priority): string {
  const limit = RESPONSE_LIMIT[priority];
  if (!('minutes' in limit)) return t('duration.workday');
  return limit.minutes % 60 === 0
    ? t('duration.hours', { n: limit.minutes / 60 })
    : t('duration.minutes', { n: limit.minutes });
}

/** Minutes from report to claim, rounded as users read them ("2 分钟响应"); never less than one. */
export function responseMinutes(ticket: Pick<Ticket, 'createdAt' | 'claimedAt'>): number {
  if (!ticket.claimedAt) return 0;
  return Math.max(1, Math.round((ticket.claimedAt.getTime() - ticket.createdAt.getTime()) / 60_000));
}

export function statusText(status: string): string {
  switch (status) {
    case 'open':
      return t('ticket.status.open');
    case 'claimed':
      return t('ticket.status.claimed');
    case 'resolved':
      return t('ticket.status.resolved');
    default:
      return t('ticket.status.closed');
  }
}

/**
 * The ticket as a neutral card: `intake` is the answer in the reporter's group, `dispatch` the card
 * in the engineers' group that carries the 认领 button while the ticket is open.
 */
export function ticketCard(ticket: Ticket, kind: TicketCardKind, directory: Directory, timeZone: string): OutgoingMessage {
  const priority = ticket.priority as Priority;
  const reporter = directory.person(ticket.reporterId);
  const assignee = ticket.assigneeId ? directory.person(ticket.assigneeId) : undefined;
  const department = directory.departmentName(ticket.departmentId);
  const group = directory.itGroupName(ticket.itGroupId);
  const titleKey = kind === 'dispatch' ? 'ticket.dispatch.title' : 'ticket.card.title';

  const fields = [
    { label: t('ticket.field.status'), value: statusText(ticket.status) },
    {
      label: t('ticket.field.priority'),
      value: t('ticket.priority.deadline', {
        priority,
        priorityName: priorityName(priority),
        within: responseWithin(priority),
        due: localDateTime(ticket.responseDueAt, timeZone),
      }),
    },
    {
      label: t('ticket.field.reporter'),
      value: [reporter?.name ?? ticket.reporterId, department && `（${department}）`].filter(Boolean).join(''),
    },
    ticket.location ? { label: t('ticket.field.location'), value: ticket.location } : undefined,
    ticket.assetNumber ? { label: t('ticket.field.asset'), value: ticket.assetNumber } : undefined,
    ticket.phone ? { label: t('ticket.field.phone'), value: ticket.phone } : undefined,
    ticket.system ? { label: t('ticket.field.system'), value: ticket.system } : undefined,
    group ? { label: t('ticket.field.group'), value: group } : undefined,
    assignee ? { label: t('ticket.field.assignee'), value: directory.callName(assignee) } : undefined,
  ].filter((f): f is { label: string; value: string } => f !== undefined);

  const claimed = assignee
    ? t('ticket.note.claimed', { engineer: directory.callName(assignee), minutes: responseMinutes(ticket) })
    : undefined;
  const card: Card = {
    title: t(titleKey, { number: ticket.number, priority, priorityName: priorityName(priority) }),
    color: ticket.status === 'resolved' || ticket.status === 'closed' ? 'green' : PRIORITY_COLOR[priority],
    fields,
    text: ticket.description,
    note: claimed ?? (kind === 'intake' ? t('ticket.note.created', { group: group ?? '信息科' }) : undefined),
    buttons:
      kind === 'dispatch' && ticket.status === 'open'
        ? [{ label: t('ticket.button.claim'), action: CLAIM_ACTION, value: { ticket: ticket.number, v: ticket.version }, style: 'primary' }]
        : [],
  };
  return { type: 'card', card };
}
