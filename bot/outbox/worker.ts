import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Platform } from '../chat/model.js';
import { PermanentSendError, RetryableSendError, type ChatSender } from '../chat/ports.js';
import type { Outbox as OutboxRow } from '../../generated/prisma/client.js';
import type { Clock } from '../clock.js';
import { providerOf, sqlOf, type Db, type Tx } from '../db/client.js';
import { Query } from '../db/sql.js';
import { transact } from '../db/transact.js';
import type { Metrics } from '../metrics.js';
import type { OutboxPayload } from './outbox.js';

/** A delivered row, and the platform's id of the message it sent (kept for updates in place). */
interface Sent {
  row: OutboxRow;
  messageId?: string;
}

const REF_SENT = new Query('UPDATE "MessageRef" SET "messageId" = $1, "sentAt" = $2 WHERE "id" = $3');
const ROW_SENT = new Query(`UPDATE "Outbox" SET "status" = 'sent', "sentAt" = $1, "attempts" = $2, "lockedBy" = NULL, "lastError" = NULL WHERE "id" = $3`);

const DUE = new Query(`SELECT "id", "chatId" FROM "Outbox" WHERE "status" = 'pending' AND "nextAttemptAt" <= $1 ORDER BY "id" LIMIT $2`);
const CLAIMED = new Query(`SELECT * FROM "Outbox" WHERE "lockedBy" = $1 AND "status" = 'sending' ORDER BY "id"`, {
  dates: ['nextAttemptAt', 'lockedAt', 'createdAt', 'sentAt'],
  json: ['payload'],
});
/** Each chat's oldest open row (its head), for `n` chats. */
const HEADS = (n: number) =>
  `SELECT MIN("id") AS "id" FROM "Outbox" WHERE "status" IN ('pending', 'sending') AND "chatId" IN (${params(1, n)}) GROUP BY "platform", "chatId"`;
/** Locks `n` rows for a worker, those still pending. */
const CLAIM = (n: number) =>
  `UPDATE "Outbox" SET "status" = 'sending', "lockedBy" = $1, "lockedAt" = $2 WHERE "id" IN (${params(3, n)}) AND "status" = 'pending'`;
const params = (from: number, n: number) => Array.from({ length: n }, (_, i) => `$${from + i}`).join(', ');
const shaped = new Map<string, Query>();
/** The statement for `n` values, shaped once per count. */
function shapedFor(text: (n: number) => string, n: number): Query {
  const sql = text(n);
  let query = shaped.get(sql);
  if (!query) shaped.set(sql, (query = new Query(sql)));
  return query;
}

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
  private reclaimedAt: number | undefined;

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

  /** No more drains; resolves once the send in progress (if any) has ended, without starting the next batch. */
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
        } while (this.again && !this.stopped);
      } finally {
        this.running = undefined;
      }
      return delivered;
    })();
    return this.running;
  }

  private async drainOnce(): Promise<number> {
    const { db, clock } = this.opts;
    // Rows whose instance died mid-send are looked for now and then (their lock is long stale by then), not on every drain.
    const now = clock.now().getTime();
    if (this.reclaimedAt === undefined || now - this.reclaimedAt >= Math.min(this.staleLockMs / 4, 5_000)) {
      this.reclaimedAt = now;
      await db.outbox.updateMany({
        where: { status: 'sending', lockedAt: { lt: new Date(now - this.staleLockMs) } },
        data: { status: 'pending', lockedBy: null },
      });
    }
    let delivered = 0;
    // Stopping: the batch being sent is finished and marked, no further one is claimed.
    while (!this.stopped) {
      // At most one row per chat (its oldest), so the rows of a batch go out side by side.
      const batch = await this.claimBatch();
      if (batch.length === 0) return delivered;
      const results = await Promise.all(batch.map((row) => this.deliver(row)));
      const sent = results.filter((r): r is Sent => !!r);
      await this.markSent(sent);
      delivered += sent.length;
    }
    return delivered;
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
    // SQLite: one writer, so the whole claim is one short transaction of statements prepared once.
    if (providerOf(db) === 'sqlite') return transact(db, (tx) => this.claimIn(tx, now));
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

  /** The claim in one transaction (SQLite, which has one writer): the chats' heads that are due, locked for this worker. */
  private async claimIn(tx: Tx, now: Date): Promise<OutboxRow[]> {
    const sql = sqlOf(tx);
    const due = await sql.rows<{ id: number; chatId: string }>(DUE, [now, this.batchSize * 4]);
    if (due.length === 0) return [];
    const chats = [...new Set(due.map((r) => r.chatId))];
    const heads = new Set((await sql.rows<{ id: number }>(shapedFor(HEADS, chats.length), chats)).map((h) => h.id));
    const ids = due
      .filter((r) => heads.has(r.id))
      .slice(0, this.batchSize)
      .map((r) => r.id);
    if (ids.length === 0) return [];
    await sql.run(shapedFor(CLAIM, ids.length), [this.id, now, ...ids]);
    return sql.rows<OutboxRow>(CLAIMED, [this.id]);
  }

  /**
   * The delivered rows of a batch marked sent together, in one transaction: their message ids kept
   * for later updates. (A crash before this sends them again, as after a crash mid-send.)
   */
  private async markSent(sent: Sent[]): Promise<void> {
    if (sent.length === 0) return;
    const { db, clock } = this.opts;
    await transact(db, async (tx) => {
      const sql = sqlOf(tx);
      for (const { row, messageId } of sent) {
        if (row.op === 'send' && row.refId) await sql.run(REF_SENT, [messageId ?? null, clock.now(), row.refId]);
        await sql.run(ROW_SENT, [clock.now(), row.attempts + 1, row.id]);
      }
    });
    for (const { row } of sent) this.opts.metrics?.delivery(row.platform, row.op, 'sent');
  }

  /** Sends one row; what to mark when it was delivered. */
  private async deliver(row: OutboxRow): Promise<Sent | false> {
    const { db, clock, log } = this.opts;
    const adapter = this.opts.adapters.get(row.platform as Platform);
    const { message } = row.payload as unknown as OutboxPayload;
    try {
      if (!adapter) throw new Error(`no adapter for platform ${row.platform}`);
      if (row.op === 'send') {
        // Stable across attempts and instances; unique across databases sharing one platform app.
        const idempotencyKey = `hd-${row.id}-${row.createdAt.getTime().toString(36)}`;
        const { messageId } = await adapter.send(row.chatId, message, { idempotencyKey });
        return { row, messageId };
      } else {
        const ref = row.refId ? await db.messageRef.findUnique({ where: { id: row.refId } }) : null;
        if (!ref) throw new Error('update of an unknown message');
        if (!ref.messageId) return await this.deferUntilSent(row);
        await adapter.update({ platform: row.platform as Platform, chatId: ref.chatId, messageId: ref.messageId }, message);
        return { row };
      }
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
  private async deferUntilSent(row: OutboxRow): Promise<false> {
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
