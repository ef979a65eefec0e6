import type { TextKey, TextParams } from './i18n/zh.js';

/** Errors a user can cause; each code has a Chinese sentence `error.<code>` in the i18n texts. */
export type ErrorCode =
  | 'unknown_person'
  | 'not_it_staff'
  | 'not_assignee'
  | 'not_reporter'
  | 'not_incident_reporter'
  | 'incident_already_confirmed'
  | 'not_own_ticket'
  | 'not_admin'
  | 'not_allowed'
  | 'ticket_not_found'
  | 'incident_not_found'
  | 'already_claimed'
  | 'already_claimed_by_you'
  | 'ticket_not_open'
  | 'in_incident'
  | 'priority_unchanged'
  | 'bad_cost'
  | 'no_repair'
  | 'ticket_changed'
  | 'unknown_target'
  | 'missing_text'
  | 'message_too_long'
  | 'invalid_form'
  | 'roster_invalid'
  | 'not_possible'
  | 'outside_change_window'
  | 'approval_not_found'
  | 'approval_closed'
  | 'step_not_pending'
  | 'step_waiting'
  | 'not_approver'
  | 'already_decided'
  | 'not_implementer'
  | 'own_request'
  | 'own_subject'
  | 'binding_direct'
  | 'binding_by_file'
  | 'binding_taken_by_file'
  | 'binding_unknown_chat'
  | 'binding_no_chat'
  | 'bad_arguments'
  | 'unknown_action'
  | 'duplicate_action';

export class BotError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: TextParams = {},
  ) {
    super(code);
    this.name = 'BotError';
  }

  get textKey(): TextKey {
    return `error.${this.code}`;
  }
}
