import { Gauge, type Registry } from 'prom-client';
import type { ReadinessReport } from './readiness.js';

/**
 * The readiness check's figures as Prometheus gauges, read from one check per scrape: the same
 * numbers `/readyz` shows (the outbox from the database, so right across instances and restarts).
 */
export function readinessGauges(registry: Registry, check: () => Promise<ReadinessReport>): void {
  const registers = [registry];
  const gauge = (
    name: string,
    help: string,
    read: (r: ReadinessReport, set: (v: number, labels?: Record<string, string>) => void) => void,
    labelNames: string[] = [],
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        const report = await check();
        if (labelNames.length > 0) this.reset();
        read(report, (value, labels) => (labels ? this.set(labels, value) : this.set(value)));
      },
    });
  gauge('helpdesk_ready', 'Whether the bot is ready (1) or not (0), as GET /readyz answers', (r, set) => set(r.status === 'ok' ? 1 : 0));
  gauge('helpdesk_database_writable', 'Whether the database took the readiness check’s write (1) or not (0)', (r, set) => set(r.database.writable ? 1 : 0));
  gauge(
    'helpdesk_platform_up',
    'Whether each configured platform is connected or reachable (1) or not (0)',
    (r, set) => {
      for (const [platform, status] of Object.entries(r.platforms)) set(status?.ready ? 1 : 0, { platform });
    },
    ['platform'],
  );
  // Figures that could not be read show as NaN, not as a reassuring zero.
  gauge('helpdesk_outbox_pending', 'Outbox rows waiting to be sent (or being sent)', (r, set) => set(r.outbox?.waiting ?? Number.NaN));
  gauge('helpdesk_outbox_oldest_pending_age_seconds', 'Age of the oldest outbox row waiting to be sent (0 when none waits)', (r, set) =>
    set(r.outbox?.oldestWaitingAgeSeconds ?? Number.NaN),
  );
  gauge('helpdesk_outbox_dead', 'Outbox rows given up (dead): their messages were never delivered', (r, set) => set(r.outbox?.dead ?? Number.NaN));
  gauge(
    'helpdesk_scheduler_wake_lag_seconds',
    'How late the scheduler’s last wake ran against when it was due, or how long a due wake has been waiting',
    (r, set) => set(r.scheduler.lagSeconds),
  );
}
