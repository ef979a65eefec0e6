import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { covers } from '../../../../bot/tokens/scope.js';
import { createToken, findToken, listTokens, noteTokenUse, revokeToken, TokenError } from '../../../../bot/tokens/store.js';
import { freshDatabase, type TestDatabase } from '../../../helpers/db.js';

const at = (iso: string) => new Date(iso);

describe('the API token store', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(async () => database.drop());

  it('makes a random token once and keeps only its SHA-256 and its first characters', async () => {
    const made = await createToken(database.db, { name: 'his-interface', scope: 'read', createdBy: 'root', now: at('2026-12-03T09:00:00Z') });
    expect(made.token).toMatch(/^hd_[A-Za-z0-9_-]{43}$/);
    expect(made).toMatchObject({ name: 'his-interface', scope: 'read', prefix: made.token.slice(0, 11), createdBy: 'root', revokedAt: null, lastUsedAt: null });
    const [row] = await database.db.apiToken.findMany();
    expect(row!.hash).toBe(createHash('sha256').update(made.token).digest('hex'));
    // Nowhere in the database is the token itself.
    expect(JSON.stringify(await database.db.apiToken.findMany())).not.toContain(made.token.slice(11));
    const other = await createToken(database.db, { name: 'night dashboard', scope: 'export' });
    expect(other.token).not.toBe(made.token);
    expect((await listTokens(database.db)).map((x) => [x.name, x.scope])).toEqual([
      ['his-interface', 'read'],
      ['night dashboard', 'export'],
    ]);
    expect(await listTokens(database.db)).not.toContainEqual(expect.objectContaining({ token: expect.anything() }));
  });

  it('refuses a bad name, a bad scope and a name in use, and makes nothing', async () => {
    await createToken(database.db, { name: 'reports', scope: 'export' });
    const refused = async (opts: { name: string; scope: string }) => {
      const err = await createToken(database.db, opts).catch((e: unknown) => e);
      expect(err, JSON.stringify(opts)).toBeInstanceOf(TokenError);
      return (err as TokenError).code;
    };
    expect(await refused({ name: '', scope: 'read' })).toBe('bad_name');
    expect(await refused({ name: 'x'.repeat(65), scope: 'read' })).toBe('bad_name');
    expect(await refused({ name: 'line\nbreak', scope: 'read' })).toBe('bad_name');
    expect(await refused({ name: 'ok', scope: 'write' })).toBe('bad_scope');
    expect(await refused({ name: ' reports ', scope: 'read' })).toBe('name_taken');
    expect(await database.db.apiToken.count()).toBe(1);
  });

  it('finds a token by itself, revoked or not, and nothing else', async () => {
    const made = await createToken(database.db, { name: 'a', scope: 'admin' });
    expect(await findToken(database.db, made.token)).toMatchObject({ id: made.id, scope: 'admin', revokedAt: null });
    expect(await findToken(database.db, `${made.token}x`)).toBeUndefined();
    expect(await findToken(database.db, made.prefix)).toBeUndefined();
    expect(await findToken(database.db, 'not-one-of-ours')).toBeUndefined();
  });

  it('revokes by id, by prefix, by the token or by name, once, and says what it cannot tell apart', async () => {
    const [a, b, c, d] = [
      await createToken(database.db, { name: 'a', scope: 'read' }),
      await createToken(database.db, { name: 'b', scope: 'read' }),
      await createToken(database.db, { name: 'c', scope: 'read' }),
      await createToken(database.db, { name: 'd', scope: 'read' }),
    ];
    const when = at('2026-12-03T10:00:00Z');
    expect((await revokeToken(database.db, a!.id, { now: when })).revokedAt).toEqual(when);
    expect((await revokeToken(database.db, b!.prefix)).name).toBe('b');
    expect((await revokeToken(database.db, c!.token)).name).toBe('c');
    expect((await revokeToken(database.db, 'd')).name).toBe('d');
    expect((await findToken(database.db, d!.token))!.revokedAt).not.toBeNull();

    const code = async (which: string | number) => ((await revokeToken(database.db, which).catch((e: unknown) => e)) as TokenError).code;
    expect(await code(a!.id)).toBe('already_revoked');
    expect(await code('d')).toBe('not_found');
    expect(await code('hd_nothing')).toBe('not_found');
    expect(await code(9999)).toBe('not_found');
    // The same name again, once the first is revoked; two tokens share the shortest prefix.
    await createToken(database.db, { name: 'd', scope: 'read' });
    await createToken(database.db, { name: 'e', scope: 'read' });
    expect(await code('hd_')).toBe('ambiguous');
    expect((await listTokens(database.db, { includeRevoked: false })).map((x) => x.name)).toEqual(['d', 'e']);
  });

  it('records the last use at most once a minute', async () => {
    const made = await createToken(database.db, { name: 'a', scope: 'read' });
    const used = async () => (await findToken(database.db, made.token))!.lastUsedAt;
    await noteTokenUse(database.db, (await findToken(database.db, made.token))!, at('2026-12-03T10:00:00Z'));
    expect(await used()).toEqual(at('2026-12-03T10:00:00Z'));
    await noteTokenUse(database.db, (await findToken(database.db, made.token))!, at('2026-12-03T10:00:59Z'));
    expect(await used()).toEqual(at('2026-12-03T10:00:00Z'));
    // Another instance read the row before the first write: its stale view writes nothing either.
    await noteTokenUse(database.db, { ...made, lastUsedAt: null }, at('2026-12-03T10:00:30Z'));
    expect(await used()).toEqual(at('2026-12-03T10:00:00Z'));
    await noteTokenUse(database.db, (await findToken(database.db, made.token))!, at('2026-12-03T10:01:00Z'));
    expect(await used()).toEqual(at('2026-12-03T10:01:00Z'));
  });

  it('has scopes that cover the ones below them', () => {
    expect(covers('read', 'read')).toBe(true);
    expect(covers('read', 'export')).toBe(false);
    expect(covers('export', 'read')).toBe(true);
    expect(covers('export', 'admin')).toBe(false);
    expect(covers('admin', 'export')).toBe(true);
  });

  it('has an alerts scope apart from the ladder: it posts alerts only, and admin may post them too', () => {
    expect(covers('alerts', 'alerts')).toBe(true);
    expect(covers('admin', 'alerts')).toBe(true);
    expect(covers('read', 'alerts')).toBe(false);
    expect(covers('export', 'alerts')).toBe(false);
    for (const need of ['read', 'export', 'admin'] as const) expect(covers('alerts', need)).toBe(false);
  });
});
