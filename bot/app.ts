import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { FeishuAdapter } from '../adapters/feishu/adapter.js';
import { SimulatorAdapter } from '../adapters/simulator/adapter.js';
import { WechatyAdapter } from '../adapters/wechaty/adapter.js';
import { WeComAdapter } from '../adapters/wecom/adapter.js';
import type { Platform } from './chat/model.js';
import type { ChatAdapter } from './chat/ports.js';
import { registry } from '../commands/index.js';
import { approvalRoutes } from './api/approvals.js';
import { metricsRoutes } from './api/metrics.js';
import { shedExcessCallbacks } from './api/shedding.js';
import { rhythmRoutes } from './api/rhythm.js';
import { DbPlatformState } from './platform-state.js';
import { Exports } from './reports/exports.js';
import { inUnitOfWork } from './services.js';
import { ticketRoutes } from './api/tickets.js';
import { AttachmentFetcher } from './attachments/fetcher.js';
import { WorkCalendar } from './calendar.js';
import { AdjustableClock, SystemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { providerOf, type Db } from './db/client.js';
import { Metrics } from './metrics.js';
import type { Directory } from './org/directory.js';
import { OutboxWorker } from './outbox/worker.js';
import { Router } from './router.js';
import { recurringJobs } from './scheduler/jobs.js';
import type { Scheduler } from './scheduler/scheduler.js';
import { Wakeups } from './scheduler/wakeups.js';

export interface BotDeps {
  config: Config;
  db: Db;
  directory: Directory;
  /** Defaults to the system clock, or a movable one when the simulator is on. */
  clock?: Clock;
  /** Fastify logger options; tests pass false. */
  logger?: boolean | object;
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
  adapters: Map<Platform, ChatAdapter>;
  simulator?: SimulatorAdapter;
  /** Starts adapters and the outbox worker (the server is started by the caller). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The composition root: builds every dependency once and wires adapters → router → services → outbox. */
export function buildBot(deps: BotDeps): Bot {
  const { config, db, directory } = deps;
  const clock = deps.clock ?? (config.simulator ? new AdjustableClock() : new SystemClock());
  const app = Fastify({
    logger: deps.logger ?? { level: config.LOG_LEVEL, redact: ['req.headers.authorization'] },
    // One log line per event (the router's), not two per HTTP request.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
  });

  const adapters = new Map<Platform, ChatAdapter>();
  const metrics = new Metrics({ db, clock });
  let outbox: OutboxWorker | undefined;
  let attachments: AttachmentFetcher | undefined;
  const calendar = new WorkCalendar(config.TZ, directory.org.hospital.workingHours, directory.org.hospital.calendar);
  const serviceDeps = { directory, clock, timeZone: config.TZ, calendar };
  const wakeups = new Wakeups({ db, services: serviceDeps, log: app.log, jobs: recurringJobs(directory), metrics });
  const router = new Router({
    db,
    ...serviceDeps,
    registry,
    log: app.log,
    metrics,
    onCommitted: (event) => {
      outbox?.wake();
      // Only a report's files become attachment rows; the periodic wake-up retries the rest.
      if (event.attachments.length > 0) attachments?.wake();
    },
  });
  outbox = new OutboxWorker({ db, adapters, clock, log: app.log, metrics });
  attachments = new AttachmentFetcher({ db, adapters, clock, log: app.log, dataDir: config.DATA_DIR });
  const worker = outbox;
  const fetcher = attachments;

  let simulator: SimulatorAdapter | undefined;
  if (config.simulator) {
    simulator = new SimulatorAdapter({
      botName: directory.botName,
      directory: {
        people: directory.allPeople().map((p) => ({
          id: p.id,
          name: p.name,
          department: directory.departmentName(p.department) ?? p.department,
          roles: p.roles,
        })),
        chats: directory.chats().map((c) => ({ id: c.id, name: c.name, purpose: c.purpose })),
      },
      // Everything an event or a clock move set in motion, done before the simulator answers.
      settle: async () => {
        await wakeups.tick();
        await fetcher.drain();
        await worker.drain();
      },
      advanceClock: (minutes) => {
        if (!(clock instanceof AdjustableClock)) throw new Error('this clock cannot be moved');
        return clock.advance(minutes);
      },
      now: () => clock.now(),
      timeZone: config.TZ,
    });
    adapters.set('simulator', simulator);
  }

  if (config.FEISHU_APP_ID && config.FEISHU_APP_SECRET) {
    adapters.set(
      'feishu',
      new FeishuAdapter({
        appId: config.FEISHU_APP_ID,
        appSecret: config.FEISHU_APP_SECRET,
        encryptKey: config.FEISHU_ENCRYPT_KEY,
        verificationToken: config.FEISHU_VERIFICATION_TOKEN,
        domain: config.FEISHU_DOMAIN,
        mode: config.FEISHU_MODE,
        userMatch: config.FEISHU_USER_MATCH,
        log: app.log,
      }),
    );
  }

  if (config.WECOM_CORP_ID || config.WECOM_BOT_ID || config.WECOM_ROBOT_TOKEN) {
    adapters.set(
      'wecom',
      new WeComAdapter({
        base: config.WECOM_API_BASE,
        corpId: config.WECOM_CORP_ID,
        agentId: config.WECOM_AGENT_ID,
        secret: config.WECOM_SECRET,
        appToken: config.WECOM_TOKEN,
        appAesKey: config.WECOM_AES_KEY,
        robot: config.WECOM_BOT_ID
          ? { mode: 'ws', botId: config.WECOM_BOT_ID, secret: config.WECOM_BOT_SECRET, wsUrl: config.WECOM_BOT_WS_URL }
          : config.WECOM_ROBOT_TOKEN
            ? { mode: 'http', token: config.WECOM_ROBOT_TOKEN, aesKey: config.WECOM_ROBOT_AES_KEY }
            : { mode: 'off' },
        botName: directory.botName,
        log: app.log,
        state: new DbPlatformState(db, clock),
      }),
    );
  }
  if (config.WECHATY_PUPPET) {
    adapters.set('wechaty', new WechatyAdapter({ puppet: config.WECHATY_PUPPET, token: config.WECHATY_PUPPET_TOKEN, botName: directory.botName, log: app.log }));
  }

  shedExcessCallbacks(app, { limit: config.MAX_INFLIGHT_CALLBACKS, metrics });
  for (const adapter of adapters.values()) adapter.routes?.(app, router.handle);

  app.get('/', async (_req, reply) => (config.simulator ? reply.redirect('/simulator') : { status: 'ok' }));
  app.get('/healthz', async (_req, reply) => {
    try {
      await db.$queryRawUnsafe('SELECT 1');
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: 'unreachable' });
    }
    return {
      status: 'ok',
      database: providerOf(db),
      adapters: [...adapters.keys()],
      simulator: config.simulator,
    };
  });
  metricsRoutes(app, { metrics, token: config.METRICS_TOKEN });
  ticketRoutes(app, { db, directory, apiToken: config.API_TOKEN });
  approvalRoutes(app, { db, directory, apiToken: config.API_TOKEN });
  rhythmRoutes(app, {
    apiToken: config.API_TOKEN,
    timeZone: config.TZ,
    unitOfWork: (fn) => inUnitOfWork(db, serviceDeps, fn),
    exports: () => new Exports(db, directory, config.TZ),
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
    simulator,
    async start() {
      for (const adapter of adapters.values()) await adapter.start(router.handle);
      worker.start();
      // The attachment fetcher's retries; the wake-ups plan their own.
      retry = setInterval(() => fetcher.wake(), 30_000);
      retry.unref();
      fetcher.wake();
      wakeups.start();
    },
    async stop() {
      clearInterval(retry);
      await worker.stop();
      // Background work still running would outlive the database connection.
      await Promise.all([wakeups.stop(), fetcher.idle()]);
      for (const adapter of adapters.values()) await adapter.stop();
      await app.close();
    },
  };
}
