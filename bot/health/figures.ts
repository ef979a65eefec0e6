import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';

/** What the outbox holds that is not delivered: rows waiting (to be sent, or being sent) and rows given up. */
export interface OutboxFigures {
  waiting: number;
  /** Seconds since the oldest waiting row was queued (0 when none waits), on the bot's clock. */
  oldestWaitingAgeSeconds: number;
  dead: number;
}

const WAITING = { status: { in: ['pending', 'sending'] } };

/** The outbox's figures, read from the database (right across instances and restarts). */
export async function outboxFigures(db: Db, clock: Clock): Promise<OutboxFigures> {
  const [waiting, oldest, dead] = await Promise.all([
    db.outbox.count({ where: WAITING }),
    db.outbox.findFirst({ where: WAITING, orderBy: { id: 'asc' }, select: { createdAt: true } }),
    db.outbox.count({ where: { status: 'dead' } }),
  ]);
  const age = oldest ? Math.max(0, (clock.now().getTime() - oldest.createdAt.getTime()) / 1000) : 0;
  return { waiting, oldestWaitingAgeSeconds: Math.round(age * 1000) / 1000, dead };
}

/** `work`, or a rejection once `ms` have passed without it settling (it goes on, unwatched). */
export function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    timer.unref();
  });
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
