import type { NormalisedAlert } from './types.js';
import { AlertPayloadError, at, objectAt, optionalText, optionalTime, status, stringMap, time, type Json } from './payload.js';
import type { AlertParser } from './parsers.js';

/**
 * Prometheus Alertmanager's webhook body (`version: "4"`): a group of alerts, re-sent whole each
 * group_interval while anything in it changes and each repeat_interval while nothing does. Each
 * alert stands alone (the group's own `status` only says whether any fires); unknown fields are
 * ignored, as newer releases add some. Grafana's webhook is the same body with more fields
 * (grafana.ts reads it with `readAlertGroup` too).
 */

const FINGERPRINT = /^[0-9a-f]{1,32}$/i;

/**
 * Alertmanager's fingerprint of a label set (prometheus/common `LabelSet.Fingerprint`): FNV-1a 64
 * over each name and value, sorted by name, each followed by 0xFF, printed as 16 hex digits. For
 * senders older than 0.19, which send none.
 */
export function labelsFingerprint(labels: Record<string, string>): string {
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  let hash = 0xcbf29ce484222325n;
  const feed = (bytes: Uint8Array) => {
    for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * prime) & mask;
  };
  const encoder = new TextEncoder();
  const separator = new Uint8Array([0xff]);
  // Label names are ASCII (Prometheus's rule), so code-unit order is Go's byte order.
  for (const name of Object.keys(labels).sort()) {
    feed(encoder.encode(name));
    feed(separator);
    feed(encoder.encode(labels[name]!));
    feed(separator);
  }
  return hash.toString(16).padStart(16, '0');
}

/** One alert of a group, at `alerts[i]`. */
function readAlert(raw: unknown, path: string, source: string, link: (alert: Json, path: string) => string | undefined): NormalisedAlert {
  const alert = objectAt(raw, path);
  const labels = stringMap(alert, 'labels', path);
  if (Object.keys(labels).length === 0) throw new AlertPayloadError(at(path, 'labels'), 'must name the alert (no labels given)');
  const annotations = stringMap(alert, 'annotations', path, false);
  const given = optionalText(alert, 'fingerprint', path, 64);
  if (given !== undefined && !FINGERPRINT.test(given)) throw new AlertPayloadError(at(path, 'fingerprint'), 'must be hexadecimal, as Alertmanager writes it');
  const summary = annotations.summary?.trim() || annotations.description?.trim() || labels.alertname?.trim() || given || 'alert';
  return {
    source,
    fingerprint: (given ?? labelsFingerprint(labels)).toLowerCase(),
    status: status(alert, 'status', path),
    startsAt: time(alert, 'startsAt', path),
    endsAt: optionalTime(alert, 'endsAt', path),
    severity: labels.severity?.trim() ?? '',
    summary: summary.slice(0, 500),
    link: link(alert, path),
    labels,
  };
}

/** The alerts of an Alertmanager-shaped group whose `version` is one of `versions`. */
export function readAlertGroup(
  body: unknown,
  source: string,
  versions: readonly string[],
  link: (alert: Json, path: string) => string | undefined,
): NormalisedAlert[] {
  const group = objectAt(body, '');
  if (group.version !== undefined && !versions.includes(String(group.version))) {
    throw new AlertPayloadError(
      'version',
      `must be ${versions.map((v) => `"${v}"`).join(' or ')} (got ${JSON.stringify(group.version)}): is this the ${source} webhook?`,
    );
  }
  const alerts = group.alerts;
  if (alerts === undefined || alerts === null) throw new AlertPayloadError('alerts', 'is missing');
  if (!Array.isArray(alerts)) throw new AlertPayloadError('alerts', 'must be an array');
  if (alerts.length === 0) throw new AlertPayloadError('alerts', 'is empty');
  return alerts.map((raw, i) => readAlert(raw, at('alerts', i), source, link));
}

const generatorLink = (alert: Json, path: string) => optionalText(alert, 'generatorURL', path, 2000);

export const alertmanager: AlertParser = (body, { source }) => readAlertGroup(body, source, ['4'], generatorLink);
