import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Tx } from '../db/client.js';

/**
 * The dashboard's sign-in links (`/dashboard?t=…`): an HMAC-SHA256 over the person, the expiry and the
 * generations in force when it was made, with a secret kept in the database (made at first use, so
 * every instance and every restart shares it). Revoking bumps a generation: every link made before
 * it stops working, for one person or for all.
 */

/** A link signs its holder in for this long. */
export const LINK_HOURS = 12;

const SECRET_KEY = 'dashboard.secret';
const GENERATION_ALL = 'dashboard.generation';
const generationKey = (personId: string) => `dashboard.generation:${personId}`;
/** PlatformState rows expire; these are kept for good. */
const KEPT = new Date('9999-12-31T00:00:00Z');

/** The generations a link carries: the one of everybody's links, and the person's own. */
export interface Generations {
  all: number;
  person: number;
}

/** The link's secret, made (once, whoever comes first) when the first link is asked for. */
export async function linkSecret(tx: Tx): Promise<Buffer> {
  const row = await tx.platformState.upsert({
    where: { key: SECRET_KEY },
    create: { key: SECRET_KEY, value: randomBytes(32).toString('hex'), expiresAt: KEPT },
    update: {},
  });
  return Buffer.from(row.value, 'hex');
}

async function generationOf(tx: Tx, key: string): Promise<number> {
  const row = await tx.platformState.findUnique({ where: { key } });
  return row ? Number(row.value) || 0 : 0;
}

export async function generations(tx: Tx, personId: string): Promise<Generations> {
  const [all, person] = await Promise.all([generationOf(tx, GENERATION_ALL), generationOf(tx, generationKey(personId))]);
  return { all, person };
}

/** Ends every link made so far: of one person, or (without one) of everybody. Resolves with the new generation. */
export async function revokeLinks(tx: Tx, personId?: string): Promise<number> {
  const key = personId ? generationKey(personId) : GENERATION_ALL;
  const next = (await generationOf(tx, key)) + 1;
  await tx.platformState.upsert({ where: { key }, create: { key, value: String(next), expiresAt: KEPT }, update: { value: String(next) } });
  return next;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const mac = (secret: Buffer, personId: string, expiresAt: number, g: Generations) =>
  createHmac('sha256', secret).update(`dashboard\n${personId}\n${expiresAt}\n${g.all}\n${g.person}`).digest();

/** The token of a link: `<person>.<expiry, unix seconds>.<generation>.<person's generation>.<signature>`. */
export function signLink(secret: Buffer, personId: string, expiresAt: Date, g: Generations): string {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return [b64(personId), exp, g.all, g.person, mac(secret, personId, exp, g).toString('base64url')].join('.');
}

export type LinkCheck =
  { ok: true; personId: string; expiresAt: Date } | { ok: false; reason: 'malformed' | 'forged' | 'expired' | 'revoked'; personId?: string };

/** Whether a token is one the bot made, not yet expired and not revoked. */
export async function checkLink(tx: Tx, token: string, now: Date): Promise<LinkCheck> {
  const parts = token.split('.');
  if (parts.length !== 5 || !parts.slice(1, 4).every((p) => /^\d{1,12}$/.test(p)) || !/^[\w-]{43}$/.test(parts[4]!)) {
    return { ok: false, reason: 'malformed' };
  }
  const personId = Buffer.from(parts[0]!, 'base64url').toString('utf8');
  const [exp, all, person] = parts.slice(1, 4).map(Number) as [number, number, number];
  const given = Buffer.from(parts[4]!, 'base64url');
  const expected = mac(await linkSecret(tx), personId, exp, { all, person });
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  if (exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired', personId };
  const current = await generations(tx, personId);
  if (current.all !== all || current.person !== person) return { ok: false, reason: 'revoked', personId };
  return { ok: true, personId, expiresAt: new Date(exp * 1000) };
}
