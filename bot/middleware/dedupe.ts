import { createHash } from 'node:crypto';
import type { IncomingEvent } from '../chat/model.js';
import type { Middleware } from '../context.js';
import type { Tx } from '../db/client.js';

export class DuplicateEvent extends Error {
  constructor(readonly key: string) {
    super(`duplicate delivery ${key}`);
    this.name = 'DuplicateEvent';
  }
}

/**
 * The idempotency key of a delivery (rule 2): messages and arrivals by their platform id; card clicks by
 * action, value and actor, so a double click or a platform retry does nothing twice.
 */
export function dedupKey(event: IncomingEvent): string {
  const key =
    event.kind === 'action' && event.action
      ? `${event.platform}:action:${event.action.name}:${stableJson(event.action.value)}:${event.user.platformId}`
      : `${event.platform}:${event.kind === 'joined' ? 'joined' : 'message'}:${event.eventId}`;
  // A long key (a large button value) is kept as its digest: index rows have a size limit.
  return key.length <= 200 ? key : `${event.platform}:sha256:${createHash('sha256').update(key).digest('hex')}`;
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

/** Records a delivery's key in `tx`; false when it was recorded before (a repeated delivery). */
export async function recordDelivery(tx: Tx, key: string, platform: string): Promise<boolean> {
  if (await tx.inboundEvent.findUnique({ where: { key } })) return false;
  await tx.inboundEvent.create({ data: { key, platform } });
  return true;
}

/** Records the key in the event's transaction; a repeated key stops the event before it does anything. */
export const dedupe: Middleware = async (ctx, next) => {
  const key = dedupKey(ctx.event);
  if (!(await recordDelivery(ctx.tx, key, ctx.event.platform))) throw new DuplicateEvent(key);
  await next();
};
