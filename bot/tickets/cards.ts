import type { Card, CardButton, CardColor, CardField, CardForm, CardInput, OutgoingMessage } from '../chat/model.js';
import type { Ticket } from '../../generated/prisma/client.js';
import { elapsedText, t, tmd } from '../i18n/zh.js';
import type { Directory } from '../org/directory.js';
import type { Duration, Priority } from '../org/schema.js';
import { PRIORITIES } from '../org/schema.js';
import { localDateTime } from '../time.js';
import { assetFields } from './cards-asset.js';
import { describeDuration } from './deadline.js';
import { yuanText } from './repair-cost.js';
import type { AssetOnTicket } from './rows.js';
import { CLOSE_REASONS, notServed, priorityName, statusText } from './status.js';

/**
 * Where a ticket card was posted, which decides how it renders:
 * `intake` the reporter's group, `dispatch` the engineers' group (claim button, then the work form),
 * `escalation` a deadline reminder in the engineers' group, `confirm` the reporter's confirmation.
 */
export type TicketCardKind = 'intake' | 'dispatch' | 'escalation' | 'confirm';

export const ACTION = {
  claim: 'ticket.claim',
  resolve: 'ticket.resolve',
  note: 'ticket.note',
  transfer: 'ticket.transfer',
  priority: 'ticket.priority',
  confirm: 'ticket.confirm',
  selfSolved: 'ticket.selfsolved',
  close: 'ticket.close',
} as const;

const PRIORITY_COLOR: Record<Priority, CardColor> = { P1: 'red', P2: 'orange', P3: 'yellow', P4: 'blue' };

/** What a card needs besides the ticket row. */
export interface TicketCardContext {
  directory: Directory;
  timeZone: string;
  respondWithin: Duration;
  attachments?: number;
  /** The incident the ticket belongs to, while it belongs to one. */
  incident?: TicketIncident;
  knowledge?: { title: string; steps: string };
  /** The asset the ticket names, as the asset register has it (looked up when the ticket names one). */
  asset?: AssetOnTicket;
  escalation?: { what: 'response' | 'resolution'; minutes: number; level: number; target: string };
}

export interface TicketIncident {
  number: string;
  priority: string;
  status: string;
  responseDueAt: Date | null;
}

export const stars = (n: number) => '★'.repeat(n) + '☆'.repeat(5 - n);

/** Minutes from report to claim, rounded as users read them ("2 分钟响应"); never less than one. */
export function responseMinutes(ticket: Pick<Ticket, 'createdAt' | 'claimedAt'>): number {
  if (!ticket.claimedAt) return 0;
  return Math.max(1, Math.round((ticket.claimedAt.getTime() - ticket.createdAt.getTime()) / 60_000));
}

/** The incident as a ticket card shows it: number, priority, and its response deadline until it is resolved. */
function incidentText(incident: TicketIncident, timeZone: string): string {
  const priority = incident.priority as Priority;
  const params = { number: incident.number, priority, priorityName: priorityName(priority) };
  if (incident.status === 'resolved') return t('ticket.incident.resolved', params);
  if (!incident.responseDueAt) return t('ticket.incident.value', params);
  return t('ticket.incident.due', { ...params, due: localDateTime(incident.responseDueAt, timeZone) });
}

/** The card's fields; the engineers' cards show more of the asset (its warranty, vendor, repairs). */
function fieldsOf(ticket: Ticket, c: TicketCardContext, engineers: boolean): CardField[] {
  const { directory } = c;
  const priority = ticket.priority as Priority;
  const reporter = directory.person(ticket.reporterId);
  const assignee = ticket.assigneeId ? directory.person(ticket.assigneeId) : undefined;
  const department = directory.departmentName(ticket.departmentId);
  const group = directory.itGroupName(ticket.itGroupId);
  const fields: (CardField | false | undefined)[] = [
    { label: t('ticket.field.status'), value: statusText(ticket) },
    {
      label: t('ticket.field.priority'),
      value: t('ticket.priority.deadline', {
        priority,
        priorityName: priorityName(priority),
        within: describeDuration(c.respondWithin),
        due: localDateTime(ticket.responseDueAt, c.timeZone),
      }),
    },
    { label: t('ticket.field.reporter'), value: `${reporter?.name ?? ticket.reporterId}${department ? `（${department}）` : ''}` },
    !!ticket.location && { label: t('ticket.field.location'), value: ticket.location },
    !!ticket.assetNumber && { label: t('ticket.field.asset'), value: ticket.assetNumber },
    ...(ticket.assetNumber && c.asset ? assetFields(ticket, c.asset, engineers, c.timeZone) : []),
    !!ticket.phone && { label: t('ticket.field.phone'), value: ticket.phone },
    !!ticket.system && { label: t('ticket.field.system'), value: ticket.system },
    !!group && { label: t('ticket.field.group'), value: group },
    !!assignee && { label: t('ticket.field.assignee'), value: directory.callName(assignee) },
    !!c.attachments && { label: t('ticket.field.attachments'), value: t('ticket.attachments.count', { n: c.attachments }) },
    !!c.incident && { label: t('ticket.field.incident'), value: incidentText(c.incident, c.timeZone) },
    !!ticket.solution && { label: t('ticket.field.solution'), value: ticket.solution },
    ticket.repairCostFen !== null && { label: t('repair.card.cost'), value: costText(ticket, directory) },
    ticket.rating !== null && { label: t('ticket.field.rating'), value: `${stars(ticket.rating)}${ticket.ratingComment ? ` ${ticket.ratingComment}` : ''}` },
  ];
  return fields.filter((f): f is CardField => !!f);
}

/** A repair's cost as the cards show it, with the department it is charged to. */
function costText(ticket: Ticket, directory: Directory): string {
  const cost = yuanText(ticket.repairCostFen ?? 0);
  const department = directory.departmentName(ticket.chargedDepartmentId);
  return department ? t('repair.card.costCharged', { cost, department }) : t('repair.card.costValue', { cost });
}

function noteOf(ticket: Ticket, kind: TicketCardKind, c: TicketCardContext): string | undefined {
  const { directory } = c;
  const assignee = ticket.assigneeId ? directory.person(ticket.assigneeId) : undefined;
  const engineer = assignee ? directory.callName(assignee) : '';
  if (c.incident && ticket.status !== 'closed' && ticket.status !== 'resolved') return t('ticket.note.incident', { incident: c.incident.number });
  if (ticket.status === 'closed' && ticket.closeReason === 'cancelled') return t('ticket.note.cancelled');
  if (ticket.status === 'closed') return ticket.rating !== null ? t('ticket.note.rated', { stars: stars(ticket.rating) }) : undefined;
  if (ticket.status === 'resolved') return t('ticket.note.resolved', { engineer });
  if (
    kind === 'escalation' &&
    c.escalation &&
    ticket.status === (c.escalation.what === 'response' ? 'open' : 'claimed') &&
    ticket.escalationLevel === c.escalation.level
  ) {
    const { minutes, level, target } = c.escalation;
    const late = elapsedText(minutes);
    return target ? t('ticket.escalation.note', { late, level, target }) : t('ticket.escalation.noteNobody', { late, level });
  }
  if (assignee) return t('ticket.note.claimed', { engineer, minutes: responseMinutes(ticket) });
  const group = directory.itGroupName(ticket.itGroupId);
  return kind === 'intake' ? t('ticket.note.created', { group: group ?? t('common.itDepartment') }) : undefined;
}

/** The choice of why a ticket is closed without a fix; the duplicate's number is written in the text (重复 IT-…). */
function closeReasonInput(): CardInput {
  return {
    name: 'closeReason',
    label: t('ticket.form.closeReason'),
    kind: 'select',
    options: CLOSE_REASONS.map((r) => ({ label: t(`ticket.closeReason.${r}`), value: r })),
  };
}

function closeButton(ticket: Ticket): CardButton {
  return {
    label: t('ticket.button.close'),
    action: ACTION.close,
    value: { ticket: ticket.number, v: ticket.version },
    style: 'danger',
    command: t('ticket.command.close', { number: ticket.number }),
  };
}

/** Beside 认领 on an open ticket: close it as a false alarm, a duplicate or needing nothing. */
function closeForm(ticket: Ticket): CardForm {
  return {
    inputs: [closeReasonInput(), { name: 'text', label: t('ticket.form.closeText'), kind: 'input' }],
    submits: [closeButton(ticket)],
  };
}

/** The form engineers work a claimed ticket with: one text, spare parts, the repair's cost, a target, a priority, a reason to close. */
function workForm(ticket: Ticket, directory: Directory): CardForm {
  const value = { ticket: ticket.number, v: ticket.version };
  const targets = [
    ...directory.org.itGroups.map((g) => ({ label: g.name, value: `group:${g.id}` })),
    ...directory
      .allPeople()
      .filter((p) => directory.isItStaff(p))
      .map((p) => ({ label: `${p.name}（${directory.itGroupName(p.itGroup) ?? t('common.itDepartment')}）`, value: `person:${p.id}` })),
  ];
  const button = (label: string, action: string, command: string, style?: CardButton['style']): CardButton => ({ label, action, value, style, command });
  const n = ticket.number;
  return {
    inputs: [
      { name: 'text', label: t('ticket.form.text'), kind: 'textarea' },
      { name: 'parts', label: t('ticket.form.parts'), kind: 'input' },
      { name: 'cost', label: t('repair.form.cost'), kind: 'input', placeholder: t('repair.form.costPlaceholder') },
      { name: 'target', label: t('ticket.form.target'), kind: 'select', options: targets },
      { name: 'priority', label: t('ticket.form.priority'), kind: 'select', options: PRIORITIES.map((p) => ({ label: `${p} ${priorityName(p)}`, value: p })) },
      closeReasonInput(),
    ],
    submits: [
      button(t('ticket.button.resolve'), ACTION.resolve, t('ticket.command.resolve', { number: n }), 'primary'),
      button(t('ticket.button.note'), ACTION.note, t('ticket.command.note', { number: n })),
      button(t('ticket.button.transfer'), ACTION.transfer, t('ticket.command.transfer', { number: n })),
      button(t('ticket.button.priority'), ACTION.priority, t('ticket.command.priority', { number: n })),
      closeButton(ticket),
    ],
  };
}

/**
 * The reporter's confirmation: a rating, a comment, and 已解决 / 未解决 (`solved` 1 or 0 added to
 * `value`); a ticket's card and an outage's card in a chat ask it the same way.
 */
export function confirmationForm(action: string, value: Record<string, string | number>, number: string): CardForm {
  return {
    inputs: [
      {
        name: 'rating',
        label: t('ticket.form.rating'),
        kind: 'select',
        options: [5, 4, 3, 2, 1].map((n) => ({ label: t('ticket.rating.option', { stars: stars(n), n }), value: String(n) })),
      },
      { name: 'comment', label: t('ticket.form.comment'), kind: 'input' },
    ],
    submits: [
      {
        label: t('ticket.button.solved'),
        action,
        value: { ...value, solved: 1 },
        style: 'primary',
        command: t('ticket.command.solved', { number }),
      },
      {
        label: t('ticket.button.unsolved'),
        action,
        value: { ...value, solved: 0 },
        style: 'danger',
        command: t('ticket.command.unsolved', { number }),
      },
    ],
  };
}

/** The ticket as a neutral card, for the place it was posted. */
export function ticketCard(ticket: Ticket, kind: TicketCardKind, c: TicketCardContext): OutgoingMessage {
  const priority = ticket.priority as Priority;
  const open = ticket.status === 'open' && !c.incident;
  const params = { number: ticket.number, priority, priorityName: priorityName(priority) };
  const title =
    kind === 'confirm'
      ? t('ticket.confirm.title', params)
      : kind === 'escalation' && c.escalation && (ticket.status === 'open' || ticket.status === 'claimed')
        ? t('ticket.escalation.title', { ...params, what: t(`ticket.escalation.${c.escalation.what}`) })
        : kind === 'intake'
          ? t('ticket.card.title', params)
          : t('ticket.dispatch.title', params);
  const engineersCard = kind === 'dispatch' || kind === 'escalation';
  const card: Card = {
    title,
    color:
      ticket.status === 'closed' && notServed(ticket)
        ? 'grey'
        : ticket.status === 'resolved' || ticket.status === 'closed'
          ? 'green'
          : PRIORITY_COLOR[priority],
    fields: fieldsOf(ticket, c, engineersCard),
    text: kind === 'confirm' ? undefined : ticket.description,
    markdown: kind === 'intake' && c.knowledge && open ? tmd('ticket.knowledge', c.knowledge) : undefined,
    note: kind === 'confirm' ? undefined : noteOf(ticket, kind, c),
    buttons: [],
  };
  if (engineersCard && open) {
    card.buttons = [
      {
        label: t('ticket.button.claim'),
        action: ACTION.claim,
        value: { ticket: ticket.number, v: ticket.version },
        style: 'primary',
        command: t('ticket.command.claim', { number: ticket.number }),
      },
    ];
    card.form = closeForm(ticket);
  } else if (engineersCard && ticket.status === 'claimed' && !c.incident) {
    card.form = workForm(ticket, c.directory);
  } else if (kind === 'intake' && c.knowledge && (ticket.status === 'open' || ticket.status === 'claimed')) {
    card.buttons = [
      {
        label: t('ticket.button.selfSolved'),
        action: ACTION.selfSolved,
        value: { ticket: ticket.number, v: ticket.version },
        command: t('ticket.command.selfSolved'),
      },
    ];
  } else if (kind === 'confirm' && ticket.status === 'resolved') {
    card.form = confirmationForm(ACTION.confirm, { ticket: ticket.number, v: ticket.version }, ticket.number);
  } else if (kind === 'confirm') {
    card.note = ticket.status === 'closed' ? t('ticket.close.confirmed') : t('ticket.note.reopened');
    if (ticket.status === 'closed' && ticket.closeReason !== 'confirmed') card.note = statusText(ticket);
  }
  return { type: 'card', card };
}
