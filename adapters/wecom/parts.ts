import { RetryableSendError } from '../../bot/chat/ports.js';

/** Split messages whose first parts went out, remembered so a retry sends only the rest. */
const REMEMBERED = 1000;

/**
 * Sends the parts of one message in order, all of them: when the channel's limit has no room for
 * what is left, none is sent and the message is handed back with when to try again; parts sent
 * before a failure are remembered by the outbox row's key, so a retry sends only the rest.
 */
export class PartedSends {
  private readonly sent = new Map<string, number>();

  async send<T>(
    key: string | undefined,
    parts: string[],
    one: (part: string) => Promise<T>,
    limit?: { wait: (count: number) => number; what: string },
  ): Promise<T[]> {
    const done = (key && this.sent.get(key)) || 0;
    const left = parts.slice(done);
    const ms = limit?.wait(left.length) ?? 0;
    if (ms > 0) throw new RetryableSendError(`WeCom ${limit!.what}`, ms);
    const results: T[] = [];
    for (const [i, part] of left.entries()) {
      results.push(await one(part));
      if (key && parts.length > 1) this.sent.set(key, done + i + 1);
    }
    if (key) this.sent.delete(key);
    while (this.sent.size > REMEMBERED) this.sent.delete(this.sent.keys().next().value!);
    return results;
  }
}
