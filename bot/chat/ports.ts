/**
 * The two sides of a platform as the core sees them: a receiver hands events to the core's sink,
 * a sender delivers what the outbox holds. Adapters implement both; the outbox worker and the
 * attachment fetcher need only the sender.
 */
import type { FastifyInstance } from 'fastify';
import type { Attachment, EventSink, MessageRef, OutgoingMessage, Platform } from './model.js';

/** Durable, expiring facts an adapter keeps between events (shared by every instance of the bot). */
export interface PlatformState {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Thrown by adapters when a send may succeed later (rate limit, 5xx, timeout). */
export class RetryableSendError extends Error {
  /** `code`: the platform's error code (or HTTP status, or network error), for the metrics. */
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    readonly code?: number | string,
  ) {
    super(message);
    this.name = 'RetryableSendError';
  }
}

/** Thrown by adapters when the platform refused the request for good (bad request, message too old). */
export class PermanentSendError extends Error {
  constructor(
    message: string,
    readonly code?: number | string,
  ) {
    super(message);
    this.name = 'PermanentSendError';
  }
}

export interface SendOptions {
  /**
   * The same for every attempt at one outgoing message. Platforms that support it keep a repeat
   * from showing twice (Feishu's `uuid`: a repeat within an hour is dropped), so a send whose answer
   * was lost, or that a killed process left mid-way, is not duplicated when it is tried again.
   */
  idempotencyKey?: string;
}

/** How a platform's connection stands now, as the readiness check reports it. */
export interface PlatformStatus {
  /** Whether the platform can be used now: its long connection up, or its API reachable. */
  ready: boolean;
  /** One word for it: connected, connecting, reconnecting, failed, closed, reachable, unreachable, logged-out, local. */
  state: string;
  /** How it is used: `ws` (a long connection), `http` (callbacks and API calls), or a few of them. */
  mode?: string;
  /** What is wrong, when something is. */
  reason?: string;
  /** Since when it stands so (ISO 8601), where known. */
  since?: string;
}

/** The receiving side: transport only (verify, normalize, hand to the sink, ack after it resolves). */
export interface ChatReceiver {
  readonly platform: Platform;
  /** Whether the platform is connected or reachable now (the readiness check asks; cheap, never throws). */
  status?(): Promise<PlatformStatus>;
  /** HTTP routes of the adapter (callbacks, pages), registered before the server listens. */
  routes?(app: FastifyInstance, sink: EventSink): void;
  start(sink: EventSink): Promise<void>;
  stop(): Promise<void>;
}

/** A person as a platform's directory (its address book) gives them. */
export interface DirectoryUser {
  /** The id the person's events carry (Feishu open_id, WeCom userid). */
  platformId: string;
  name: string;
  mobile?: string;
  email?: string;
  /** Their departments in the directory: its ids, with names where the platform gave them. */
  departments: { id: string; name?: string }[];
}

/** A department of a platform's directory. */
export interface DirectoryDepartment {
  id: string;
  name: string;
  parentId?: string;
}

/** Everything of a platform's directory the bot may see, read page by page. */
export interface DirectoryListing {
  departments: DirectoryDepartment[];
  users: DirectoryUser[];
}

/** The sending side: what the outbox worker and the attachment fetcher call. */
export interface ChatSender {
  readonly platform: Platform;
  send(chatId: string, message: OutgoingMessage, opts?: SendOptions): Promise<{ messageId: string }>;
  update(ref: MessageRef, message: OutgoingMessage): Promise<void>;
  /** Downloads an attachment of a received message, refusing more than `maxBytes`. */
  fetchAttachment?(ref: MessageRef, attachment: Attachment, maxBytes: number): Promise<{ data: Buffer; mime?: string }>;
  /**
   * One person of the platform's directory, by the id their events carry: undefined when the
   * directory does not know them; throws when it cannot be asked (a network error, no permission).
   */
  lookupUser?(platformId: string): Promise<DirectoryUser | undefined>;
  /** The platform's whole directory as the bot may see it (departments, then the people of each). */
  readDirectory?(): Promise<DirectoryListing>;
}

/** One platform: both sides. */
export interface ChatAdapter extends ChatReceiver, ChatSender {}
