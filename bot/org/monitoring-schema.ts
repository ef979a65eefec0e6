import { z } from 'zod';
import { Id } from './ids.js';

/** The payload formats the alert intake reads (bot/alerts/<format>.ts). */
export const ALERT_FORMATS = ['alertmanager', 'grafana', 'zabbix', 'generic'] as const;
export type AlertFormat = (typeof ALERT_FORMATS)[number];

const Priority = z.enum(['P1', 'P2', 'P3', 'P4']);
const Word = z.string().trim().min(1);

/**
 * How monitoring severities become priorities when the file says nothing of a word: the usual
 * Alertmanager/Grafana words and Zabbix's severity numbers (5 Disaster … 0 Not classified);
 * `default` for any other word, or none.
 */
export const DEFAULT_SEVERITIES: Readonly<Record<string, 'P1' | 'P2' | 'P3' | 'P4'>> = {
  critical: 'P1',
  disaster: 'P1',
  page: 'P1',
  emergency: 'P1',
  high: 'P2',
  error: 'P2',
  major: 'P2',
  average: 'P3',
  warning: 'P3',
  minor: 'P3',
  info: 'P4',
  information: 'P4',
  none: 'P4',
  '5': 'P1',
  '4': 'P2',
  '3': 'P3',
  '2': 'P4',
  '1': 'P4',
  '0': 'P4',
  default: 'P3',
};

export const DEFAULT_SYSTEM_LABELS = ['system', 'service', 'app'];

/**
 * A monitoring sender: `POST /api/alerts/<id>`. The four formats are sources of their own name
 * without being listed; list one to give it a secret, or to add a second sender of a format
 * (`{ id: zabbix-lab, format: zabbix, secret: … }`).
 */
const Source = z
  .object({
    id: Id,
    format: z.enum(ALERT_FORMATS).optional(),
    /** A bearer secret for this source only, beside the tokens with the `alerts` scope. */
    secret: z.string().min(16, 'a source secret is at least 16 characters (use a long random string)').optional(),
  })
  .strict();

/** The `monitoring:` section: where alerts come from and how they map to systems and priorities. */
export const Monitoring = z
  .object({
    sources: z.array(Source).default([]),
    /** Label (or Zabbix tag) names whose value names the system, tried in this order. */
    systemLabels: z.array(Word).min(1).default(DEFAULT_SYSTEM_LABELS),
    /** A label, tag or host value → a system id (matched ignoring case); system ids, names and keywords match too. */
    systems: z.record(Word, Id).default({}),
    /** A severity word or Zabbix number → a priority, over the defaults; `default` for anything else. */
    severities: z
      .record(Word, Priority)
      .default({})
      .transform((given) => ({ ...DEFAULT_SEVERITIES, ...Object.fromEntries(Object.entries(given).map(([k, v]) => [k.toLowerCase(), v])) })),
    /** An alert that resolves and fires again within this many minutes is flapping: the same alert, re-opened. */
    flapMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .default(10),
    /** How long every alert of an incident must stay resolved before the engineers are asked to confirm it. */
    settleMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .default(5),
  })
  .strict();

export type MonitoringSettings = z.output<typeof Monitoring>;
export type MonitoringSource = MonitoringSettings['sources'][number];

export const MONITORING_DEFAULTS: MonitoringSettings = Monitoring.parse({});

export function isAlertFormat(value: string): value is AlertFormat {
  return (ALERT_FORMATS as readonly string[]).includes(value);
}

/** The checks across fields: each source's format known, ids once, mapped systems existing. */
export function checkMonitoring(
  monitoring: MonitoringSettings,
  systemIds: ReadonlySet<string>,
  issue: (path: (string | number)[], message: string) => void,
): void {
  const seen = new Set<string>();
  monitoring.sources.forEach((source, i) => {
    if (seen.has(source.id)) issue(['monitoring', 'sources', i, 'id'], `duplicate source "${source.id}"`);
    seen.add(source.id);
    if (!source.format && !isAlertFormat(source.id)) {
      issue(['monitoring', 'sources', i, 'id'], `source "${source.id}" needs a format: one of ${ALERT_FORMATS.join(', ')}`);
    }
    if (source.format && isAlertFormat(source.id) && source.format !== source.id) {
      issue(['monitoring', 'sources', i, 'format'], `source "${source.id}" is the ${source.id} format; name a ${source.format} sender otherwise`);
    }
  });
  for (const [value, system] of Object.entries(monitoring.systems)) {
    if (!systemIds.has(system)) issue(['monitoring', 'systems', value], `unknown system "${system}"`);
  }
}
