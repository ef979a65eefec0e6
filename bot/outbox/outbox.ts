import type { OutgoingMessage, Platform } from '../chat/model.js';
import type { MessageRef, Prisma } from '../../generated/prisma/client.js';
import type { Tx } from '../db/client.js';

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

function refColumns({ escalation, ...shows }: ShownEntity) {
  return escalation ? { ...shows, ...escalationColumns(escalation) } : shows;
}

export interface OutboxPayload {
  message: OutgoingMessage;
}

function payloadOf(message: OutgoingMessage): Prisma.InputJsonObject {
  return { message } satisfies OutboxPayload as unknown as Prisma.InputJsonObject;
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
    const ref = shows
      ? await this.tx.messageRef.create({ data: { ...refColumns(shows), platform: target.platform, chatId: target.chatId, createdAt: this.now() } })
      : undefined;
    await this.tx.outbox.create({
      data: { platform: target.platform, chatId: target.chatId, op: 'send', refId: ref?.id, payload: payloadOf(message), ...this.times() },
    });
  }

  /** The messages showing an entity (`updateShown` takes them, so a caller that looked need not look again). */
  shown(entityType: string, entityId: string): Promise<MessageRef[]> {
    return this.tx.messageRef.findMany({ where: { entityType, entityId } });
  }

  private times() {
    const now = this.now();
    return { createdAt: now, nextAttemptAt: now };
  }

  /**
   * Re-renders every message showing the entity. A pending update of the same message is
   * superseded: only the newest state is worth sending.
   */
  async updateShown(
    entityType: string,
    entityId: string,
    render: (ref: { id: number; kind: string; platform: Platform }) => OutgoingMessage,
    shown?: MessageRef[],
  ): Promise<void> {
    const refs = shown ?? (await this.shown(entityType, entityId));
    for (const ref of refs) {
      const message = render({ id: ref.id, kind: ref.kind, platform: ref.platform as Platform });
      this.updated.push({ platform: ref.platform as Platform, chatId: ref.chatId, messageId: ref.messageId, message });
      // Not sent yet: it goes out as it now stands, and no update is needed.
      const unsent = await this.tx.outbox.updateMany({ where: { refId: ref.id, op: 'send', status: 'pending' }, data: { payload: payloadOf(message) } });
      if (unsent.count > 0) continue;
      await this.tx.outbox.updateMany({
        where: { refId: ref.id, op: 'update', status: 'pending' },
        data: { status: 'superseded' },
      });
      await this.tx.outbox.create({
        data: {
          platform: ref.platform,
          chatId: ref.chatId,
          op: 'update',
          refId: ref.id,
          payload: payloadOf(message),
          ...this.times(),
        },
      });
    }
  }
}
