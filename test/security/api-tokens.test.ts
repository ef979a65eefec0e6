import type { InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createToken, revokeToken } from '../../bot/tokens/store.js';
import { API_TOKEN, createTestBot, type TestBot } from '../helpers/bot.js';

/** Routes by what they need: reads, register downloads, writes. */
const READ: InjectOptions[] = [
  { method: 'GET', url: '/api/tickets' },
  { method: 'GET', url: '/api/approvals' },
  { method: 'GET', url: '/api/stats?from=2026-11-01&to=2026-12-01' },
];
const EXPORT: InjectOptions[] = [{ method: 'GET', url: '/api/reports/fault-register.xlsx?month=2026-11' }];
const WRITE: InjectOptions[] = [
  { method: 'POST', url: '/api/duty/import', headers: { 'content-type': 'text/csv' }, payload: 'date,shift,person\n2026-12-05,夜班,王伟\n' },
];

describe('per-user API tokens', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const call = (route: InjectOptions, token?: string) =>
    t.bot.app.inject({ ...route, headers: { ...route.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  const statuses = async (routes: InjectOptions[], token?: string) => Promise.all(routes.map(async (r) => (await call(r, token)).statusCode));

  it('let each scope use its routes and refuse the others with 403 and the reason', async () => {
    t = await createTestBot();
    const read = await createToken(t.bot.db, { name: 'his-interface', scope: 'read' });
    const exporter = await createToken(t.bot.db, { name: 'monthly registers', scope: 'export' });
    const admin = await createToken(t.bot.db, { name: 'it-director', scope: 'admin' });

    expect(await statuses(READ, read.token)).toEqual([200, 200, 200]);
    expect(await statuses(EXPORT, read.token)).toEqual([403]);
    expect(await statuses(WRITE, read.token)).toEqual([403]);
    const refused = await call(EXPORT[0]!, read.token);
    expect(refused.json()).toEqual({
      error: expect.stringMatching(
        new RegExp(`^bearer token ${read.prefix} has the scope read, which does not cover GET /api/reports/:name: it needs export$`),
      ),
    });

    expect(await statuses([...READ, ...EXPORT], exporter.token)).toEqual([200, 200, 200, 200]);
    expect(await statuses(WRITE, exporter.token)).toEqual([403]);
    expect(await t.bot.db.dutyAssignment.count({ where: { date: '2026-12-05' } })).toBe(0);

    expect(await statuses([...READ, ...EXPORT, ...WRITE], admin.token)).toEqual([200, 200, 200, 200, 200]);
    expect(await t.bot.db.dutyAssignment.count({ where: { date: '2026-12-05' } })).toBe(1);
  });

  it('keep API_TOKEN working as the bootstrap token with every scope', async () => {
    t = await createTestBot();
    await createToken(t.bot.db, { name: 'reader', scope: 'read' });
    expect(await statuses([...READ, ...EXPORT, ...WRITE], API_TOKEN)).toEqual([200, 200, 200, 200, 200]);
  });

  it('answer 401 with the reason for a revoked or an unknown token', async () => {
    t = await createTestBot();
    const made = await createToken(t.bot.db, { name: 'laptop', scope: 'admin' });
    expect((await call(READ[0]!, made.token)).statusCode).toBe(200);
    await revokeToken(t.bot.db, 'laptop');
    const revoked = await call(READ[0]!, made.token);
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json()).toEqual({ error: `bearer token ${made.prefix} (laptop) has been revoked` });
    const unknown = await call(READ[0]!, `hd_${'A'.repeat(43)}`);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual({ error: 'invalid bearer token' });
    // Its prefix alone is no token.
    expect((await call(READ[0]!, made.prefix)).statusCode).toBe(401);
    expect(await statuses(WRITE, made.token)).toEqual([401]);
  });

  it('open the API without API_TOKEN once a token is stored, and close it again when none is usable', async () => {
    t = await createTestBot({ API_TOKEN: '' });
    const closed = await call(READ[0]!);
    expect(closed.statusCode).toBe(503);
    expect(closed.json().error).toMatch(/set API_TOKEN, or create a token/);
    const made = await createToken(t.bot.db, { name: 'first', scope: 'read' });
    expect((await call(READ[0]!, made.token)).statusCode).toBe(200);
    // Open now: a caller without a token, or with a wrong one, is told 401.
    expect((await call(READ[0]!)).statusCode).toBe(401);
    expect((await call(READ[0]!, 'anything-at-all-here')).statusCode).toBe(401);
    await revokeToken(t.bot.db, made.id);
    expect((await call(READ[0]!, made.token)).statusCode).toBe(401);
    expect((await call(READ[0]!, 'anything-at-all-here')).statusCode).toBe(503);
  });

  it('record the last use at most once a minute', async () => {
    t = await createTestBot({}, undefined, new Date('2026-12-03T09:00:00+08:00'));
    const made = await createToken(t.bot.db, { name: 'poller', scope: 'read' });
    const lastUsed = async () => (await t.bot.db.apiToken.findUniqueOrThrow({ where: { id: made.id } })).lastUsedAt;
    expect(await lastUsed()).toBeNull();
    await call(READ[0]!, made.token);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    expect(Math.abs(first!.getTime() - t.clock.now().getTime())).toBeLessThan(5_000);
    for (let i = 0; i < 5; i++) await call(READ[1]!, made.token);
    expect(await lastUsed()).toEqual(first);
    t.clock.advance(1);
    await call(READ[0]!, made.token);
    expect((await lastUsed())!.getTime()).toBeGreaterThanOrEqual(first!.getTime() + 60_000);
    // A refused request is no use of the token.
    const before = await lastUsed();
    t.clock.advance(2);
    await call(WRITE[0]!, made.token);
    expect(await lastUsed()).toEqual(before);
  });
});
