import type { FastifyInstance } from 'fastify';
import type { Platform } from '../chat/model.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { providerOf, type Db } from '../db/client.js';
import type { Readiness } from '../health/readiness.js';
import type { Metrics } from '../metrics.js';
import type { InForce } from '../organisation.js';
import { Exports } from '../reports/exports.js';
import type { Tx } from '../db/client.js';
import type { Services } from '../services.js';
import { alertRoutes } from './alerts.js';
import { approvalRoutes } from './approvals.js';
import { assetRoutes } from './assets.js';
import { auditRoutes } from './audit.js';
import { dashboardRoutes } from './dashboard.js';
import type { ApiAccess } from './guard.js';
import { healthRoutes } from './health.js';
import { incidentRoutes } from './incidents.js';
import { metricsRoutes } from './metrics.js';
import { rhythmRoutes } from './rhythm.js';
import { ticketRoutes } from './tickets.js';

export interface ApiRouteDeps {
  config: Config;
  db: Db;
  organisation: InForce;
  access: ApiAccess;
  metrics: Metrics;
  readiness: Readiness;
  clock: Clock;
  platforms: () => Platform[];
  /** Runs `fn` in one transaction with the services over it. */
  unitOfWork: <T>(fn: (services: Services, tx: Tx) => Promise<T>) => Promise<T>;
  /** After an alert delivery committed: the outbox and the wake-ups act on it now, not at their next poll. */
  afterAlerts: () => void;
}

/** The bot's HTTP interface beside the platforms' callbacks: health, metrics, the REST API, the dashboard. */
export function registerApiRoutes(app: FastifyInstance, d: ApiRouteDeps): void {
  const { db, organisation, access, unitOfWork } = d;
  const exports = () => new Exports(db, organisation.directory, organisation.timeZone);
  app.register(healthRoutes, { provider: providerOf(db), readiness: d.readiness, platforms: d.platforms, simulator: d.config.simulator });
  app.register(metricsRoutes, { metrics: d.metrics, token: d.config.METRICS_TOKEN });
  app.register(ticketRoutes, { db, organisation, access });
  app.register(approvalRoutes, { db, organisation, access });
  app.register(incidentRoutes, { db, organisation, access });
  app.register(auditRoutes, { db, organisation, access });
  app.register(assetRoutes, { db, organisation, access, unitOfWork });
  app.register(alertRoutes, {
    organisation,
    access,
    metrics: d.metrics,
    // An alert may open an incident: its cards go out, and whoever it pages at once is paged, now.
    unitOfWork: async (fn) => {
      const done = await unitOfWork(fn);
      d.afterAlerts();
      return done;
    },
  });
  app.register(rhythmRoutes, {
    access,
    organisation,
    unitOfWork,
    exports,
    simulatorDownloads: d.config.simulator ? (d.config.loopback ? 'open' : 'guarded') : 'off',
  });
  app.register(dashboardRoutes, { access, organisation, clock: d.clock, unitOfWork, exports });
}
