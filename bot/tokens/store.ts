import { createHash, randomBytes } from 'node:crypto';
import type { ApiToken } from '../../generated/prisma/client.js';
import type { Db } from '../db/client.js';
import { transact } from '../db/transact.js';
import { isTokenScope, TOKEN_SCOPES, type TokenScope } from './scope.js';

/** Every token begins so: the API guard looks up only such tokens in the database. */
export const TOKEN_PREFIX = 'hd_';
/** How much of a token is kept in the clear to tell it apart (`hd_` and 8 characters). */
const SHOWN_CHARS = TOKEN_PREFIX.length + 8;
/** `lastUsedAt` is written at most this often per token, so reads stay reads. */
export const LAST_USED_EVERY_MS = 60_000;
const NAME = /^[^\p{Cc}\p{Cf}]{1,64}$/u;

/** A token as lists show it: never the token itself (it is not kept), only its first characters. */
export interface TokenListing {
  id: number;
  name: string;
  scope: TokenScope;
  prefix: string;
  createdAt: Date;
  createdBy: string | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** A token just made: the only time the whole token is known. */
export interface CreatedToken extends TokenListing {
  token: string;
}

export type TokenErrorCode = 'bad_name' | 'bad_scope' | 'name_taken' | 'not_found' | 'ambiguous' | 'already_revoked';

/** A token that cannot be made or revoked as asked; the message says why, for the admin who asked. */
export class TokenError extends Error {
  constructor(
    readonly code: TokenErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

/** The SHA-256 of a whole token, as the database keeps it. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function listing(row: ApiToken): TokenListing {
  return {
    id: row.id,
    name: row.name,
    scope: isTokenScope(row.scope) ? row.scope : 'read',
    prefix: row.prefix,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

/**
 * Makes a token (32 random bytes, `hd_…`) named `name` with `scope` and keeps only its hash: the
 * token is in the answer and nowhere else. A name already used by a token not revoked is refused.
 */
export async function createToken(db: Db, opts: { name: string; scope: string; createdBy?: string; now?: Date }): Promise<CreatedToken> {
  const name = opts.name.trim();
  if (!NAME.test(name)) throw new TokenError('bad_name', 'a token name is 1 to 64 characters, without control characters');
  if (!isTokenScope(opts.scope)) throw new TokenError('bad_scope', `a token scope is one of ${TOKEN_SCOPES.join(', ')}`);
  const scope = opts.scope;
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const now = opts.now ?? new Date();
  const row = await transact(db, async (tx) => {
    if (await tx.apiToken.findFirst({ where: { name, revokedAt: null } })) {
      throw new TokenError('name_taken', `a token named "${name}" exists already: revoke it first, or choose another name`);
    }
    return tx.apiToken.create({
      data: { name, scope, hash: tokenHash(token), prefix: token.slice(0, SHOWN_CHARS), createdAt: now, createdBy: opts.createdBy ?? null },
    });
  });
  return { ...listing(row), token };
}

/** Every token, oldest first; the revoked ones too unless told otherwise. */
export async function listTokens(db: Db, opts: { includeRevoked?: boolean } = {}): Promise<TokenListing[]> {
  const rows = await db.apiToken.findMany({ where: opts.includeRevoked === false ? { revokedAt: null } : {}, orderBy: { id: 'asc' } });
  return rows.map(listing);
}

/**
 * Revokes one token, named by its id, its shown prefix (`hd_AbC12345`), the whole token, or the
 * name of a token not revoked. From then on it is refused (401). A token revoked already, or one
 * that cannot be told apart from another, is an error that changes nothing.
 */
export async function revokeToken(db: Db, which: string | number, opts: { now?: Date } = {}): Promise<TokenListing> {
  const now = opts.now ?? new Date();
  const asked = typeof which === 'number' ? String(which) : which.trim();
  const row = await transact(db, async (tx) => {
    const found = /^\d+$/.test(asked)
      ? await tx.apiToken.findMany({ where: { id: Number(asked) } })
      : asked.startsWith(TOKEN_PREFIX)
        ? asked.length > SHOWN_CHARS
          ? await tx.apiToken.findMany({ where: { hash: tokenHash(asked) } })
          : await tx.apiToken.findMany({ where: { prefix: { startsWith: asked } } })
        : await tx.apiToken.findMany({ where: { name: asked, revokedAt: null } });
    if (found.length === 0) throw new TokenError('not_found', `no token ${JSON.stringify(asked)}: give its id, its prefix (hd_…) or its name`);
    const open = found.filter((t) => !t.revokedAt);
    if (open.length === 0) throw new TokenError('already_revoked', `token ${found[0]!.prefix} (${found[0]!.name}) was revoked already`);
    if (open.length > 1) throw new TokenError('ambiguous', `${open.length} tokens match ${JSON.stringify(asked)}: give the id instead`);
    return tx.apiToken.update({ where: { id: open[0]!.id }, data: { revokedAt: now } });
  });
  return listing(row);
}

/** The stored token a bearer token is, revoked or not; undefined for any other string. */
export async function findToken(db: Db, token: string): Promise<TokenListing | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const row = await db.apiToken.findUnique({ where: { hash: tokenHash(token) } });
  return row ? listing(row) : undefined;
}

/** Records that a token was used now, unless that was recorded less than a minute ago (by any instance). */
export async function noteTokenUse(db: Db, token: TokenListing, now: Date): Promise<void> {
  const recent = new Date(now.getTime() - LAST_USED_EVERY_MS);
  if (token.lastUsedAt && token.lastUsedAt > recent) return;
  await db.apiToken.updateMany({ where: { id: token.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: recent } }] }, data: { lastUsedAt: now } });
}

/** Whether any token is usable (not revoked): with none and no API_TOKEN, the API is closed. */
export async function anyUsableToken(db: Db): Promise<boolean> {
  return (await db.apiToken.count({ where: { revokedAt: null } })) > 0;
}
