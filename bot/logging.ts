import type { Config } from './config.js';

export const REDACTED = '[Redacted]';

/**
 * Names under which a secret is logged: the configuration's secrets (`…_SECRET`, `…_TOKEN`,
 * `…_AES_KEY`, `FEISHU_ENCRYPT_KEY`), the platforms' names for theirs (`appSecret`, `corpsecret`,
 * `encryptKey`, `access_token`, `EncodingAESKey`), the encrypted field of a callback body
 * (`encrypt`, `Encrypt`), passwords, and the credentials of an HTTP request or answer.
 */
const SECRET_NAME = /(?:secret|token|passw(?:or)?d|aes_?key|encrypt(?:_?key)?|authorization|cookie)$/i;

/** A password in a URL (`postgresql://bot:…@db/helpdesk`) and query parameters that carry a secret. */
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]*:)[^@/\s]*@/i;
const SECRET_PARAMS = /([?&](?:access_token|corpsecret|secret|key|token|password|sign)=)[^&#\s]*/gi;
/** A JSON text's string fields (a request body logged as it was sent). */
const JSON_FIELD = /"([^"\\]{1,64})"(\s*:\s*)"(?:[^"\\]|\\.)*"/g;

/** Keys whose values are left to their serializers (a request, a socket): too large to walk. */
const LEFT_ALONE = new Set(['req', 'res', 'request', 'reply', 'raw', 'socket', 'server', 'agent', 'client']);
const MAX_DEPTH = 6;

/** A URL with its password and its secret query parameters replaced. */
export function maskUrl(url: string): string {
  return url.replace(URL_PASSWORD, `$1${REDACTED}@`).replace(SECRET_PARAMS, `$1${REDACTED}`);
}

function redactString(value: string): string {
  // A WeCom group webhook's key is its chat id: anyone holding it may post to the group.
  if (value.startsWith('webhook:')) return `webhook:${REDACTED}`;
  let text = value.includes('://') || value.includes('=') ? maskUrl(value) : value;
  if (text.includes('":'))
    text = text.replace(JSON_FIELD, (field, key: string, colon: string) => (SECRET_NAME.test(key) ? `"${key}"${colon}"${REDACTED}"` : field));
  return text;
}

/** Objects worth walking: plain ones, arrays and errors (their own fields); not requests, streams or sockets. */
function walkable(value: object): boolean {
  if (Array.isArray(value) || value instanceof Error) return true;
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === Object.prototype || proto === null) return true;
  return !ArrayBuffer.isView(value) && !(value instanceof Date) && typeof (value as { on?: unknown }).on !== 'function';
}

/** A copy of `value` keeping its kind (an error stays an error of its class, with its message and stack). */
function shallowCopy(value: object): Record<string | number, unknown> {
  if (Array.isArray(value)) return value.slice() as unknown as Record<number, unknown>;
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(value)) copy[key] = (value as Record<string, unknown>)[key];
  return copy;
}

/**
 * `value` with every secret replaced by `[Redacted]`: values under a secret's name, passwords and
 * secret parameters in URLs, webhook chat ids. What holds none is returned as it is (no copy), so an
 * ordinary log line costs a walk over its few fields.
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactString(value) as T;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || !walkable(value)) return value;
  let copy: Record<string | number, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    let next: unknown;
    if (SECRET_NAME.test(key)) next = field === undefined || field === null || field === '' ? field : REDACTED;
    else next = LEFT_ALONE.has(key) ? field : redactSecrets(field, depth + 1);
    if (next !== field) (copy ??= shallowCopy(value))[key] = next;
  }
  return (copy ?? value) as T;
}

/**
 * The logger's options: the configured level, and no secret in any line (DESIGN: secrets never
 * appear in logs). Every line's fields are walked before they are written; a request's headers
 * are never logged by the request serializer, and are censored where anyone logs them.
 */
export function loggerOptions(config: Pick<Config, 'LOG_LEVEL'>) {
  return {
    level: config.LOG_LEVEL,
    // (A child logger's own fields are not walked: they name a platform or a component, never a secret.)
    formatters: { log: (fields: Record<string, unknown>) => redactSecrets(fields) },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: REDACTED },
  };
}
