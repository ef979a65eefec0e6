import type { FastifyBaseLogger } from 'fastify';
import type { Card, EventResult, IncomingEvent } from './chat/model.js';
import type { AuditEntry } from './audit.js';
import type { Registry } from './commands.js';
import { compose, Context } from './context.js';
import type { Db } from './db/client.js';
import { isStorageUnavailable } from './db/errors.js';
import type { StorageHealth } from './db/health.js';
import { t } from './i18n/zh.js';
import { dedupe } from './middleware/dedupe.js';
import { dispatch } from './middleware/dispatch.js';
import { answerFailure } from './middleware/error-boundary.js';
import { greetOnArrival } from './middleware/joined.js';
import { loadUser } from './middleware/load-user.js';
import type { Metrics } from './metrics.js';
import type { Outbox } from './outbox/outbox.js';
import { GroupCommit } from './db/group-commit.js';
import { lookUpSender, type LookupOutcome, type PlatformDirectories } from './people/lookup.js';
import { servicesFor, type ServiceDeps } from './services.js';

/** A UTF-16 surrogate without its pair: it has no UTF-8 form, so it cannot be stored. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const repaired = (text: string) => text.replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');

/** The event with lone surrogates in its text and form replaced by U+FFFD, so what was said still lands. */
function wellFormed(event: IncomingEvent): IncomingEvent {
  const form = event.action?.form;
  const fixForm = form && Object.values(form).some((v) => typeof v === 'string' && LONE_SURROGATE.test(v));
  const fixText = event.text !== undefined && LONE_SURROGATE.test(event.text);
  if (!fixForm && !fixText) return event;
  return {
    ...event,
    ...(fixText ? { text: repaired(event.text!) } : {}),
    ...(fixForm
      ? { action: { ...event.action!, form: Object.fromEntries(Object.entries(form).map(([k, v]) => [k, typeof v === 'string' ? repaired(v) : v])) } }
      : {}),
  };
}

/** The clicked card as this event re-rendered it, so the platform can show it in the click's response. */
function clickedCardNow(event: IncomingEvent, outbox: Outbox): Card | undefined {
  const ref = event.replyTo;
  if (event.kind !== 'action' || !ref) return undefined;
  const update = outbox.updated.find((u) => u.messageId === ref.messageId && u.chatId === ref.chatId);
  return update?.message.type === 'card' ? update.message.card : undefined;
}

export interface RouterDeps extends ServiceDeps {
  db: Db;
  registry: Registry;
  log: FastifyBaseLogger;
  /** Called after an event's effects are committed (wakes the outbox worker). */
  onCommitted?: (event: IncomingEvent) => void;
  metrics?: Pick<Metrics, 'eventHandled'>;
  /** Told whether units of work commit, for `/healthz`. */
  storage?: StorageHealth;
  /** The platforms' directories, where a sender the bot does not know is looked up. */
  directories?: PlatformDirectories;
}

/**
 * Runs each inbound event through dedupe → greet on arrival → load user → dispatch inside one transaction, so the
 * dedup key, the effect and the outbox rows commit together; resolves only after the commit
 * (rule 1: ack after commit). Events arriving together commit together, each in its own savepoint
 * (GroupCommit): one that fails rolls back alone.
 */
export class Router {
  private readonly pipeline;
  private readonly writer: GroupCommit;

  constructor(private readonly deps: RouterDeps) {
    this.pipeline = compose([dedupe, greetOnArrival, loadUser, dispatch(deps.registry)]);
    this.writer = new GroupCommit(deps.db);
  }

  handle = async (incoming: IncomingEvent): Promise<EventResult> => {
    const started = performance.now();
    const { db, log, storage } = this.deps;
    const event = wellFormed(incoming);
    let handledBy: string | undefined;
    let result: EventResult;
    let committed: readonly AuditEntry[] = [];
    try {
      // The sender is looked up in the platform's directory before the unit of work (no transaction waits on it).
      const lookup = await this.lookUp(event);
      result = await this.writer.run(async (tx) => {
        // The organisation file in force as the unit of work starts, the one its services were given.
        const ctx = new Context(event, tx, servicesFor(tx, this.deps), this.deps.directory, this.deps.timeZone);
        ctx.lookup = lookup;
        ctx.directories = this.deps.directories;
        try {
          await this.pipeline(ctx);
        } finally {
          handledBy = ctx.handledBy;
        }
        committed = ctx.services.audit.recorded;
        return {
          outcome: handledBy ? 'handled' : 'ignored',
          toast: ctx.toastResult,
          card: clickedCardNow(event, ctx.services.outbox),
        } satisfies EventResult;
      });
      storage?.succeeded();
    } catch (err) {
      committed = [];
      if (isStorageUnavailable(err)) {
        // Nothing was stored, not even the dedup key: the platform's redelivery will land once storage is back.
        storage?.failed(err);
        log.warn({ err, eventId: event.eventId, platform: event.platform }, 'event not stored: the database is unavailable; asking for it again');
        result = event.kind === 'action' ? { outcome: 'retry', toast: { type: 'error', text: t('error.storage_busy') } } : { outcome: 'retry' };
      } else {
        result = await answerFailure(err, event, db, log, () => this.deps.clock.now());
      }
    }
    if (result.outcome !== 'duplicate' && result.outcome !== 'retry') this.deps.onCommitted?.(event);
    const ms = performance.now() - started;
    this.deps.metrics?.eventHandled(event, result.outcome, ms / 1000, committed);
    log.info(
      {
        eventId: event.eventId,
        platform: event.platform,
        kind: event.kind,
        handledBy,
        outcome: result.outcome,
        ms: Math.round(ms),
      },
      'event',
    );
    return result;
  };

  /** A sender the bot does not know, looked up in the platform's directory before the unit of work (never failing the event). */
  private async lookUp(event: IncomingEvent): Promise<LookupOutcome | undefined> {
    const { db, log, directories } = this.deps;
    try {
      return await lookUpSender({ db, directories, log }, this.deps.directory, event);
    } catch (err) {
      if (isStorageUnavailable(err)) throw err;
      log.warn({ err, eventId: event.eventId }, 'could not tell whether the sender is known; going on without a directory lookup');
      return { kind: 'failed' };
    }
  }
}
