import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildBot, type ChildBot } from '../helpers/child.js';
import { FeishuOpenApi } from '../helpers/feishu-openapi.js';
import { ENCRYPT_KEY, VERIFICATION_TOKEN } from '../helpers/feishu-events.js';

const root = path.resolve(import.meta.dirname, '../..');
const moduleLog = path.join(root, 'test/helpers/module-log.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-light-'));
const API_TOKEN = 'light-start-api-token-0123456789';
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Waits for something the bot does (a log line, an answer), checking every 20 ms, 30 s at most. */
async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  for (const started = Date.now(); Date.now() - started < 30_000;) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const startupDone = (bot: ChildBot) => until('the start-up work', () => bot.logLines().some((l) => l.msg === 'start-up work done'));

/** The modules a bot imported, from its module log, once it has exited. */
const modulesOf = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);
const PLATFORM_CODE = { feishu: ['/adapters/feishu/', '@larksuiteoapi'], wecom: ['/adapters/wecom/', '@wecom/'], wechaty: ['/adapters/wechaty/', '/wechaty'] };
const loadedOf = (modules: string[], platform: keyof typeof PLATFORM_CODE) =>
  modules.filter((url) => PLATFORM_CODE[platform].some((part) => url.includes(part)));

describe('a light start', () => {
  it('loads no code of a platform that is not configured: only the simulator is', async () => {
    const log = path.join(dir, 'modules-simulator.txt');
    const bot = await startChildBot(
      { DATABASE_URL: `file:${path.join(dir, 'simulator.db')}`, DATA_DIR: dir, SIMULATOR: 'on', MODULE_LOG: log },
      { imports: [moduleLog] },
    );
    await startupDone(bot);
    expect(await bot.stop()).toBe(0);
    const modules = modulesOf(log);
    expect(modules.some((url) => url.includes('/adapters/simulator/'))).toBe(true);
    expect(loadedOf(modules, 'feishu')).toEqual([]);
    expect(loadedOf(modules, 'wecom')).toEqual([]);
    expect(loadedOf(modules, 'wechaty')).toEqual([]);
    // On SQLite, neither the pg driver nor the PostgreSQL client is loaded.
    expect(modules.filter((url) => url.includes('@prisma/adapter-pg') || url.includes('/generated/prisma-pg/'))).toEqual([]);
  });

  describe('with Feishu configured', () => {
    const feishu = new FeishuOpenApi();
    beforeAll(() => feishu.start());
    afterAll(() => feishu.close());

    it('answers /healthz, then loads the Lark SDK and reads the bot info in the start-up work', async () => {
      const log = path.join(dir, 'modules-feishu.txt');
      const bot = await startChildBot(
        {
          DATABASE_URL: `file:${path.join(dir, 'feishu.db')}`,
          DATA_DIR: dir,
          SIMULATOR: 'off',
          NODE_ENV: 'production',
          FEISHU_APP_ID: 'cli_light',
          FEISHU_APP_SECRET: 'light-secret',
          FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
          FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
          FEISHU_DOMAIN: feishu.url,
          MODULE_LOG: log,
        },
        { imports: [moduleLog] },
      );
      const health = await fetch(`${bot.url}/healthz`);
      expect(await health.json()).toMatchObject({ status: 'ok', adapters: ['feishu'] });
      await startupDone(bot);
      // The bot's own open_id is read by the deferred start of the adapter.
      expect(feishu.requests.some((r) => r.path === '/open-apis/bot/v3/info')).toBe(true);
      expect(await bot.stop()).toBe(0);
      const modules = modulesOf(log);
      expect(loadedOf(modules, 'feishu').some((url) => url.includes('@larksuiteoapi'))).toBe(true);
      expect(loadedOf(modules, 'wecom')).toEqual([]);
      expect(loadedOf(modules, 'wechaty')).toEqual([]);
    });
  });

  it('takes a report sent as soon as it listens, and still does the start-up work deferred past /healthz', async () => {
    const file = path.join(dir, 'fresh.db');
    const bot = await startChildBot({ DATABASE_URL: `file:${file}`, DATA_DIR: dir, SIMULATOR: 'on', API_TOKEN });
    try {
      // At once: on a fresh database the people and chats may not be copied there yet; the report waits for them.
      const sent = await fetch(`${bot.url}/simulator/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chatId: 'intake', userId: 'zhang-li', text: '门诊3楼212诊室打印机卡纸，打不出处方，资产号PR-0231，电话8123' }),
      });
      expect(sent.status).toBe(200);
      const tickets = await fetch(`${bot.url}/api/tickets`, { headers: { authorization: `Bearer ${API_TOKEN}` } }).then((r) => r.json());
      expect(tickets).toMatchObject({ tickets: [{ reporter: { id: 'zhang-li' }, assetNumber: 'PR-0231' }] });
      await startupDone(bot);
      const db = new Database(file, { readonly: true });
      try {
        // The organisation's copy and the roster ahead, written after /healthz answered.
        expect((db.prepare('SELECT COUNT(*) AS n FROM "Person"').get() as { n: number }).n).toBeGreaterThan(10);
        expect((db.prepare('SELECT COUNT(*) AS n FROM "DutyAssignment"').get() as { n: number }).n).toBeGreaterThan(0);
        // The warm-up left nothing behind: the one ticket is the report's.
        expect((db.prepare('SELECT COUNT(*) AS n FROM "Ticket"').get() as { n: number }).n).toBe(1);
      } finally {
        db.close();
      }
    } finally {
      expect(await bot.stop()).toBe(0);
    }
  });
});
