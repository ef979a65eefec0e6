import type { OutgoingMessage, Platform } from '../../bot/chat/model.js';
import type { Clock } from '../../bot/clock.js';
import type { Db } from '../../bot/db/client.js';
import { Outbox } from '../../bot/outbox/outbox.js';
import type { OutboxWorker } from '../../bot/outbox/worker.js';

/**
 * Time that moves only when told: the worker's clock, the clients' `now` and `sleep` (a rate
 * limiter's wait returns at once, the time having moved to its end) and the stand-ins' clock.
 */
export class FakeTime implements Clock {
  constructor(public ms = Date.UTC(2026, 10, 24, 2, 0)) {}

  now = (): Date => new Date(this.ms);
  nowMs = (): number => this.ms;

  /** Waiters that overlap end together: time moves to the latest end, not the sum. */
  sleep = async (ms: number): Promise<void> => {
    const until = this.ms + ms;
    await new Promise((resolve) => setImmediate(resolve));
    this.ms = Math.max(this.ms, until);
  };

  advance(ms: number): void {
    this.ms += ms;
  }
}

/**
 * Runs the worker as its poll timer would (a drain every `stepMs`) over `windowMs` of fake time,
 * stopping early once `done()` holds.
 */
export async function runWorker(
  worker: OutboxWorker,
  time: FakeTime,
  windowMs: number,
  done: () => boolean | Promise<boolean> = () => false,
  stepMs = 1000,
): Promise<void> {
  const end = time.ms + windowMs;
  while (time.ms < end) {
    await worker.drain();
    if (await done()) return;
    time.advance(stepMs);
  }
}

/** Queues texts as the services do: one transaction, rows due now by the fake clock. */
export async function enqueueTexts(db: Db, time: FakeTime, platform: Platform, rows: { chatId: string; text: string }[]): Promise<void> {
  await db.$transaction(async (tx) => {
    const outbox = new Outbox(tx, time.now);
    for (const row of rows) await outbox.send({ platform, chatId: row.chatId }, { type: 'text', text: row.text } satisfies OutgoingMessage);
  });
}

/** `perChat` numbered texts for each chat, interleaved across chats as a busy morning queues them. */
export function interleaved(chats: string[], perChat: number): { chatId: string; text: string }[] {
  return Array.from({ length: perChat }, (_, i) => chats.map((chatId) => ({ chatId, text: `${chatId} 第${i + 1}条通知` }))).flat();
}

/** The most requests seen in any window of `windowMs`. */
export function peakPer(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}
