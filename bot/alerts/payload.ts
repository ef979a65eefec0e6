/**
 * What every alert parser needs: a refusal naming the field (`alerts[2].startsAt: …`), and
 * readers for the shapes senders use. A parser reads the whole body before anything is stored, so
 * one bad alert refuses the delivery (the sender shows the reason; nothing half-stored).
 */

/** A body that is not what its source sends: answered 400 with `field: reason`. */
export class AlertPayloadError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(field ? `${field}: ${reason}` : reason);
    this.name = 'AlertPayloadError';
  }
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `alerts[2].startsAt` from `alerts[2]` and `startsAt`. */
export const at = (path: string, key: string | number): string => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

export function objectAt(body: unknown, field: string): Json {
  if (!isObject(body)) throw new AlertPayloadError(field || 'body', 'must be a JSON object');
  return body;
}

/** A required non-empty string (trimmed), at most `max` characters. */
export function text(obj: Json, key: string, path = '', max = 2000): string {
  const value = obj[key];
  const field = at(path, key);
  if (value === undefined || value === null) throw new AlertPayloadError(field, 'is missing');
  if (typeof value !== 'string') throw new AlertPayloadError(field, 'must be a string');
  const trimmed = value.trim();
  if (trimmed === '') throw new AlertPayloadError(field, 'must not be empty');
  if (trimmed.length > max) throw new AlertPayloadError(field, `must be at most ${max} characters`);
  return trimmed;
}

/** An optional string: undefined when absent, null or empty. */
export function optionalText(obj: Json, key: string, path = '', max = 2000): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new AlertPayloadError(at(path, key), 'must be a string');
  const trimmed = value.trim();
  if (trimmed.length > max) throw new AlertPayloadError(at(path, key), `must be at most ${max} characters`);
  return trimmed || undefined;
}

/** A map of string values (labels, annotations); numbers and booleans are read as text. */
export function stringMap(obj: Json, key: string, path = '', required = true): Record<string, string> {
  const value = obj[key];
  const field = at(path, key);
  if (value === undefined || value === null) {
    if (required) throw new AlertPayloadError(field, 'is missing');
    return {};
  }
  if (!isObject(value)) throw new AlertPayloadError(field, 'must be an object of names to strings');
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'string') out[name] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[name] = String(v);
    else throw new AlertPayloadError(at(field, name), 'must be a string');
  }
  return out;
}

export function status(obj: Json, key: string, path = ''): 'firing' | 'resolved' {
  const value = obj[key];
  if (value === 'firing' || value === 'resolved') return value;
  if (value === undefined || value === null) throw new AlertPayloadError(at(path, key), 'is missing');
  throw new AlertPayloadError(at(path, key), `must be "firing" or "resolved", not ${JSON.stringify(value).slice(0, 40)}`);
}

/** RFC 3339 with a time zone: `2026-03-10T09:15:02Z`, `2026-03-10T09:15:02.512391866+08:00`. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
/** Before this, a time is Go's zero time (`0001-01-01T00:00:00Z`): an alert still firing has no end. */
const EPOCH = Date.UTC(1970, 0, 1);

function parseTime(value: unknown, field: string): Date | 'zero' {
  if (typeof value !== 'string') throw new AlertPayloadError(field, 'must be an RFC 3339 time string, like 2026-03-10T09:15:02+08:00');
  if (!RFC3339.test(value))
    throw new AlertPayloadError(field, `must be an RFC 3339 time with its offset, like 2026-03-10T09:15:02+08:00 (got ${JSON.stringify(value.slice(0, 40))})`);
  // Date reads at most milliseconds: Go's nanoseconds are cut, not rounded.
  const ms = Date.parse(value.replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(ms)) throw new AlertPayloadError(field, `is not a valid time: ${JSON.stringify(value.slice(0, 40))}`);
  return ms < EPOCH ? 'zero' : new Date(ms);
}

/** A required time: the start of a firing. */
export function time(obj: Json, key: string, path = ''): Date {
  const field = at(path, key);
  if (obj[key] === undefined || obj[key] === null || obj[key] === '') throw new AlertPayloadError(field, 'is missing');
  const parsed = parseTime(obj[key], field);
  if (parsed === 'zero') throw new AlertPayloadError(field, 'is before 1970: not the start of a firing');
  return parsed;
}

/** An optional time: undefined when absent, empty or Go's zero time. */
export function optionalTime(obj: Json, key: string, path = ''): Date | undefined {
  const value = obj[key];
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = parseTime(value, at(path, key));
  return parsed === 'zero' ? undefined : parsed;
}
