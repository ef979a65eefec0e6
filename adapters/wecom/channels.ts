import { RetryableSendError, type PlatformState } from '../../bot/chat/ports.js';

/** A response_url is valid for an hour after the message that brought it. */
export const REPLY_URL_MS = 60 * 60_000;
/** Not used in its last minute: the send may take a while to reach WeCom. */
const REPLY_URL_MARGIN_MS = 60_000;
/** The newest reply URLs kept per chat: a busy group brings more than the bot needs. */
const REPLY_URLS_KEPT = 20;

export interface ReplyUrl {
  url: string;
  /** When it expires (ms, by the bot's clock). */
  until: number;
  /** How often a send through it got no answer (it is given up after the second). */
  unanswered?: number;
}

/**
 * The smart robot's reply URLs per chat (HTTP callback mode): each message or click brings one,
 * and WeCom takes each once, within the hour. Kept in the platform state (so every instance sees
 * them) as a short list; a send takes one out before using it, so none is offered twice.
 */
export class ReplyUrls {
  /** One change at a time per chat in this process: adding and taking read, then write, the list. */
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly state: PlatformState,
    private readonly now: () => number,
  ) {}

  private key(chatId: string): string {
    return `wecom:urls:${chatId}`;
  }

  private async read(chatId: string): Promise<ReplyUrl[]> {
    const raw = await this.state.get(this.key(chatId));
    let list: unknown;
    try {
      list = raw ? JSON.parse(raw) : [];
    } catch {
      list = [];
    }
    if (!Array.isArray(list)) return [];
    const usable = this.now() + REPLY_URL_MARGIN_MS;
    return list.filter((u): u is ReplyUrl => typeof u?.url === 'string' && typeof u?.until === 'number' && u.until > usable);
  }

  private async write(chatId: string, list: ReplyUrl[]): Promise<void> {
    if (list.length === 0) return this.state.delete(this.key(chatId));
    const last = Math.max(...list.map((u) => u.until));
    await this.state.set(this.key(chatId), JSON.stringify(list), Math.max(last - this.now(), 1));
  }

  private serial<T>(chatId: string, run: () => Promise<T>): Promise<T> {
    const mine = (this.tails.get(chatId) ?? Promise.resolve()).catch(() => undefined).then(run);
    this.tails.set(chatId, mine);
    void mine
      .finally(() => {
        if (this.tails.get(chatId) === mine) this.tails.delete(chatId);
      })
      .catch(() => undefined);
    return mine;
  }

  /** Keeps the URL a message or click brought, usable for the hour. */
  add(chatId: string, url: string): Promise<void> {
    return this.serial(chatId, async () => {
      const list = (await this.read(chatId)).filter((u) => u.url !== url);
      list.push({ url, until: this.now() + REPLY_URL_MS });
      await this.write(chatId, list.slice(-REPLY_URLS_KEPT));
    });
  }

  /** Takes out the URL that expires first (it is never offered again); undefined when none is left. */
  take(chatId: string): Promise<ReplyUrl | undefined> {
    return this.serial(chatId, async () => {
      const [first, ...rest] = await this.read(chatId);
      if (first) await this.write(chatId, rest);
      return first;
    });
  }

  /** Forgets a URL (one a delivery WeCom made again brought, maybe used already). */
  remove(chatId: string, url: string): Promise<void> {
    return this.serial(chatId, async () => {
      const list = await this.read(chatId);
      if (list.some((u) => u.url === url))
        await this.write(
          chatId,
          list.filter((u) => u.url !== url),
        );
    });
  }

  /**
   * Puts back a URL whose send got no answer (WeCom busy, unreachable): it may be unused still.
   * Twice unanswered, it is given up, so a URL that never answers does not hold the chat.
   */
  giveBack(chatId: string, url: ReplyUrl): Promise<void> {
    return this.serial(chatId, async () => {
      const unanswered = (url.unanswered ?? 0) + 1;
      if (unanswered > 1) return;
      const list = await this.read(chatId);
      if (!list.some((u) => u.url === url.url)) await this.write(chatId, [{ ...url, unanswered }, ...list].slice(0, REPLY_URLS_KEPT));
    });
  }
}

/** A callback held open for its passive reply, and what the outbox gave it to carry. */
interface Slot {
  body?: Record<string, unknown>;
  closed: boolean;
  /** Resolves the callback's wait: a message has come. */
  arrived: () => void;
  /** Tells the send whether the callback answered with its message. */
  answered?: (yes: boolean) => void;
}

/**
 * The smart robot's passive replies (HTTP callback mode): while the callback of a message is held
 * open, the first message the outbox sends to that chat rides in its answer. One per callback; a
 * closed slot takes nothing, so a message that comes too late goes another way, and a callback
 * that does not answer after all (nothing was stored) hands its message back to be sent again.
 */
export class PassiveReplies {
  private readonly slots = new Map<string, Slot[]>();

  /**
   * Opens the slot of a callback in `chatId`. `arrived` resolves when a message has come for it;
   * `close(true)` ends it and gives the message to answer with, `close(false)` ends it unanswered.
   */
  open(chatId: string): { arrived: Promise<void>; close(answering: boolean): Record<string, unknown> | undefined } {
    let arrived!: () => void;
    const came = new Promise<void>((resolve) => (arrived = resolve));
    const slot: Slot = { closed: false, arrived };
    this.slots.set(chatId, [...(this.slots.get(chatId) ?? []), slot]);
    return {
      arrived: came,
      close: (answering) => {
        slot.closed = true;
        const left = (this.slots.get(chatId) ?? []).filter((s) => s !== slot);
        if (left.length > 0) this.slots.set(chatId, left);
        else this.slots.delete(chatId);
        slot.answered?.(answering);
        return answering ? slot.body : undefined;
      },
    };
  }

  /**
   * Hands `body` to an open callback of the chat: resolves once the callback answers with it,
   * rejects if it closes unanswered; undefined when no callback of the chat is free.
   */
  offer(chatId: string, body: Record<string, unknown>): Promise<void> | undefined {
    const slot = (this.slots.get(chatId) ?? []).find((s) => !s.closed && !s.body);
    if (!slot) return undefined;
    slot.body = body;
    const answered = new Promise<void>((resolve, reject) => {
      slot.answered = (yes) => (yes ? resolve() : reject(new RetryableSendError('the WeCom callback that was to carry this message did not answer', 1000)));
    });
    slot.arrived();
    return answered;
  }
}
