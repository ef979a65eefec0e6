import { randomInt } from 'node:crypto';
import { renderMarkdown } from '../../bot/chat/markdown.js';
import type { Card, OutgoingMessage } from '../../bot/chat/model.js';
import { escapeSimulatorMarkdown } from './escape.js';

/** A card as the simulator page shows it: its markdown as the page's source, text in it escaped. */
export type SimCard = Omit<Card, 'markdown'> & { markdown?: string };

export interface SimMessage {
  id: string;
  chatId: string;
  /** A person id, or `bot`. */
  from: string;
  fromName: string;
  text?: string;
  card?: SimCard;
  /** URLs of the images a person sent. */
  images?: string[];
  createdAt: string;
  updatedAt: string;
}

let lastStamp = 0;

/**
 * What sets one simulator's ids apart from every other's, before and after a restart over the same
 * database: the wall-clock time it started, in base 36 (never the same twice in one process), and
 * two random characters (for another process started in the same millisecond). Not the bot's clock:
 * the clock buttons and tests move it, so two runs can stand at the same moment.
 */
export function idPrefix(): string {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  const salt = randomInt(36 * 36)
    .toString(36)
    .padStart(2, '0');
  return `${lastStamp.toString(36)}${salt}`;
}

/**
 * The simulator's chats: an in-memory transcript per chat, as a chat client would show it. Message
 * ids read `sim-<prefix>-<n>`: the database keeps them (deduplication of events, the cards to
 * update), so they must not repeat when the simulator starts again with empty chats.
 */
export class Transcript {
  private readonly messages = new Map<string, SimMessage>();
  private seq = 0;
  readonly prefix = idPrefix();

  /** `now`: the bot's clock, so a message is stamped with the (simulated) time it arrived. */
  constructor(private readonly now: () => Date = () => new Date()) {}

  add(chatId: string, from: string, fromName: string, content: { text?: string; card?: SimCard; images?: string[] }): SimMessage {
    const now = this.now().toISOString();
    const images = content.images?.length ? content.images : undefined;
    const message: SimMessage = { id: `sim-${this.prefix}-${++this.seq}`, chatId, from, fromName, ...content, images, createdAt: now, updatedAt: now };
    if (!images) delete message.images;
    this.messages.set(message.id, message);
    return message;
  }

  get(id: string): SimMessage | undefined {
    return this.messages.get(id);
  }

  replace(id: string, content: { text?: string; card?: SimCard }): void {
    const message = this.messages.get(id);
    if (!message) throw new Error(`simulator message ${id} not found`);
    message.text = content.text;
    message.card = content.card;
    message.updatedAt = this.now().toISOString();
  }

  chat(chatId: string): SimMessage[] {
    return [...this.messages.values()].filter((m) => m.chatId === chatId);
  }
}

/** A neutral message as the simulator shows it: texts with their @-mentions in front, cards with their markdown rendered. */
export function toContent(message: OutgoingMessage): { text?: string; card?: SimCard } {
  if (message.type === 'card') {
    const { markdown, ...card } = message.card;
    return { card: markdown ? { ...card, markdown: renderMarkdown(markdown, escapeSimulatorMarkdown) } : card };
  }
  const mentions = (message.mentions ?? []).map((m) => `@${m.name} `).join('');
  return { text: `${mentions}${message.text}` };
}
