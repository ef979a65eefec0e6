import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { IncomingEvent, Platform } from './chat/model.js';
import { RetryableSendError } from './chat/ports.js';
import type { AuditEntry } from './audit.js';

/** What became of monitoring alerts: per alert new, updated or duplicate; per request malformed, unauthorized or failed. */
export type AlertResult = 'new' | 'updated' | 'duplicate' | 'malformed' | 'unauthorized' | 'failed';

/** What /metrics reads of the incidents from the database at each scrape (bot/incidents/figures.ts). */
export interface IncidentFigures {
  /** Incidents by origin: opened by a monitoring alert, or by people's reports. */
  byOrigin: Record<'monitoring' | 'people', number>;
  /** Of the incidents monitoring saw first that people then reported: seconds from the first alert to the first report. */
  alertLeadSeconds: number[];
}

/** How one outbox row's delivery ended: sent, to be tried again, or given up. */
export type SendResult = 'sent' | 'retry' | 'dead';

/** A short, low-cardinality code for a failed send: the platform's error code when it gave one. */
export function sendErrorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'number' || (typeof code === 'string' && code.length > 0 && code.length <= 32)) return String(code);
  if (err instanceof RetryableSendError) return err.retryAfterMs !== undefined ? 'rate_limited' : 'retryable';
  return 'error';
}

/**
 * The bot's Prometheus metrics, in a registry of its own (several bots in one process, as in the
 * tests, do not clash). Counters move where things happen; the readiness check's figures are
 * gauges beside them (health/gauges.ts), read from the database when scraped.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly eventsReceived: Counter<'platform' | 'kind'>;
  private readonly eventsDeduplicated: Counter<'platform'>;
  private readonly eventSeconds: Histogram<'platform' | 'kind' | 'outcome'>;
  private readonly ticketsCreated: Counter<'priority'>;
  private readonly sends: Counter<'platform' | 'op' | 'result'>;
  private readonly sendErrors: Counter<'platform' | 'code'>;
  private readonly schedulerLag: Histogram<'job'>;
  private readonly fires: Counter<'job' | 'outcome'>;
  private readonly shed: Counter<'route'>;
  private readonly alerts: Counter<'source' | 'result'>;
  private incidentFigures?: () => Promise<IncidentFigures>;
  private figuresRead?: Promise<IncidentFigures | undefined>;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.eventsReceived = new Counter({
      name: 'helpdesk_events_received_total',
      help: 'Inbound events (messages, card clicks) that reached the router',
      labelNames: ['platform', 'kind'],
      registers,
    });
    this.shed = new Counter({
      name: 'helpdesk_callbacks_shed_total',
      help: 'Platform callbacks answered 503 because too many were already being handled (the platform retries them)',
      labelNames: ['route'],
      registers,
    });
    this.eventsDeduplicated = new Counter({
      name: 'helpdesk_events_deduplicated_total',
      help: 'Inbound events recognized as a repeated delivery and not handled again',
      labelNames: ['platform'],
      registers,
    });
    this.eventSeconds = new Histogram({
      name: 'helpdesk_event_duration_seconds',
      help: 'Time from an event reaching the router to its effects committed',
      labelNames: ['platform', 'kind', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.ticketsCreated = new Counter({
      name: 'helpdesk_tickets_created_total',
      help: 'Tickets created from reports',
      labelNames: ['priority'],
      registers,
    });
    this.sends = new Counter({
      name: 'helpdesk_outbox_sends_total',
      help: 'Outbox deliveries (send or update) by result: sent, retry (tried again later), dead (given up)',
      labelNames: ['platform', 'op', 'result'],
      registers,
    });
    this.sendErrors = new Counter({
      name: 'helpdesk_outbox_send_errors_total',
      help: 'Failed outbox deliveries by the platform error code',
      labelNames: ['platform', 'code'],
      registers,
    });
    this.schedulerLag = new Histogram({
      name: 'helpdesk_scheduler_lag_seconds',
      help: 'Seconds between a scheduled fire being due and it running',
      labelNames: ['job'],
      buckets: [0.1, 1, 5, 15, 30, 60, 300, 1800, 3600, 86_400],
      registers,
    });
    this.alerts = new Counter({
      name: 'helpdesk_alerts_received_total',
      help: 'Monitoring alerts received on POST /api/alerts/:source: per alert new, updated (resolved or fired again) or duplicate; per request malformed (400), unauthorized (401/403) or failed (503)',
      labelNames: ['source', 'result'],
      registers,
    });
    // Read from the database when scraped: the same for every instance, and right across restarts.
    const figures = () => this.incidentFiguresNow();
    new Counter({
      name: 'helpdesk_incidents_total',
      help: 'Incidents by origin: monitoring (a monitoring alert opened it before anyone reported) or people (reports opened it)',
      labelNames: ['origin'],
      registers,
      async collect() {
        const read = await figures();
        if (!read) return;
        this.reset();
        for (const [origin, n] of Object.entries(read.byOrigin)) this.inc({ origin }, n);
      },
    });
    new Histogram({
      name: 'helpdesk_incident_alert_lead_seconds',
      help: 'Of the incidents monitoring saw first, the seconds from the first alert to the first human report',
      buckets: [60, 300, 600, 900, 1800, 3600, 7200, 14_400, 86_400],
      registers,
      async collect() {
        const read = await figures();
        if (!read) return;
        this.reset();
        for (const seconds of read.alertLeadSeconds) this.observe(Math.max(0, seconds));
      },
    });
    this.fires = new Counter({
      name: 'helpdesk_scheduler_fires_total',
      help: 'Scheduled fires claimed by this instance: ran, or skipped (missed during downtime)',
      labelNames: ['job', 'outcome'],
      registers,
    });
  }

  /** An event the router finished with, and what its transaction recorded (when it committed). */
  eventHandled(event: IncomingEvent, outcome: string, seconds: number, committed: readonly AuditEntry[]): void {
    this.eventsReceived.inc({ platform: event.platform, kind: event.kind });
    if (outcome === 'duplicate') this.eventsDeduplicated.inc({ platform: event.platform });
    this.eventSeconds.observe({ platform: event.platform, kind: event.kind, outcome }, seconds);
    for (const entry of committed) {
      if (entry.action !== 'ticket.created') continue;
      const priority = (entry.after as { priority?: unknown } | undefined)?.priority;
      this.ticketsCreated.inc({ priority: typeof priority === 'string' ? priority : 'unknown' });
    }
  }

  /** One outbox delivery attempt and how it ended. */
  delivery(platform: Platform | string, op: string, result: SendResult, err?: unknown): void {
    this.sends.inc({ platform, op, result });
    if (result !== 'sent') this.sendErrors.inc({ platform, code: sendErrorCode(err) });
  }

  /** A platform callback answered 503 because too many were in progress. */
  callbackShed(route: string): void {
    this.shed.inc({ route });
  }

  /** A scheduled job's fire ran (`lagSeconds` after it was due); `skipped` older fires were recorded as skipped. */
  fired(job: string, lagSeconds: number, skipped: number): void {
    this.schedulerLag.observe({ job }, Math.max(0, lagSeconds));
    this.fires.inc({ job, outcome: 'ran' });
    if (skipped > 0) this.fires.inc({ job, outcome: 'skipped' }, skipped);
  }

  /** Monitoring alerts of one request, by what became of them (`count` alerts, or the request itself). */
  alertsReceived(source: string, result: AlertResult, count = 1): void {
    if (count > 0) this.alerts.inc({ source, result }, count);
  }

  /** Where the incidents' figures are read from (the database); until set, those metrics stay empty. */
  readIncidentsFrom(read: () => Promise<IncidentFigures>): void {
    this.incidentFigures = read;
  }

  /** One read per scrape for both incident metrics (collected together); a failed read keeps the last figures. */
  private incidentFiguresNow(): Promise<IncidentFigures | undefined> {
    const read = this.incidentFigures;
    if (!read) return Promise.resolve(undefined);
    this.figuresRead ??= read()
      .catch(() => undefined)
      .finally(() => {
        this.figuresRead = undefined;
      });
    return this.figuresRead;
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
