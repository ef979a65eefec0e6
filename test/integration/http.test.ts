import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN, createTestBot, type TestBot } from '../helpers/bot.js';
import { testDatabaseKind } from '../helpers/db.js';

describe('HTTP interface', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await createTestBot();
    await t.say('zhang-li', 'intake', '门诊3楼212诊室打印机卡纸，资产号PC-0231，电话8123');
    await t.say('li-na', 'intake', '全院HIS都不能用了，急诊挂不了号，电话8201');
  });
  afterAll(async () => t.close());

  const get = (url: string, token?: string) => t.bot.app.inject({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('reports health once the database answers', async () => {
    const res = await get('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: testDatabaseKind === 'postgres' ? 'postgresql' : 'sqlite', adapters: ['simulator'] });
  });

  it('guards the REST API with the bearer token', async () => {
    expect((await get('/api/tickets')).statusCode).toBe(401);
    const wrong = await get('/api/tickets', 'not-the-token-at-all');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: 'invalid bearer token' });
  });

  it('lists tickets newest first, filtered by priority or status', async () => {
    const all = (await get('/api/tickets', API_TOKEN)).json();
    expect(all.total).toBe(2);
    expect(all.tickets.map((x: { priority: string }) => x.priority)).toEqual(['P1', 'P3']);
    const p1 = (await get('/api/tickets?priority=P1', API_TOKEN)).json();
    expect(p1.tickets).toHaveLength(1);
    expect(p1.tickets[0]).toMatchObject({ system: 'HIS', itGroup: { id: 'application', name: '应用支持与开发组' } });
    expect((await get('/api/tickets?status=claimed', API_TOKEN)).json()).toEqual({ total: 0, tickets: [] });
  });

  it('answers bad queries and unknown tickets with a reason', async () => {
    const bad = await get('/api/tickets?priority=P9&limit=0', API_TOKEN);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatch(/priority/);
    expect((await get('/api/tickets/not-a-number', API_TOKEN)).statusCode).toBe(400);
    const missing = await get('/api/tickets/IT-20200101-0001', API_TOKEN);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'ticket IT-20200101-0001 not found' });
  });

  it('lists the organisation in the simulator directory', async () => {
    const dir = (await get('/simulator/api/directory')).json();
    expect(dir.people).toContainEqual({ id: 'wang-wei', name: '王伟', department: '信息科', roles: ['it_engineer'] });
    expect(dir.chats).toEqual([
      { id: 'intake', name: '信息科报修群', purpose: 'intake' },
      { id: 'engineers', name: '信息科工程师群', purpose: 'engineers' },
      { id: 'leadership', name: '院领导群', purpose: 'leadership' },
    ]);
  });

  it('refuses malformed simulator requests with a reason and changes nothing', async () => {
    const before = await t.bot.db.ticket.count();
    const cases: [string, unknown][] = [
      ['/simulator/api/messages', { chatId: 'intake', userId: 'zhang-li', text: '   ' }],
      ['/simulator/api/messages', { chatId: 'nowhere', userId: 'zhang-li', text: '打印机坏了' }],
      ['/simulator/api/messages', { chatId: 'intake', userId: '../../etc', text: '打印机坏了' }],
      ['/simulator/api/messages', 'not json at all'],
      ['/simulator/api/actions', { messageId: 'sim-999', userId: 'wang-wei', action: 'ticket.claim', value: {} }],
      ['/simulator/api/clock', { advanceMinutes: -5 }],
    ];
    for (const [url, payload] of cases) {
      const res = await t.bot.app.inject({ method: 'POST', url, payload: payload as object });
      expect(res.statusCode, `${url} ${JSON.stringify(payload)}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.json().error ?? res.json().message).toBeTruthy();
    }
    expect(await t.bot.db.ticket.count()).toBe(before);
  });

  it('moves the simulator clock forward only', async () => {
    const before = new Date((await get('/simulator/api/clock')).json().now).getTime();
    const res = await t.bot.app.inject({ method: 'POST', url: '/simulator/api/clock', payload: { advanceMinutes: 90 } });
    expect(new Date(res.json().now).getTime() - before).toBeGreaterThanOrEqual(90 * 60_000);
  });
});

describe('without API_TOKEN', () => {
  it('keeps the REST API off and says how to turn it on', async () => {
    const t = await createTestBot({ API_TOKEN: '' });
    const res = await t.bot.app.inject({ url: '/api/tickets', headers: { authorization: 'Bearer anything-at-all-here' } });
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toMatch(/API_TOKEN/);
    await t.close();
  });
});

describe('with the simulator off', () => {
  it('serves no simulator page, API or clock', async () => {
    const t = await createTestBot({ SIMULATOR: 'off' });
    for (const url of ['/simulator', '/simulator/api/directory', '/simulator/api/clock']) {
      expect((await t.bot.app.inject({ url })).statusCode, url).toBe(404);
    }
    expect((await t.bot.app.inject({ method: 'POST', url: '/simulator/api/clock', payload: { advanceMinutes: 5 } })).statusCode).toBe(404);
    expect((await t.bot.app.inject({ url: '/healthz' })).json().adapters).toEqual([]);
    await t.close();
  });
});
