import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Platform } from '../chat/model.js';
import { PermanentSendError, RetryableSendError, type ChatSender } from '../chat/ports.js';
import type { Outbox as OutboxRow } from '../../generated/prisma/client.js';
import type { Clock } from '../clock.js';
import { providerOf, type Db } from '../db/client.js';
import type { Metrics } from '../metrics.js';
import type { OutboxPayload } from './outbox.js';

export interface OutboxWorkerOptions {
  db: Db;
  adapters: ReadonlyMap<Platform, Pick<ChatSender, 'send' | 'update'>>;
  clock: Clock;
  log: FastifyBaseLogger;
  batchSize?: number;
  maxAttempts?: number;
  /**
   * A failing row is retried at least this long after it was queued (default a day), however many
   * attempts that takes, so a platform outage delays messages instead of dropping them.
   */
  retryForMs?: number;
  pollMs?: number;
  /** A row left 'sending' this long (its instance died mid-send) is sent again. */
  staleLockMs?: number;
  metrics?: Pick<Metrics, 'delivery'>;
}

/**
 * Sends outbox rows through their platform's adapter: at least once, in order per chat (across
 * instances too), with exponential backoff (or the platform's own retry-after), and without losing a row
 * across restarts. Several workers (instances) may run: a row is claimed before it is sent.
 */
export class OutboxWorker {
  private readonly id = randomUUID();
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly retryForMs: number;
  private readonly pollMs: number;
  private readonly staleLockMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly opts: OutboxWorkerOptions) {
    this.batchSize = opts.batchSize ?? 20;
    this.maxAttempts = opts.maxAttempts ?? 10;
    this.retryForMs = opts.retryForMs ?? 24 * 60 * 60_000;
    this.pollMs = opts.pollMs ?? 1000;
    this.staleLockMs = opts.staleLockMs ?? 60_000;
  }

  start(): void {
    this.stopped = false;
    this.timer ??= setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Asks for a drain soon; never throws (errors are logged). */
  wake(): void {
    if (this.stopped) return;
    void this.drain().catch((err) => this.opts.log.error({ err }, 'outbox drain failed'));
  }

  /**
   * Makes a chat's waiting rows due now: its platform says the chat can be reached again (a message
   * there brought a way to answer). Their order is kept; the next drain sends them.
   */
  async hurry(platform: Platform, chatId: string): Promise<void> {
    const now = this.opts.clock.now();
    await this.opts.db.outbox.updateMany({ where: { platform, chatId, status: 'pending', nextAttemptAt: { gt: now } }, data: { nextAttemptAt: now } });
  }

  /** Sends every row that is due now; resolves with how many were delivered. One drain at a time. */
  drain(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let delivered = 0;
      try {
        do {
          this.again = false;
          delivered += await this.drainOnce();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
      return delivered;
    })();
    return this.running;
  }

  private async drainOnce(): Promise<number> {
    const { db, clock } = this.opts;
    await db.outbox.updateMany({
      where: { status: 'sending', lockedAt: { lt: new Date(clock.now().getTime() - this.staleLockMs) } },
      data: { status: 'pending', lockedBy: null },
    });
    let delivered = 0;
    for (;;) {
      // At most one row per chat (its oldest), so the rows of a batch go out side by side.
      const batch = await this.claimBatch();
      if (batch.length === 0) return delivered;
      const results = await Promise.all(batch.map((row) => this.deliver(row)));
      delivered += results.filter(Boolean).length;
    }
  }

  /**
   * Claims the rows to send now: per chat only its oldest open row, and only when that row is due,
   * so a chat's messages go out in order even with several instances (a row waiting out a backoff
   * holds back the chat's later rows). The claim itself locks the rows: on PostgreSQL with
   * `FOR UPDATE SKIP LOCKED`, so instances never wait for each other or take the same row.
   */
  private async claimBatch(): Promise<OutboxRow[]> {
    const { db, clock } = this.opts;
    const now = clock.now();
    const due = await db.outbox.findMany({
      where: { status: 'pending', nextAttemptAt: { lte: now } },
      orderBy: { id: 'asc' },
      take: this.batchSize * 4,
      select: { id: true, platform: true, chatId: true },
    });
    if (due.length === 0) return [];
    const heads = await db.outbox.groupBy({
      by: ['platform', 'chatId'],
      where: { status: { in: ['pending', 'sending'] }, chatId: { in: [...new Set(due.map((r) => r.chatId))] } },
      _min: { id: true },
    });
    const headIds = new Set(heads.map((h) => h._min.id));
    const ids = due
      .filter((r) => headIds.has(r.id))
      .slice(0, this.batchSize)
      .map((r) => r.id);
    if (ids.length === 0) return [];
    await db.$transaction(async (tx) => {
      const free =
        providerOf(db) === 'postgresql'
          ? (await tx.$queryRaw<{ id: number }[]>`SELECT id FROM "Outbox" WHERE id = ANY(${ids}) AND status = 'pending' FOR UPDATE SKIP LOCKED`).map(
              (r) => r.id,
            )
          : ids;
      if (free.length === 0) return;
      await tx.outbox.updateMany({
        where: { id: { in: free }, status: 'pending' },
        data: { status: 'sending', lockedBy: this.id, lockedAt: now },
      });
    });
    return db.outbox.findMany({ where: { lockedBy: this.id, status: 'sending' }, orderBy: { id: 'asc' } });
  }

  /** Sends one row; true when it was delivered. */
  private async deliver(row: OutboxRow): Promise<boolean> {
    const { db, clock, log } = this.opts;
    const adapter = this.opts.adapters.get(row.platform as Platform);
    const { message } = row.payload as unknown as OutboxPayload;
    try {
      if (!adapter) throw new Error(`no adapter for platform ${row.platform}`);
      if (row.op === 'send') {
        // Stable across attempts and instances; unique across databases sharing one platform app.
        const idempotencyKey = `hd-${row.id}-${row.createdAt.getTime().toString(36)}`;
        const { messageId } = await adapter.send(row.chatId, message, { idempotencyKey });
        if (row.refId) {
          await db.messageRef.update({ where: { id: row.refId }, data: { messageId, sentAt: clock.now() } });
        }
      } else {
        const ref = row.refId ? await db.messageRef.findUnique({ where: { id: row.refId } }) : null;
        if (!ref) throw new Error('update of an unknown message');
        if (!ref.messageId) return await this.deferUntilSent(row);
        await adapter.update({ platform: row.platform as Platform, chatId: ref.chatId, messageId: ref.messageId }, message);
      }
      await db.outbox.update({
        where: { id: row.id },
        data: { status: 'sent', sentAt: clock.now(), attempts: row.attempts + 1, lockedBy: null, lastError: null },
      });
      this.opts.metrics?.delivery(row.platform, row.op, 'sent');
      return true;
    } catch (err) {
      const attempts = row.attempts + 1;
      const expired = attempts >= this.maxAttempts && clock.now().getTime() - row.createdAt.getTime() >= this.retryForMs;
      const dead = expired || !adapter || err instanceof PermanentSendError;
      const retryAfter = err instanceof RetryableSendError && err.retryAfterMs !== undefined ? err.retryAfterMs : Math.min(2 ** attempts * 1000, 5 * 60_000);
      const lastError = err instanceof Error ? err.message : String(err);
      log.warn({ outboxId: row.id, platform: row.platform, op: row.op, attempts, dead, err: lastError }, 'outbox send failed');
      this.opts.metrics?.delivery(row.platform, row.op, dead ? 'dead' : 'retry', err);
      await db.outbox.update({
        where: { id: row.id },
        data: {
          status: dead ? 'dead' : 'pending',
          attempts,
          lastError: lastError.slice(0, 1000),
          lockedBy: null,
          nextAttemptAt: new Date(clock.now().getTime() + retryAfter),
        },
      });
      return false;
    }
  }

  /** An update whose card has not been sent yet waits for the send, unless the send has died. */
  private async deferUntilSent(row: OutboxRow): Promise<boolean> {
    const { db, clock } = this.opts;
    const sendPending = await db.outbox.count({
      where: { refId: row.refId, op: 'send', status: { in: ['pending', 'sending'] } },
    });
    await db.outbox.update({
      where: { id: row.id },
      data: sendPending
        ? { status: 'pending', lockedBy: null, nextAttemptAt: new Date(clock.now().getTime() + 1000) }
        : { status: 'dead', lockedBy: null, lastError: 'the message to update was never sent' },
    });
    return false;
  }
}
