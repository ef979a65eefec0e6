import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { EventSink, Platform } from './chat/model.js';
import type { ChatAdapter } from './chat/ports.js';
import { registry } from '../commands/index.js';
import { httpBounds, limitCallbackBodies } from './api/bounds.js';
import { shedExcessCallbacks } from './api/shedding.js';
import { registerApiRoutes } from './api/routes.js';
import type { AlertIncidents } from './alerts/types.js';
import type { ApiAccess } from './api/guard.js';
import { buildPlatforms, type SimulatorAdapter } from './platforms.js';
import { inUnitOfWork, type ServiceDeps } from './services.js';
import { Organisation, type InForce } from './organisation.js';
import { syncOrganisation } from './org/sync.js';
import { AttachmentFetcher } from './attachments/fetcher.js';
import { AdjustableClock, SystemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { providerOf, type Db } from './db/client.js';
import { sqliteRoom } from './db/room.js';
import { EventGate } from './event-gate.js';
import { readinessGauges } from './health/gauges.js';
import { readIncidentFigures } from './incidents/figures.js';
import { Readiness } from './health/readiness.js';
import { loggerOptions } from './logging.js';
import { stopInOrder } from './shutdown.js';
import { Metrics } from './metrics.js';
import type { Directory } from './org/directory.js';
import { OutboxWorker } from './outbox/worker.js';
import { directoriesOf } from './people/lookup.js';
import { recall } from './people/store.js';
import { Router, type RouterDeps } from './router.js';
import { recurringJobs } from './scheduler/jobs.js';
import type { Scheduler } from './scheduler/scheduler.js';
import { Wakeups } from './scheduler/wakeups.js';
import { clockMover } from './scheduler/clock-moves.js';
import { StorageHealth } from './db/health.js';
import { warmUp } from './warm-up.js';

export interface BotDeps {
  config: Config;
  db: Db;
  directory: Directory;
  /** Defaults to the system clock, or a movable one when the simulator is on. */
  clock?: Clock;
  /** Fastify logger options (the configured level, secrets redacted, unless given); tests pass false. */
  logger?: boolean | object;
  /** Whether a year without holiday data is told in chat (at start and daily); off in tests that run on the wall clock. */
  holidayNotices?: boolean;
  /**
   * Whether `start()` first rewrites the database's copy of the organisation file (people, roles,
   * platform ids, chats, SOP articles) before any event is handled; the process does, tests that
   * wrote it already do not.
   */
  syncOrganisation?: boolean;
  /** Whether `start()` makes a dry run of a report and a claim (see warm-up.ts); the process does. */
  warmUp?: boolean;
  /** What monitoring alerts do to incidents, in place of the bot's own (tests record what it is given). */
  alertIncidents?: AlertIncidents;
}

export interface Bot {
  app: FastifyInstance;
  db: Db;
  router: Router;
  outbox: OutboxWorker;
  attachments: AttachmentFetcher;
  /** Everything time does: deadlines, reminders, scheduled jobs (`tick()` runs what is due now). */
  wakeups: Wakeups;
  scheduler: Scheduler;
  clock: Clock;
  metrics: Metrics;
  /** The configured platforms, filled once the server is ready (`app.ready()`, or `start()`). */
  adapters: Map<Platform, ChatAdapter>;
  readonly simulator?: SimulatorAdapter;
  /** The organisation file in force (its directory, the hospital's time zone and calendar). */
  readonly organisation: InForce;
  /**
   * Puts another organisation file in force without a restart: the database's copy of it
   * (people, roles, platform ids, chats, SOP articles) is rewritten first, then every unit of
   * work that starts reads the new one; the recurring jobs and the roster follow it. When the
   * copy cannot be written, it throws and the file in force stays.
   */
  reloadOrganisation(directory: Directory): Promise<void>;
  /**
   * Starts the bot (the server is started by the caller, before or after): first what events need
   * (the organisation's copy in the database, the days set by command, the roster ahead), then the
   * warm-up, the adapters' connections (the Feishu bot info, long connections), the outbox worker
   * and the wake-ups. Events that arrive meanwhile wait for the first part only. Resolves when all
   * of it is done.
   */
  start(): Promise<void>;
  /**
   * Stops taking events and lets what runs finish (see shutdown.ts), within `withinMs`
   * (SHUTDOWN_TIMEOUT_MS unless told) whatever hangs; resolves false when something still ran then.
   */
  stop(opts?: { withinMs?: number }): Promise<boolean>;
  /** Whether the bot can do its work now, with the figures to watch (what GET /readyz answers). */
  readonly readiness: Readiness;
}

/** The composition root: builds every dependency once and wires adapters → router → services → outbox. */
export function buildBot(deps: BotDeps): Bot {
  const { config, db } = deps;
  const clock = deps.clock ?? (config.simulator ? new AdjustableClock() : new SystemClock());
  const app = Fastify({
    logger: deps.logger ?? loggerOptions(config),
    // One log line per event (the router's), not two per HTTP request.
    logController: new LogController({ disableRequestLogging: true }),
    ...httpBounds(config.REQUEST_TIMEOUT_MS),
  });
  limitCallbackBodies(app);

  const adapters = new Map<Platform, ChatAdapter>();
  // What the platforms' directories can say (read from the adapters once they are built).
  const directories = directoriesOf(adapters);
  const metrics = new Metrics();
  const worker = new OutboxWorker({ db, adapters, clock, log: app.log, metrics });
  const fetcher = new AttachmentFetcher({ db, adapters, clock, log: app.log, dataDir: config.DATA_DIR });
  // The organisation file in force, read by every unit of work as it starts (reloadOrganisation swaps it).
  const organisation = new Organisation(config, deps.directory);
  const serviceDeps: ServiceDeps = organisation.live({ clock, publicUrl: config.PUBLIC_URL, alertIncidents: deps.alertIncidents });
  const holidayNotices = deps.holidayNotices ?? true;
  const wakeups = new Wakeups({
    db,
    services: serviceDeps,
    log: app.log,
    jobs: recurringJobs(organisation.directory, { holidayNotices }),
    metrics,
    directories,
  });
  const storage = new StorageHealth(() => clock.now());
  const fillRoster = () =>
    inUnitOfWork(db, serviceDeps, (s) => s.duty.generate(s.duty.today(), organisation.directory.org.duty.weeksAhead)).catch((err: unknown) =>
      app.log.warn({ err }, 'could not fill the roster ahead'),
    );
  // Its own getters, not a spread: each event reads the organisation file in force as it arrives.
  const router = new Router(
    organisation.live<Omit<RouterDeps, keyof InForce>>({
      db,
      clock,
      registry,
      log: app.log,
      metrics,
      storage,
      directories,
      onCommitted: (event) => {
        worker.wake();
        // A report or a change may be due at once (a P1 pages the duty engineer straight away).
        wakeups.soon();
        // Only a report's files become attachment rows; the periodic wake-up retries the rest.
        if (event.attachments.length > 0) fetcher.wake();
      },
    }),
  );

  // Events wait until what they need at start is in place (see start()); before start(), none is awaited.
  const gate = new EventGate(router.handle);
  const events: EventSink = gate.sink;
  const readiness = new Readiness({
    db,
    storage,
    room: providerOf(db) === 'sqlite' ? () => sqliteRoom(db) : undefined,
    adapters,
    clock,
    lag: () => wakeups.lag.figures(),
    stopping: () => gate.closed,
  });
  readinessGauges(metrics.registry, () => readiness.check());
  metrics.readIncidentsFrom(() => readIncidentFigures(db));
  const access: ApiAccess = { apiToken: config.API_TOKEN, db, now: () => clock.now() };

  shedExcessCallbacks(app, { limit: config.MAX_INFLIGHT_CALLBACKS, metrics });
  // The configured platforms are built (and their code loaded) while the server gets ready.
  // Everything an event or a clock move set in motion, done before the simulator answers.
  const settle = async () => {
    await wakeups.tick();
    await fetcher.drain();
    await worker.drain();
  };
  app.register(async (scope) => {
    const built = await buildPlatforms({
      config,
      db,
      organisation,
      clock,
      log: app.log,
      outbox: worker,
      simulator: {
        settle,
        advanceClock: clockMover(clock, () => wakeups.nextDue(), settle),
      },
    });
    for (const [platform, adapter] of built) {
      adapters.set(platform, adapter);
      adapter.routes?.(scope, events);
    }
  });
  registerApiRoutes(app, {
    config,
    db,
    organisation,
    access,
    metrics,
    readiness,
    clock,
    platforms: () => [...adapters.keys()],
    unitOfWork: (fn) => inUnitOfWork(db, serviceDeps, fn),
    afterAlerts: () => {
      worker.wake();
      wakeups.soon();
    },
  });
  let retry: NodeJS.Timeout | undefined;

  return {
    app,
    db,
    router,
    outbox: worker,
    attachments: fetcher,
    wakeups,
    scheduler: wakeups.scheduler,
    clock,
    metrics,
    adapters,
    readiness,
    get simulator() {
      return adapters.get('simulator') as SimulatorAdapter | undefined;
    },
    organisation,
    async reloadOrganisation(directory) {
      // The people remembered from the platforms' directories stay remembered.
      const next = organisation.prepare(directory.remembering(organisation.directory.rememberedPeople));
      // The days set by command, on the new calendar before anything reckons with it.
      await inUnitOfWork(db, { ...next, clock }, ({ holidays }) => holidays.load());
      await syncOrganisation(db, directory);
      organisation.swap(next);
      wakeups.scheduler.replaceJobs(recurringJobs(directory, { holidayNotices }));
      await fillRoster();
      wakeups.soon();
    },
    async start() {
      await app.ready();
      const eventsMayFlow = (async () => {
        if (deps.syncOrganisation) await syncOrganisation(db, organisation.directory);
        // The people remembered from the platforms' directories, so cards and registers show them.
        await recall(db, organisation.directory);
        // The days set by command, before any deadline is reckoned; a year without holiday data is told once.
        await inUnitOfWork(db, serviceDeps, async ({ holidays }) => {
          await holidays.load();
          if (holidayNotices) await holidays.warnMissingYears();
        });
        // Who is on duty is known before the first event and the first wake: the roster is filled ahead.
        await fillRoster();
      })();
      gate.hold(eventsMayFlow);
      await eventsMayFlow;
      if (deps.warmUp) {
        const started = performance.now();
        await warmUp({ db, registry, services: () => serviceDeps }).then(
          (did) => app.log.info({ did, ms: Math.round(performance.now() - started) }, 'warmed up'),
          (err: unknown) => app.log.warn({ err }, 'the warm-up failed; the first events compile what it would have'),
        );
      }
      for (const adapter of adapters.values()) await adapter.start(events);
      worker.start();
      // The attachment fetcher's retries; the wake-ups plan their own.
      retry = setInterval(() => fetcher.wake(), 30_000);
      retry.unref();
      fetcher.wake();
      wakeups.start();
    },
    async stop(opts = {}) {
      clearInterval(retry);
      return stopInOrder(
        {
          gate,
          adapters: adapters.values(),
          app,
          outbox: worker,
          // Background work still running would outlive the database connection.
          background: () => Promise.all([wakeups.stop(), fetcher.idle()]),
          log: app.log,
        },
        opts.withinMs ?? config.SHUTDOWN_TIMEOUT_MS,
      );
    },
  };
}
