import type { Ticket } from '../../generated/prisma/client.js';
import { t } from '../i18n/zh.js';
import type { Priority } from '../org/schema.js';

/** Why an engineer closes a ticket that needs no fix: a false alarm, a repeat of another ticket, nothing to do. */
export const CLOSE_REASONS = ['false_alarm', 'duplicate', 'not_needed'] as const;

/** Endings that are no service given: they count apart and never against deadlines, MTTA or MTTR. */
export const NOT_SERVED = ['cancelled', ...CLOSE_REASONS] as const;

/** A priority as people say it (P1 紧急 …). */
export function priorityName(priority: string): string {
  return t(`priority.${priority as Priority}`);
}

/** Where a ticket stands, in words: open, claimed, resolved, or how it was closed. */
export function statusText(ticket: Pick<Ticket, 'status' | 'closeReason'> & { duplicateOf?: string | null }): string {
  switch (ticket.status) {
    case 'open':
      return t('ticket.status.open');
    case 'claimed':
      return t('ticket.status.claimed');
    case 'resolved':
      return t('ticket.status.resolved');
  }
  switch (ticket.closeReason) {
    case 'auto':
    case 'self_solved':
    case 'confirmed':
    case 'cancelled':
    case 'false_alarm':
    case 'not_needed':
      return t(`ticket.close.${ticket.closeReason}`);
    case 'duplicate':
      return ticket.duplicateOf ? t('ticket.close.duplicate', { of: ticket.duplicateOf }) : t('ticket.close.duplicateUnknown');
    default:
      return t('ticket.status.closed');
  }
}

/** Whether the ticket ended without a service given (withdrawn, false alarm, duplicate, nothing to do). */
export function notServed(ticket: Pick<Ticket, 'closeReason'>): boolean {
  return (NOT_SERVED as readonly (string | null)[]).includes(ticket.closeReason);
}
