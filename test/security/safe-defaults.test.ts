import { afterEach, describe, expect, it } from 'vitest';
import { isLoopbackHost, loadConfig } from '../../bot/config.js';
import { createToken } from '../../bot/tokens/store.js';
import { API_TOKEN, createTestBot, type TestBot } from '../helpers/bot.js';

const REGISTER = '/simulator/api/reports/fault-register.xlsx?month=2026-11';

describe('the simulator by default', () => {
  it('is on only on a loopback address outside production, unless SIMULATOR says otherwise', () => {
    expect(loadConfig({}).simulator).toBe(true);
    for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.0.0.2']) expect(loadConfig({ HOST: host }).simulator, host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.10.5', 'helpdesk.hospital.local']) expect(loadConfig({ HOST: host }).simulator, host).toBe(false);
    expect(loadConfig({ HOST: '127.0.0.1', NODE_ENV: 'production' }).simulator).toBe(false);
    expect(loadConfig({ HOST: '0.0.0.0', SIMULATOR: 'on' }).simulator).toBe(true);
    expect(loadConfig({ HOST: '127.0.0.1', SIMULATOR: 'off' }).simulator).toBe(false);
  });

  it('tells loopback addresses from the others', () => {
    expect(['127.0.0.1', '127.1.2.3', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'localhost.evil.example', '127.0.0.1.nip.io'].some(isLoopbackHost)).toBe(false);
  });
});

describe('listening beyond loopback', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const get = (url: string, token?: string) => t.bot.app.inject({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('serves no simulator page, API, clock or register without SIMULATOR set', async () => {
    t = await createTestBot({ HOST: '0.0.0.0', SIMULATOR: '' });
    for (const url of ['/simulator', '/simulator/api/directory', '/simulator/api/chats/intake/messages', REGISTER]) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
    const clock = await t.bot.app.inject({ method: 'POST', url: '/simulator/api/clock', payload: { advanceMinutes: 60 } });
    expect(clock.statusCode).toBe(404);
    const message = await t.bot.app.inject({
      method: 'POST',
      url: '/simulator/api/messages',
      payload: { chatId: 'intake', userId: 'zhang-li', text: '打印机卡纸' },
    });
    expect(message.statusCode).toBe(404);
    expect(await t.bot.db.ticket.count()).toBe(0);
    expect((await get('/')).statusCode).toBe(200);
    expect((await get('/healthz')).json()).toMatchObject({ simulator: false, adapters: [] });
  });

  it('with SIMULATOR=on, downloads the simulator’s registers only with a token that may export', async () => {
    t = await createTestBot({ HOST: '0.0.0.0', SIMULATOR: 'on' });
    expect((await get('/simulator')).statusCode).toBe(200);
    const anonymous = await get(REGISTER);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error).toMatch(/missing bearer token/);
    expect((await get(REGISTER, API_TOKEN)).statusCode).toBe(200);
    const reader = await createToken(t.bot.db, { name: 'reader', scope: 'read' });
    const exporter = await createToken(t.bot.db, { name: 'exporter', scope: 'export' });
    expect((await get(REGISTER, reader.token)).statusCode).toBe(403);
    const file = await get(REGISTER, exporter.token);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
  });

  it('with SIMULATOR=on and no token set, answers the simulator’s register downloads 503 like the API', async () => {
    t = await createTestBot({ HOST: '0.0.0.0', SIMULATOR: 'on', API_TOKEN: '' });
    for (const url of [REGISTER, '/api/reports/fault-register.xlsx?month=2026-11', '/api/tickets']) {
      const res = await get(url, 'anything-at-all-here');
      expect(res.statusCode, url).toBe(503);
      expect(res.json().error, url).toMatch(/API_TOKEN/);
    }
  });
});

describe('on a loopback address', () => {
  it('the simulator downloads its registers without a token, as its chat links do', async () => {
    const t = await createTestBot({ HOST: '127.0.0.1', SIMULATOR: '', API_TOKEN: '' });
    try {
      const file = await t.bot.app.inject({ url: REGISTER });
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toContain('spreadsheetml');
      // The REST API still waits for a token.
      expect((await t.bot.app.inject({ url: '/api/tickets' })).statusCode).toBe(503);
    } finally {
      await t.close();
    }
  });
});
