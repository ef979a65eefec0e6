import type { FastifyBaseLogger } from 'fastify';
import type { PlatformState } from '../../bot/chat/ports.js';

/** How long a message is remembered as being in a thread: longer than any ticket waits for a reply. */
const REMEMBERED_MS = 30 * 24 * 3600_000;

const key = (messageId: string) => `feishu:thread:${messageId}`;

/**
 * The messages that are in a thread (话题: every message of a topic group, or a reply in a thread
 * of an ordinary group), known from the events that brought them (`thread_id`), so that a reply to
 * one is sent with `reply_in_thread` and stays in that thread. Kept in the shared platform state, so
 * whichever instance sends the reply knows. Only a hint: when it cannot be read or written, the reply
 * goes out without it, and Feishu still puts a reply to a thread message in its thread by default.
 */
export class Threads {
  constructor(
    private readonly state: PlatformState,
    private readonly log: FastifyBaseLogger,
  ) {}

  async remember(messageId: string, threadId: string): Promise<void> {
    try {
      await this.state.set(key(messageId), threadId, REMEMBERED_MS);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, messageId }, 'could not remember the thread of a message');
    }
  }

  async isInThread(messageId: string): Promise<boolean> {
    try {
      return (await this.state.get(key(messageId))) !== undefined;
    } catch (err) {
      this.log.warn({ err: (err as Error).message, messageId }, 'could not read the thread of a message');
      return false;
    }
  }
}
