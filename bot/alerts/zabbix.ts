import { zonedInstant } from '../calendar.js';
import type { NormalisedAlert } from './types.js';
import { AlertPayloadError, objectAt, optionalText, type Json } from './payload.js';
import type { AlertParser } from './parsers.js';

/**
 * Our Zabbix media type's body (deploy/zabbix/helpdesk-media-type.yaml): one call per event, every
 * value a string. A problem (`event_value` 1), its recovery (0) and updates (`event_update_status`
 * 1: acknowledged, commented …) all carry the problem's `event_id` and `event_timestamp`, so the
 * recovery resolves the firing it belongs to and an update changes nothing. The trigger is the
 * alert's identity (`zabbix:<trigger_id>`): a new problem of the same trigger soon after its
 * recovery is the same alert flapping.
 */

const NUMBER = /^[1-9]\d{0,19}$/;

function field(body: Json, key: string, required: boolean, max = 2000): string | undefined {
  const value = optionalText(body, key, '', max);
  if (required && value === undefined) throw new AlertPayloadError(key, 'is missing or empty (is the media type parameter set to its macro?)');
  return value;
}

function oneOf(body: Json, key: string, allowed: readonly string[], fallback?: string): string {
  const value = field(body, key, fallback === undefined) ?? fallback!;
  if (!allowed.includes(value))
    throw new AlertPayloadError(key, `must be ${allowed.map((a) => `"${a}"`).join(' or ')} (got ${JSON.stringify(value.slice(0, 40))})`);
  return value;
}

/** Unix seconds, as `{EVENT.TIMESTAMP}` gives them. */
function seconds(body: Json, key: string): Date | undefined {
  const value = field(body, key, false, 20);
  if (value === undefined) return undefined;
  if (!/^\d{9,11}$/.test(value)) throw new AlertPayloadError(key, `must be Unix seconds, like 1773105302 (got ${JSON.stringify(value.slice(0, 40))})`);
  return new Date(Number(value) * 1000);
}

/** `{EVENT.DATE}` `{EVENT.TIME}` (`2026.03.10` `09:15:02`), local time of the hospital: when no timestamp came. */
function localStart(body: Json, timeZone: string): Date | undefined {
  const date = field(body, 'event_date', false, 20);
  const clock = field(body, 'event_time', false, 20);
  if (!date || !clock) return undefined;
  const d = /^(\d{4})\.(\d{2})\.(\d{2})$/.exec(date);
  const c = /^(\d{2}):(\d{2}):(\d{2})$/.exec(clock);
  if (!d) throw new AlertPayloadError('event_date', `must be like 2026.03.10 (got ${JSON.stringify(date)})`);
  if (!c) throw new AlertPayloadError('event_time', `must be like 09:15:02 (got ${JSON.stringify(clock)})`);
  const at = zonedInstant(`${d[1]}-${d[2]}-${d[3]}`, `${c[1]}:${c[2]}`, timeZone);
  return new Date(at.getTime() + Number(c[3]) * 1000);
}

/** `{EVENT.TAGS}`: `service:oracle, system:HIS` (a tag without a value is its name alone). */
export function zabbixTags(tags: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (tags ?? '').split(',')) {
    const tag = part.trim();
    if (!tag) continue;
    const colon = tag.indexOf(':');
    const name = (colon < 0 ? tag : tag.slice(0, colon)).trim();
    if (name && !(name in out)) out[name] = colon < 0 ? '' : tag.slice(colon + 1).trim();
  }
  return out;
}

export const zabbix: AlertParser = (raw, { source, timeZone }) => {
  const body = objectAt(raw, '');
  if (body.version !== undefined && body.version !== '1' && body.version !== 1) {
    throw new AlertPayloadError('version', `must be "1" (got ${JSON.stringify(body.version)}): is this the help desk media type?`);
  }
  const eventSource = field(body, 'event_source', false) ?? '0';
  if (eventSource !== '0')
    throw new AlertPayloadError('event_source', `must be "0" (trigger events); got ${JSON.stringify(eventSource)}: send only trigger actions here`);
  const eventId = field(body, 'event_id', true, 20)!;
  if (!NUMBER.test(eventId)) throw new AlertPayloadError('event_id', `must be the numeric {EVENT.ID} (got ${JSON.stringify(eventId.slice(0, 40))})`);
  const triggerId = field(body, 'trigger_id', true, 20)!;
  if (!NUMBER.test(triggerId)) throw new AlertPayloadError('trigger_id', `must be the numeric {TRIGGER.ID} (got ${JSON.stringify(triggerId.slice(0, 40))})`);
  const value = oneOf(body, 'event_value', ['0', '1']);
  const update = oneOf(body, 'event_update_status', ['0', '1'], '0');
  const severity = field(body, 'event_nseverity', false, 2) ?? '';
  if (severity && !/^[0-5]$/.test(severity)) throw new AlertPayloadError('event_nseverity', `must be 0 to 5 (got ${JSON.stringify(severity)})`);
  const startsAt = seconds(body, 'event_timestamp') ?? localStart(body, timeZone);
  if (!startsAt) throw new AlertPayloadError('event_timestamp', 'is missing: give {EVENT.TIMESTAMP} (or {EVENT.DATE} and {EVENT.TIME})');
  const summary = field(body, 'event_name', false, 500) ?? field(body, 'subject', false, 500);
  if (!summary) throw new AlertPayloadError('event_name', 'is missing or empty (is the media type parameter set to {EVENT.NAME}?)');

  const labels: Record<string, string> = zabbixTags(field(body, 'event_tags', false, 4000));
  const system = field(body, 'system', false, 200);
  if (system) labels.system = system;
  for (const [key, name] of [
    ['host_host', 'host'],
    ['host_name', 'host_name'],
    ['host_ip', 'host_ip'],
    ['event_severity', 'severity_name'],
  ] as const) {
    const v = field(body, key, false, 200);
    if (v) labels[name] = v;
  }
  labels.event_id = eventId;
  labels.trigger_id = triggerId;
  if (update === '1') labels.update_action = field(body, 'event_update_action', false, 200) ?? '';

  const alert: NormalisedAlert = {
    source,
    fingerprint: `zabbix:${triggerId}`,
    status: value === '1' ? 'firing' : 'resolved',
    startsAt,
    endsAt: value === '0' ? seconds(body, 'recovery_timestamp') : undefined,
    system,
    severity,
    summary,
    link: field(body, 'event_url', false),
    labels,
  };
  return [alert];
};
