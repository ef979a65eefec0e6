import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN, createTestBot, type TestBot } from '../helpers/bot.js';
import { settledState } from '../helpers/every-platform.js';

/**
 * The REST API's bearer token on every route, with every way of getting it wrong (the basic
 * missing / wrong token on /api/tickets is in test/integration/http.test.ts).
 */
const ROSTER = 'date,shift,person\n2026-12-05,夜班,王伟\n';

const routes = (ticket: string): InjectOptions[] => [
  { method: 'GET', url: '/api/tickets' },
  { method: 'GET', url: '/api/tickets?status=open&limit=500' },
  { method: 'GET', url: `/api/tickets/${ticket}` },
  { method: 'GET', url: `/api/tickets/${ticket}/attachments/1` },
  { method: 'GET', url: '/api/approvals' },
  { method: 'GET', url: '/api/incidents' },
  { method: 'GET', url: '/api/incidents?status=open&system=HIS&from=2026-11-01' },
  { method: 'GET', url: '/api/audit?entity=ticket' },
  { method: 'GET', url: '/api/stats?from=2026-11-01&to=2026-12-01' },
  ...['fault-register', 'approvals-register', 'duty-log', 'monthly-summary', 'repair-forms'].map((name): InjectOptions => ({
    method: 'GET',
    url: `/api/reports/${name}.xlsx?month=2026-11`,
  })),
  { method: 'GET', url: '/api/reports/asset-quarterly.xlsx?quarter=2026-Q4' },
  { method: 'POST', url: '/api/duty/import', headers: { 'content-type': 'text/csv' }, payload: ROSTER },
  // The register is imported before the asset is asked for.
  { method: 'POST', url: '/api/assets/import', headers: { 'content-type': 'text/csv' }, payload: 'PC-0231,台式机,联想启天 M720,门诊部\n' },
  { method: 'GET', url: '/api/assets' },
  { method: 'GET', url: '/api/assets/PC-0231' },
];

const wrongCredentials: { name: string; headers: Record<string, string>; query?: string; reason: RegExp }[] = [
  { name: 'no Authorization header', headers: {}, reason: /missing bearer token/ },
  { name: 'empty bearer', headers: { authorization: 'Bearer ' }, reason: /missing bearer token/ },
  { name: 'token without the Bearer scheme', headers: { authorization: API_TOKEN }, reason: /missing bearer token/ },
  { name: 'Basic scheme', headers: { authorization: `Basic ${Buffer.from(`api:${API_TOKEN}`).toString('base64')}` }, reason: /missing bearer token/ },
  { name: 'wrong token', headers: { authorization: 'Bearer not-the-token-at-all-0000' }, reason: /invalid bearer token/ },
  { name: 'token in upper case', headers: { authorization: `Bearer ${API_TOKEN.toUpperCase()}` }, reason: /invalid bearer token/ },
  { name: 'token cut short', headers: { authorization: `Bearer ${API_TOKEN.slice(0, -1)}` }, reason: /invalid bearer token/ },
  { name: 'token with more after it', headers: { authorization: `Bearer ${API_TOKEN}x` }, reason: /invalid bearer token/ },
  { name: 'token as a prefix of the header value', headers: { authorization: `Bearer ${API_TOKEN} ${API_TOKEN}` }, reason: /invalid bearer token/ },
  { name: 'token in the query string', headers: {}, query: `token=${API_TOKEN}&access_token=${API_TOKEN}`, reason: /missing bearer token/ },
  { name: 'token in another header', headers: { 'x-api-token': API_TOKEN, cookie: `token=${API_TOKEN}` }, reason: /missing bearer token/ },
];

describe('the REST API without the right token', () => {
  let t: TestBot;
  let ticket: string;
  beforeAll(async () => {
    t = await createTestBot();
    await t.say('zhang-li', 'intake', '门诊3楼212诊室打印机卡纸，资产号PC-0231，电话8123');
    ticket = (await t.bot.db.ticket.findFirstOrThrow()).number;
  });
  afterAll(async () => t.close());

  it('answers 401 with a reason on every route, for every wrong credential, and changes nothing', async () => {
    const before = await settledState(t.bot);
    for (const route of routes(ticket)) {
      for (const wrong of wrongCredentials) {
        const url = wrong.query ? `${route.url}${String(route.url).includes('?') ? '&' : '?'}${wrong.query}` : route.url;
        const res = await t.bot.app.inject({ ...route, url, headers: { ...route.headers, ...wrong.headers } });
        const what = `${route.method} ${route.url} with ${wrong.name}`;
        expect(res.statusCode, what).toBe(401);
        expect(res.json(), what).toEqual({ error: expect.stringMatching(wrong.reason) });
        expect(res.body, what).not.toContain(ticket);
      }
    }
    expect(await settledState(t.bot)).toEqual(before);
    expect(await t.bot.db.dutyAssignment.count({ where: { date: '2026-12-05' } })).toBe(0);
    expect(await t.bot.db.asset.count()).toBe(0);
  });

  it('does what it is asked with the token (the same routes answer, the roster is imported)', async () => {
    for (const route of routes(ticket)) {
      const res = await t.bot.app.inject({ ...route, headers: { ...route.headers, authorization: `Bearer ${API_TOKEN}` } });
      // The attachment does not exist; everything else answers.
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(String(route.url).includes('/attachments/') ? 404 : 200);
    }
    expect(await t.bot.db.dutyAssignment.count({ where: { date: '2026-12-05' } })).toBe(1);
    expect(await t.bot.db.asset.count()).toBe(1);
  });

  it('answers 404 with a reason for a register that does not exist, whatever every object has by that name', async () => {
    const names = [
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'isPrototypeOf',
      '__defineGetter__',
      'prototype',
      'FAULT-REGISTER',
      'nope',
    ];
    for (const name of names) {
      for (const [url, headers] of [
        [`/api/reports/${name}.xlsx?month=2026-11`, { authorization: `Bearer ${API_TOKEN}` }],
        [`/simulator/api/reports/${name}.xlsx?month=2026-11`, {}],
        [`/api/reports/${name}?month=2026-11`, { authorization: `Bearer ${API_TOKEN}` }],
      ] as const) {
        const res = await t.bot.app.inject({ url, headers });
        expect(res.statusCode, url).toBe(404);
        expect(res.headers['content-type'], url).toContain('application/json');
        expect(res.json(), url).toEqual({
          error: `no report "${name}"; there are fault-register, approvals-register, duty-log, monthly-summary, repair-forms, asset-quarterly`,
        });
      }
    }
    // A register that exists still comes as a workbook.
    const real = await t.bot.app.inject({ url: '/api/reports/duty-log.xlsx?month=2026-11', headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(real.statusCode).toBe(200);
    expect(real.headers['content-type']).toContain('spreadsheetml');
  });

  it('offers no register named like what every object has, in chat either', async () => {
    for (const word of ['constructor', 'toString', '__proto__']) {
      const res = await t.say('huang-jun', 'engineers', `导出 ${word} 2026-11`);
      expect(res.outcome, word).toBe('refused');
      const reply = (await t.transcript('engineers')).filter((m) => m.from === 'bot').at(-1)!;
      expect(reply.text, word).not.toContain('/reports/');
    }
  });
});

describe('the REST API and registers in production (no simulator, no API_TOKEN)', () => {
  it('keeps every API route closed and the simulator’s register downloads away', async () => {
    const t = await createTestBot({ API_TOKEN: '', SIMULATOR: 'off' });
    const before = await settledState(t.bot);
    for (const route of routes('IT-20261124-0001')) {
      const res = await t.bot.app.inject({ ...route, headers: { ...route.headers, authorization: 'Bearer anything-at-all-here' } });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(503);
      expect(res.json().error).toMatch(/API_TOKEN/);
    }
    for (const name of ['fault-register', 'approvals-register', 'duty-log', 'monthly-summary', 'repair-forms', 'asset-quarterly']) {
      expect((await t.bot.app.inject({ url: `/simulator/api/reports/${name}.xlsx?month=2026-11` })).statusCode, name).toBe(404);
    }
    expect(await settledState(t.bot)).toEqual(before);
    await t.close();
  });
});
