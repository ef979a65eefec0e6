import type { OutgoingMessage, Platform } from '../chat/model.js';
import type { MessageRef } from '../../generated/prisma/client.js';
import { sqlOf, type Tx } from '../db/client.js';
import { Query } from '../db/sql.js';

export interface ChatTarget {
  platform: Platform;
  /** The platform's chat id. */
  chatId: string;
}

/** What a sent message shows, so it can be updated in place when the entity changes. */
export interface ShownEntity {
  entityType: string;
  entityId: string;
  kind: string;
  /** The step an escalation message announced (kept with the message, in its own columns). */
  escalation?: ShownEscalation;
}

/** Which deadline passed, the step's level, how many minutes late, and whom it reached. */
export interface ShownEscalation {
  what: 'response' | 'resolution';
  level: number;
  minutes: number;
  targetId: string | null;
  targetName: string;
}

/** An escalation step as the message ref's columns keep it. */
export function escalationColumns(step: ShownEscalation) {
  return {
    escalationWhat: step.what,
    escalationLevel: step.level,
    escalationMinutes: step.minutes,
    escalationTargetId: step.targetId,
    escalationTargetName: step.targetName,
  };
}

/** The escalation step a message ref keeps in its columns, if it keeps one. */
export function shownEscalationOf(ref: MessageRef): ShownEscalation | undefined {
  const what = ref.escalationWhat;
  if (what !== 'response' && what !== 'resolution') return undefined;
  return {
    what,
    level: ref.escalationLevel ?? 0,
    minutes: ref.escalationMinutes ?? 0,
    targetId: ref.escalationTargetId,
    targetName: ref.escalationTargetName ?? '',
  };
}

export interface OutboxPayload {
  message: OutgoingMessage;
}

/** An outbox row's payload, as its JSON column keeps it. */
function payloadOf(message: OutgoingMessage): string {
  return JSON.stringify({ message } satisfies OutboxPayload);
}

/**
 * Writes what must be sent as rows, inside the caller's transaction (rule 3: outbox).
 * The delivery worker sends them after commit.
 */
export class Outbox {
  /** Messages re-rendered in this transaction, by the platform message they update (when sent already). */
  readonly updated: { platform: Platform; chatId: string; messageId: string | null; message: OutgoingMessage }[] = [];

  /** `now` is the bot's clock: rows are due by it, so a moved simulator clock sees them. */
  constructor(
    private readonly tx: Tx,
    private readonly now: () => Date,
  ) {}

  async send(target: ChatTarget, message: OutgoingMessage, shows?: ShownEntity): Promise<void> {
    const sql = sqlOf(this.tx);
    const now = this.now();
    const [ref] = shows
      ? await sql.rows<{ id: number }>(REF, [
          shows.entityType,
          shows.entityId,
          shows.kind,
          shows.escalation?.what ?? null,
          shows.escalation?.level ?? null,
          shows.escalation?.minutes ?? null,
          shows.escalation?.targetId ?? null,
          shows.escalation?.targetName ?? null,
          target.platform,
          target.chatId,
          now,
        ])
      : [];
    await sql.run(QUEUE, [target.platform, target.chatId, 'send', ref?.id ?? null, payloadOf(message), now]);
  }

  /** The messages showing an entity (`updateShown` takes them, so a caller that looked need not look again). */
  shown(entityType: string, entityId: string): Promise<MessageRef[]> {
    return sqlOf(this.tx).rows<MessageRef>(SHOWN, [entityType, entityId]);
  }

  /**
   * Re-renders every message showing the entity. A pending send or update of the same message
   * takes the newest state instead: only that is worth sending.
   */
  async updateShown(
    entityType: string,
    entityId: string,
    render: (ref: { id: number; kind: string; platform: Platform }) => OutgoingMessage,
    shown?: MessageRef[],
  ): Promise<void> {
    const refs = shown ?? (await this.shown(entityType, entityId));
    if (refs.length === 0) return;
    const sql = sqlOf(this.tx);
    // What of these messages still waits to go out, in one look.
    const pending = await sql.rows<{ refId: number; op: string }>(
      pendingOf(refs.length),
      refs.map((r) => r.id),
    );
    for (const ref of refs) {
      const message = render({ id: ref.id, kind: ref.kind, platform: ref.platform as Platform });
      this.updated.push({ platform: ref.platform as Platform, chatId: ref.chatId, messageId: ref.messageId, message });
      const waiting = pending.filter((p) => p.refId === ref.id);
      // Not sent yet: it goes out as it now stands, and no update is needed.
      if (waiting.some((p) => p.op === 'send')) {
        await sql.run(RESEND, [payloadOf(message), ref.id]);
        continue;
      }
      // An update still waiting takes the newest state in its place; otherwise one is queued.
      if (waiting.some((p) => p.op === 'update')) await sql.run(REDRAW, [payloadOf(message), ref.id]);
      else await sql.run(QUEUE, [ref.platform, ref.chatId, 'update', ref.id, payloadOf(message), this.now()]);
    }
  }
}

const REF = new Query(
  'INSERT INTO "MessageRef" ("entityType", "entityId", "kind", "escalationWhat", "escalationLevel", "escalationMinutes", "escalationTargetId", "escalationTargetName", "platform", "chatId", "createdAt") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING "id"',
);
const QUEUE = new Query(
  'INSERT INTO "Outbox" ("platform", "chatId", "op", "refId", "payload", "status", "attempts", "nextAttemptAt", "createdAt") VALUES ($1, $2, $3, $4, $5::jsonb, \'pending\', 0, $6, $6)',
);
const SHOWN = new Query('SELECT * FROM "MessageRef" WHERE "entityType" = $1 AND "entityId" = $2 ORDER BY "id"', { dates: ['createdAt', 'sentAt'] });
const RESEND = new Query('UPDATE "Outbox" SET "payload" = $1::jsonb WHERE "refId" = $2 AND "op" = \'send\' AND "status" = \'pending\'');
const REDRAW = new Query('UPDATE "Outbox" SET "payload" = $1::jsonb WHERE "refId" = $2 AND "op" = \'update\' AND "status" = \'pending\'');
const PENDING = new Map<number, Query>();
/** The pending rows of `n` messages (one statement per count of messages, shaped once). */
function pendingOf(n: number): Query {
  let query = PENDING.get(n);
  if (!query) {
    const ids = Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ');
    query = new Query(`SELECT "refId", "op" FROM "Outbox" WHERE "refId" IN (${ids}) AND "status" = 'pending'`);
    PENDING.set(n, query);
  }
  return query;
}
