import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ChatReceiver } from './chat/ports.js';
import type { EventGate } from './event-gate.js';

export interface StopParts {
  gate: EventGate;
  adapters: Iterable<Pick<ChatReceiver, 'platform' | 'stop'>>;
  app: FastifyInstance;
  /** The outbox worker: resolves once the send in progress has ended. */
  outbox: { stop(): Promise<void> };
  /** The wake-ups' run and the attachment fetches in progress. */
  background: () => Promise<unknown>;
  log: FastifyBaseLogger;
}

/**
 * Stops in the order that loses nothing: no more events (each answered `retry`, so the platform
 * delivers it again) and the long connections closed; the server stops listening once the requests
 * in progress are answered; the events in progress commit; the outbox finishes the send it is in;
 * the wake-ups and fetches in progress end. Within `withinMs` whatever hangs: resolves false when
 * something was still running then (the outbox keeps what is unsent, sent again at the next start).
 */
export async function stopInOrder(parts: StopParts, withinMs: number): Promise<boolean> {
  const { gate, app, log } = parts;
  gate.close();
  let step = 'closing the platforms’ connections';
  const stopping = (async () => {
    await Promise.all(
      [...parts.adapters].map((adapter) =>
        adapter.stop().catch((err: unknown) => log.warn({ err, platform: adapter.platform }, 'platform did not stop cleanly')),
      ),
    );
    step = 'answering the requests in progress';
    await app.close();
    step = 'committing the events in progress';
    await gate.idle();
    step = 'finishing the outbox’s send in progress';
    await parts.outbox.stop();
    step = 'finishing the scheduled work and fetches in progress';
    await parts.background();
  })();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), withinMs)));
  const done = stopping.then(
    () => 'done' as const,
    (err: unknown) => {
      log.warn({ err, step }, 'a step of the stop failed');
      return 'done' as const;
    },
  );
  const outcome = await Promise.race([done, late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    log.warn({ withinMs, step }, 'stopped with work still running; the outbox keeps what is unsent');
    return false;
  }
  return true;
}
