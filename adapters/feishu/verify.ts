import { signatureMatches } from '../shared/signature.js';
import { decryptFeishu, feishuSignature } from './crypto.js';

export interface VerifyOptions {
  encryptKey?: string;
  verificationToken?: string;
  /** How far a request's timestamp may be from now (ms). */
  maxSkewMs: number;
  now: () => number;
}

export type Verified =
  { kind: 'challenge'; challenge: string } | { kind: 'event'; payload: Record<string, unknown> } | { kind: 'refused'; status: 400 | 401; reason: string };

type Headers = Record<string, string | string[] | undefined>;
const header = (headers: Headers, name: string) => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks a request to /feishu/events over its raw bytes: decryption, URL verification (answered
 * unsigned, as Feishu sends it), then the X-Lark-Signature, the timestamp's freshness and the
 * verification token. Anything forged, stale or malformed is refused with a reason.
 */
export function verifyFeishuRequest(raw: Buffer, headers: Headers, opts: VerifyOptions): Verified {
  const outer = parseObject(raw.toString('utf8'));
  if (!outer) return { kind: 'refused', status: 400, reason: 'the body is not a JSON object' };

  // Signed requests are checked over the exact bytes before anything is decrypted or read.
  const timestamp = header(headers, 'x-lark-request-timestamp');
  const nonce = header(headers, 'x-lark-request-nonce');
  const signature = header(headers, 'x-lark-signature');
  const signed = !!(timestamp && nonce && signature);
  if (opts.encryptKey && signed) {
    if (!signatureMatches(feishuSignature(timestamp, nonce, opts.encryptKey, raw), signature)) {
      return { kind: 'refused', status: 401, reason: 'bad signature' };
    }
    const sentAt = Number(timestamp) * 1000;
    if (!Number.isFinite(sentAt) || Math.abs(opts.now() - sentAt) > opts.maxSkewMs) {
      return { kind: 'refused', status: 401, reason: 'stale or invalid timestamp' };
    }
  }

  let payload = outer;
  if (typeof outer.encrypt === 'string') {
    if (!opts.encryptKey) return { kind: 'refused', status: 400, reason: 'encrypted event, but FEISHU_ENCRYPT_KEY is not set' };
    let plain: string;
    try {
      plain = decryptFeishu(outer.encrypt, opts.encryptKey);
    } catch {
      return { kind: 'refused', status: 400, reason: 'the event cannot be decrypted with FEISHU_ENCRYPT_KEY' };
    }
    const inner = parseObject(plain);
    if (!inner) return { kind: 'refused', status: 400, reason: 'the decrypted event is not a JSON object' };
    payload = inner;
  } else if (opts.encryptKey && outer.type !== 'url_verification') {
    return { kind: 'refused', status: 400, reason: 'expected an encrypted event (FEISHU_ENCRYPT_KEY is set)' };
  }

  const head = (payload.header ?? {}) as Record<string, unknown>;
  const token = typeof head.token === 'string' ? head.token : typeof payload.token === 'string' ? payload.token : undefined;
  const tokenOk = !opts.verificationToken || token === opts.verificationToken;

  // URL verification arrives unsigned; it only echoes the challenge.
  if (payload.type === 'url_verification') {
    if (!tokenOk) return { kind: 'refused', status: 401, reason: 'wrong verification token' };
    if (typeof payload.challenge !== 'string') return { kind: 'refused', status: 400, reason: 'no challenge' };
    return { kind: 'challenge', challenge: payload.challenge };
  }
  if (opts.encryptKey && !signed) return { kind: 'refused', status: 401, reason: 'missing signature headers' };
  if (!tokenOk) return { kind: 'refused', status: 401, reason: 'wrong verification token' };
  if (payload.schema !== '2.0' || typeof head.event_type !== 'string') {
    return { kind: 'refused', status: 400, reason: 'not a schema 2.0 event' };
  }
  return { kind: 'event', payload };
}
