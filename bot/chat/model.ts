/**
 * The core's chat vocabulary: events that arrive, messages and cards that leave, results.
 * Adapters translate their platform into these shapes and back; nothing in bot/ or commands/
 * knows which platform a message came from beyond the `platform` field it passes back.
 */

import type { Markdown } from './markdown.js';

export type Platform = 'simulator' | 'feishu' | 'wecom' | 'wechaty';

export interface MessageRef {
  platform: Platform;
  chatId: string;
  messageId: string;
}

export interface Attachment {
  kind: 'image' | 'file';
  name?: string;
  /** Platform key used to fetch the bytes later (image_key, media_id, ...). */
  key: string;
}

/** Who sent an event, as the platform knows them. */
export interface PlatformUser {
  /** The platform's primary id (Feishu open_id, WeCom userid, ...). */
  platformId: string;
  /** Other ids of the same person on this platform (Feishu user_id, union_id). */
  altIds?: string[];
  name?: string;
  /** Filled by adapters configured to match people by mobile or email. */
  mobile?: string;
  email?: string;
}

/**
 * What arrived: a message, a click on a card (`action`), or the bot's arrival in a chat (`joined`:
 * added to a group, or a group opened with it), which it answers with a greeting. For `joined`,
 * `user` is whoever added the bot when the platform says (an empty `platformId` when it does not).
 */
export type EventKind = 'message' | 'action' | 'joined';

export interface IncomingEvent {
  platform: Platform;
  /** Unique per delivery; the dedup key is derived from it (messages, arrivals) or from the action. */
  eventId: string;
  kind: EventKind;
  chat: { id: string; type: 'group' | 'direct' };
  user: PlatformUser;
  text?: string;
  mentionsBot: boolean;
  /** People @-mentioned in the message, other than the bot. */
  mentions?: { platformId: string; name: string }[];
  attachments: Attachment[];
  action?: { name: string; value: Record<string, unknown>; form?: Record<string, unknown> };
  /** The message this event refers to: the clicked card, or the message replied to. */
  replyTo?: MessageRef;
  /** The message was posted in a thread (a topic, 话题): the bot's answers go to that thread, not the chat. */
  inThread?: boolean;
  raw?: unknown;
}

export type CardColor = 'red' | 'orange' | 'yellow' | 'blue' | 'green' | 'grey';

export interface CardButton {
  label: string;
  action: string;
  value: Record<string, string | number>;
  style?: 'primary' | 'danger' | 'default';
  /** The typed command that does the same (认领 IT-…), for channels without buttons. */
  command?: string;
}

export interface CardField {
  label: string;
  value: string;
}

export interface CardInput {
  name: string;
  label: string;
  kind: 'input' | 'textarea' | 'select';
  options?: { label: string; value: string }[];
  required?: boolean;
  placeholder?: string;
}

/** Inputs submitted together by any of the submit buttons; the values arrive as the action's `form`. */
export interface CardForm {
  inputs: CardInput[];
  submits: CardButton[];
}

export interface CardChart {
  title: string;
  categories: string[];
  /** A null value is a gap (a day without tickets has no compliance rate). */
  series: { name: string; kind: 'bar' | 'line'; values: (number | null)[]; unit?: string }[];
}

/** A card in neutral form; each adapter renders it (Feishu JSON 2.0, WeCom template card, text, HTML). */
export interface Card {
  title: string;
  color: CardColor;
  fields: CardField[];
  /** What people wrote, shown exactly as written (never interpreted as markup). */
  text?: string;
  /**
   * The bot's own formatted text (**bold**, `code`, line breaks) with the values people wrote
   * kept apart as text: built with `markup` / `tmd` (chat/markdown.ts), escaped per platform on render.
   */
  markdown?: Markdown;
  /** Shown as written, like `title`, the fields, labels and options: plain text, never markup. */
  note?: string;
  buttons: CardButton[];
  form?: CardForm;
  /** A small chart: platforms with a native chart element show it, others show its numbers. */
  chart?: CardChart;
  /** People to @-mention at the top of the card. */
  mentions?: Mention[];
}

export interface Mention {
  platformUserId: string;
  name: string;
}

/**
 * A text message is plain text: adapters show it exactly as written (escaping their platform's
 * markup), so the only mentions it carries are those in `mentions`.
 */
export type OutgoingMessage = { type: 'text'; text: string; mentions?: Mention[]; replyTo?: string } | { type: 'card'; card: Card; replyTo?: string };

export interface Toast {
  type: 'success' | 'info' | 'warning' | 'error';
  text: string;
}

/**
 * What the bot answers to an event, for adapters whose platform expects an immediate answer.
 * `retry`: nothing was stored (the database is busy, full or unreachable) and the platform should
 * deliver the event again: a 5xx where it redelivers, a toast asking to try again for a click.
 */
export interface EventResult {
  outcome: 'handled' | 'duplicate' | 'ignored' | 'refused' | 'failed' | 'retry';
  toast?: Toast;
  /** The clicked card as it now stands, for platforms that update it in the click's response. */
  card?: Card;
}

export type EventSink = (event: IncomingEvent) => Promise<EventResult>;
