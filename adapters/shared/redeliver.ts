import type { EventResult, EventSink, IncomingEvent } from '../../bot/chat/model.js';

/** When a message the bot could not store is tried again, over about three quarters of an hour. */
const AGAIN_AFTER_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000];

/** What `sinkWithRedelivery` needs to say what it did. */
export interface RedeliveryLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * For a connection whose platform does not deliver an event again (a long connection, a personal
 * account): a message the bot answered `retry` (nothing stored: the database busy, full or
 * unreachable) is handed to the bot again later, a few times, the same event with the same id, so
 * it lands once storage is back and never twice. A click is not: its toast asked the person to
 * click again.
 */
export function sinkWithRedelivery(sink: EventSink, log: RedeliveryLog, delays: readonly number[] = AGAIN_AFTER_MS): EventSink {
  const again = (event: IncomingEvent, attempt: number) => {
    const delay = delays[attempt];
    if (delay === undefined) {
      log.error({ eventId: event.eventId, platform: event.platform, attempts: attempt + 1 }, 'message not stored after several attempts; given up');
      return;
    }
    const timer = setTimeout(() => {
      void sink(event)
        .then((result) => (result.outcome === 'retry' ? again(event, attempt + 1) : undefined))
        .catch((err: unknown) => log.error({ err, eventId: event.eventId }, 'message redelivery failed'));
    }, delay);
    timer.unref();
  };
  return async (event: IncomingEvent): Promise<EventResult> => {
    const result = await sink(event);
    if (result.outcome === 'retry' && event.kind !== 'action') {
      log.warn({ eventId: event.eventId, platform: event.platform }, 'message not stored; it is tried again shortly');
      again(event, 0);
    }
    return result;
  };
}

/** Thrown by an adapter's handler so its HTTP route answers 503: the platform delivers the event again. */
export class DeliverAgain extends Error {
  constructor() {
    super('the event was not stored; deliver it again');
    this.name = 'DeliverAgain';
  }
}
