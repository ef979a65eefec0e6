import type { NormalisedAlert } from './types.js';
import { AlertPayloadError, at, objectAt, optionalText, optionalTime, status, stringMap, text, time } from './payload.js';
import type { AlertParser } from './parsers.js';

/**
 * Our own JSON, for any sender that can post one (a script, a monitoring tool we have no parser
 * for): one alert, or `{ "alerts": [ … ] }`.
 *
 *   { "fingerprint": "his-db-latency", "status": "firing", "system": "HIS", "severity": "critical",
 *     "summary": "HIS database responding slowly", "startsAt": "2026-03-10T09:15:02+08:00",
 *     "endsAt": "…" (when resolved), "link": "…", "labels": { … } }
 */
function readOne(raw: unknown, path: string, source: string): NormalisedAlert {
  const alert = objectAt(raw, path);
  const fingerprint = text(alert, 'fingerprint', path, 200);
  const system = text(alert, 'system', path, 200);
  return {
    source,
    fingerprint,
    status: status(alert, 'status', path),
    startsAt: time(alert, 'startsAt', path),
    endsAt: optionalTime(alert, 'endsAt', path),
    system,
    severity: text(alert, 'severity', path, 50),
    summary: text(alert, 'summary', path, 500),
    link: optionalText(alert, 'link', path),
    labels: { ...stringMap(alert, 'labels', path, false), system },
  };
}

export const generic: AlertParser = (raw, { source }) => {
  const body = objectAt(raw, '');
  if (!('alerts' in body)) return [readOne(body, '', source)];
  const alerts = body.alerts;
  if (!Array.isArray(alerts)) throw new AlertPayloadError('alerts', 'must be an array of alerts');
  if (alerts.length === 0) throw new AlertPayloadError('alerts', 'is empty');
  return alerts.map((a, i) => readOne(a, at('alerts', i), source));
};
