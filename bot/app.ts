import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { EventSink, Platform } from './chat/model.js';
import type { ChatAdapter } from './chat/ports.js';
import { registry } from '../commands/index.js';
import { approvalRoutes } from './api/approvals.js';
import { metricsRoutes } from './api/metrics.js';
import { httpBounds, limitCallbackBodies } from './api/bounds.js';
import { shedExcessCallbacks } from './api/shedding.js';
import { rhythmRoutes } from './api/rhythm.js';
import { healthRoutes } from './api/health.js';
import { buildPlatforms, type SimulatorAdapter } from './platforms.js';
import { Exports } from './reports/exports.js';
import { inUnitOfWork, type ServiceDeps } from './services.js';
import { Organisation, type InForce } from './organisation.js';
import { syncOrganisation } from './org/sync.js';
import { ticketRoutes } from './api/tickets.js';
import { AttachmentFetcher } from './attachments/fetcher.js';
import { AdjustableClock, SystemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import { Metrics } from './metrics.js';
import type { Directory } from './org/directory.js';
import { OutboxWorker } from './outbox/worker.js';
import { directoriesOf } from './people/lookup.js';
import { recall } from './people/store.js';
import { Router, type RouterDeps } from './router.js';
import { recurringJobs } from './scheduler/jobs.js';
import type { Scheduler } from './scheduler/scheduler.js';
import { Wakeups } from './scheduler/wakeups.js';
import { StorageHealth } from './db/health.js';
import { warmUp } from './warm-up.js';

/** How many due moments one move of the simulator's clock stops at, at most (a year of daily jobs is a few thousand). */
const MAX_CLOCK_STOPS = 20_000;

/** How long `stop()` waits for running work before it gives up on it. */
const STOP_WITHIN_MS = 10_000;

export interface BotDeps {
  config: Config;
  db: Db;
  directory: Directory;
  /** Defaults to the system clock, or a movable one when the simulator is on. */
  clock?: Clock;
  /** Fastify logger options; tests pass false. */
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
  stop(): Promise<void>;
}

/** The composition root: builds every dependency once and wires adapters → router → services → outbox. */
export function buildBot(deps: BotDeps): Bot {
  const { config, db } = deps;
  const clock = deps.clock ?? (config.simulator ? new AdjustableClock() : new SystemClock());
  const app = Fastify({
    logger: deps.logger ?? { level: config.LOG_LEVEL, redact: ['req.headers.authorization'] },
    // One log line per event (the router's), not two per HTTP request.
    logController: new LogController({ disableRequestLogging: true }),
    ...httpBounds(config.REQUEST_TIMEOUT_MS),
  });
  limitCallbackBodies(app);

  const adapters = new Map<Platform, ChatAdapter>();
  // What the platforms' directories can say (read from the adapters once they are built).
  const directories = directoriesOf(adapters);
  const metrics = new Metrics({ db, clock });
  const worker = new OutboxWorker({ db, adapters, clock, log: app.log, metrics });
  const fetcher = new AttachmentFetcher({ db, adapters, clock, log: app.log, dataDir: config.DATA_DIR });
  // The organisation file in force, read by every unit of work as it starts (reloadOrganisation swaps it).
  const organisation = new Organisation(config, deps.directory);
  const serviceDeps: ServiceDeps = organisation.live({ clock });
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
  let eventsMayFlow: Promise<void> | undefined;
  const events: EventSink = async (event) => {
    await eventsMayFlow;
    return router.handle(event);
  };

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
        // Time passes as it would: the clock stops at each moment something falls due on the way.
        advanceClock: async (minutes) => {
          if (!(clock instanceof AdjustableClock)) throw new Error('this clock cannot be moved');
          if (!(minutes > 0)) throw new RangeError('the clock only moves forward');
          const target = new Date(clock.now().getTime() + minutes * 60_000);
          for (let stops = 0; stops < MAX_CLOCK_STOPS; stops++) {
            const next = await wakeups.nextDue();
            if (!next || next >= target) break;
            clock.advanceTo(next);
            await settle();
          }
          const now = clock.advanceTo(target);
          await settle();
          return now;
        },
      },
    });
    for (const [platform, adapter] of built) {
      adapters.set(platform, adapter);
      adapter.routes?.(scope, events);
    }
  });
  app.register(healthRoutes, { db, storage, platforms: () => [...adapters.keys()], simulator: config.simulator });
  app.register(metricsRoutes, { metrics, token: config.METRICS_TOKEN });
  app.register(ticketRoutes, { db, organisation, apiToken: config.API_TOKEN });
  app.register(approvalRoutes, { db, organisation, apiToken: config.API_TOKEN });
  app.register(rhythmRoutes, {
    apiToken: config.API_TOKEN,
    organisation,
    unitOfWork: (fn) => inUnitOfWork(db, serviceDeps, fn),
    exports: () => new Exports(db, organisation.directory, organisation.timeZone),
    simulator: config.simulator,
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
      eventsMayFlow = (async () => {
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
    /**
     * Stops taking work and lets what runs finish, within `STOP_WITHIN_MS` whatever is pending:
     * anything still unsent stays in the outbox for the next start.
     */
    async stop() {
      clearInterval(retry);
      const stopping = (async () => {
        await worker.stop();
        // Background work still running would outlive the database connection.
        await Promise.all([wakeups.stop(), fetcher.idle()]);
        for (const adapter of adapters.values()) await adapter.stop();
        await app.close();
      })();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), STOP_WITHIN_MS)));
      const outcome = await Promise.race([stopping, late]);
      clearTimeout(timer);
      if (outcome === 'late') app.log.warn({ withinMs: STOP_WITHIN_MS }, 'stopped with work still running; the outbox keeps what is unsent');
    },
  };
}
