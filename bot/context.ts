import type { IncomingEvent, MessageRef, OutgoingMessage, Toast } from './chat/model.js';
import type { Tx } from './db/client.js';
import type { Directory, Person } from './org/directory.js';
import type { LookupOutcome, PlatformDirectories } from './people/lookup.js';
import type { ChatPurpose } from './org/schema.js';
import type { Services } from './services.js';

/** Everything a command or action sees of one inbound event. */
export class Context {
  /** Set by the load-user middleware. */
  user!: Person;
  /** The organisation's chat this event came from (by its platform binding), if known. */
  chatPurpose: ChatPurpose | undefined;
  /** The command or action that handled the event, for the log line. */
  handledBy: string | undefined;
  toastResult: Toast | undefined;
  /** What the platform's directory said of a sender the bot did not know (looked up before the unit of work). */
  lookup: LookupOutcome | undefined;
  /** The platforms' directories the bot can read, when any platform has one. */
  directories: PlatformDirectories | undefined;

  constructor(
    readonly event: IncomingEvent,
    readonly tx: Tx,
    readonly services: Services,
    readonly directory: Directory,
    readonly timeZone: string,
  ) {}

  /** The message this event is, where it was sent (a ticket's source, a reply's anchor). */
  get source(): MessageRef {
    return { platform: this.event.platform, chatId: this.event.chat.id, messageId: this.event.eventId };
  }

  /** Answers in the chat the event came from, or in its thread for a message posted in one (through the outbox). */
  async reply(message: OutgoingMessage | string): Promise<void> {
    const msg: OutgoingMessage = typeof message === 'string' ? { type: 'text', text: message } : message;
    await this.services.outbox.send({ platform: this.event.platform, chatId: this.event.chat.id }, { ...msg, ...answerPlace(this.event) });
  }

  /** The short answer a platform shows the clicker of a card button. */
  toast(text: string, type: Toast['type'] = 'success'): void {
    this.toastResult = { type, text };
  }
}

/** Where an answer to `event` goes: under a message posted in a thread, so it stays there; else the chat. */
export function answerPlace(event: IncomingEvent): { replyTo?: string } {
  return event.kind === 'message' && event.inThread ? { replyTo: event.eventId } : {};
}

export type Middleware = (ctx: Context, next: () => Promise<void>) => Promise<void>;

export function compose(middleware: Middleware[]): (ctx: Context) => Promise<void> {
  return (ctx) => {
    const step = (i: number): Promise<void> => {
      const fn = middleware[i];
      return fn ? fn(ctx, () => step(i + 1)) : Promise.resolve();
    };
    return step(0);
  };
}
