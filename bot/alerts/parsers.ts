import type { AlertFormat, MonitoringSettings, MonitoringSource } from '../org/monitoring-schema.js';
import { isAlertFormat } from '../org/monitoring-schema.js';
import { alertmanager } from './alertmanager.js';
import { generic } from './generic.js';
import { grafana } from './grafana.js';
import type { NormalisedAlert } from './types.js';
import { zabbix } from './zabbix.js';

/** What a parser knows besides the body: the route's source id, and the hospital's time zone (for Zabbix local times). */
export interface ParseContext {
  source: string;
  timeZone: string;
}

/** Reads a whole body into alerts, or throws AlertPayloadError naming the first bad field. */
export type AlertParser = (body: unknown, ctx: ParseContext) => NormalisedAlert[];

export const PARSERS: Readonly<Record<AlertFormat, AlertParser>> = { alertmanager, grafana, zabbix, generic };

/** A source the route accepts: its id, its format, and its own secret when the organisation file gives one. */
export interface AlertSource {
  id: string;
  format: AlertFormat;
  secret?: string;
}

/**
 * The source `POST /api/alerts/<id>` names: one listed in the organisation file, or one of the four
 * formats by its name; undefined for any other (404).
 */
export function alertSource(monitoring: MonitoringSettings, id: string): AlertSource | undefined {
  const listed: MonitoringSource | undefined = monitoring.sources.find((s) => s.id === id);
  if (listed) {
    const format = listed.format ?? (isAlertFormat(listed.id) ? listed.id : undefined);
    return format ? { id, format, secret: listed.secret } : undefined;
  }
  return isAlertFormat(id) ? { id, format: id } : undefined;
}
