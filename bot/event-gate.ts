import type { EventResult, EventSink, IncomingEvent } from './chat/model.js';
import { t } from './i18n/zh.js';

/**
 * Where every platform's events enter the bot: they wait for what they need at start (`hold`),
 * the ones in progress are known (so a stop can let them finish), and once `close()` is called
 * none is taken any more: each is answered `retry`, so the platform delivers it again (to this bot
 * after its restart, or to another instance).
 */
export class EventGate {
  private mayFlow: Promise<void> | undefined;
  private shut = false;
  private readonly running = new Set<Promise<EventResult>>();

  constructor(private readonly handle: EventSink) {}

  /** Events wait until `ready` settles. */
  hold(ready: Promise<void>): void {
    this.mayFlow = ready;
  }

  readonly sink: EventSink = (event: IncomingEvent) => {
    if (this.shut) return Promise.resolve(notNow(event));
    const handled = (async () => {
      await this.mayFlow;
      return this.handle(event);
    })();
    this.running.add(handled);
    void handled.finally(() => this.running.delete(handled)).catch(() => undefined);
    return handled;
  };

  /** No more events: each is answered `retry` from now on. */
  close(): void {
    this.shut = true;
  }

  get closed(): boolean {
    return this.shut;
  }

  /** Resolves once the events in progress have been handled (their effects committed, or not). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

/** An event that arrived while the bot stops: nothing stored, delivered again later; a click asks to click again. */
function notNow(event: IncomingEvent): EventResult {
  return event.kind === 'action' ? { outcome: 'retry', toast: { type: 'error', text: t('error.storage_busy') } } : { outcome: 'retry' };
}
