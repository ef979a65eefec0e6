import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/config.js';
import { InstanceHeartbeat } from '../../../bot/instances.js';
import { unsafeSettings, type StartFacts } from '../../../bot/unsafe-settings.js';
import { freshDatabase, type TestDatabase } from '../../helpers/db.js';

const STRONG = 'x'.repeat(40);
/** Feishu over its long connection: a platform on, with nothing to check for HTTP callbacks. */
const FEISHU_WS = { FEISHU_APP_ID: 'cli_a', FEISHU_APP_SECRET: 's', FEISHU_MODE: 'ws' };
const none: StartFacts = { storedTokens: false, otherInstances: [] };
const warned = (env: Record<string, string>, facts: StartFacts = none) => unsafeSettings(loadConfig(env), facts);
const settings = (env: Record<string, string>, facts: StartFacts = none) => warned(env, facts).map((w) => w.setting);

describe('the warnings at start', () => {
  it('says nothing of the defaults on loopback', () => {
    expect(warned({})).toEqual([]);
  });

  it('says nothing of a production setup beyond loopback done right', () => {
    const env = {
      HOST: '0.0.0.0',
      NODE_ENV: 'production',
      API_TOKEN: STRONG,
      METRICS_TOKEN: STRONG,
      FEISHU_APP_ID: 'cli_a',
      FEISHU_APP_SECRET: 's',
      FEISHU_ENCRYPT_KEY: 'k',
      FEISHU_VERIFICATION_TOKEN: 'v',
      DATABASE_URL: 'postgresql://bot:pw@db.hospital.local/helpdesk?sslmode=verify-full',
    };
    expect(warned(env)).toEqual([]);
  });

  it('says when no platform is on: the bot could neither hear nor be heard', () => {
    expect(settings({ HOST: '0.0.0.0', NODE_ENV: 'production', API_TOKEN: STRONG, METRICS_TOKEN: STRONG })).toEqual(['platforms']);
    expect(settings({ SIMULATOR: 'off' })).toEqual(['platforms']);
  });

  it('names each setting unsafe beyond loopback, one line each, in English', () => {
    const lines = warned({ HOST: '0.0.0.0', SIMULATOR: 'on' });
    expect(lines.map((l) => l.setting)).toEqual(['SIMULATOR', 'NODE_ENV', 'API_TOKEN', 'METRICS_TOKEN']);
    for (const { message } of lines) {
      expect(message).not.toContain('\n');
      expect(message).toMatch(/^[\x20-\x7e]+$/);
    }
    expect(lines[0]!.message).toMatch(/simulator is on while the server listens on 0\.0\.0\.0/);
  });

  it('takes a stored token as a token set', () => {
    expect(settings({ HOST: '0.0.0.0', NODE_ENV: 'production', METRICS_TOKEN: STRONG, ...FEISHU_WS }, { ...none, storedTokens: true })).toEqual([]);
  });

  it('warns of short tokens anywhere', () => {
    const lines = warned({ API_TOKEN: '0123456789abcdef', METRICS_TOKEN: '0123456789abcdefghij' });
    expect(lines.map((l) => l.setting)).toEqual(['API_TOKEN', 'METRICS_TOKEN']);
    expect(lines[0]!.message).toMatch(/API_TOKEN is only 16 characters/);
    expect(lines[0]!.message).not.toContain('0123456789abcdef');
  });

  it('warns of Feishu HTTP callbacks that cannot be verified, and not of the long connection', () => {
    const feishu = { FEISHU_APP_ID: 'cli_a', FEISHU_APP_SECRET: 's' };
    expect(settings(feishu)).toEqual(['FEISHU_ENCRYPT_KEY', 'FEISHU_VERIFICATION_TOKEN']);
    expect(settings({ ...feishu, FEISHU_ENCRYPT_KEY: 'k' })).toEqual(['FEISHU_VERIFICATION_TOKEN']);
    expect(settings({ ...feishu, FEISHU_MODE: 'ws' })).toEqual([]);
  });

  it('warns of secrets sent in the clear: plain http to a platform, PostgreSQL without TLS', () => {
    expect(settings({ FEISHU_DOMAIN: 'http://open.feishu.cn' })).toEqual(['FEISHU_DOMAIN']);
    expect(settings({ WECOM_API_BASE: 'http://10.1.2.3:8080' })).toEqual(['WECOM_API_BASE']);
    expect(settings({ FEISHU_DOMAIN: 'http://127.0.0.1:9000' })).toEqual([]);
    expect(settings({ DATABASE_URL: 'postgresql://bot:pw@10.1.2.3/helpdesk' })).toEqual(['DATABASE_URL']);
    expect(settings({ DATABASE_URL: 'postgresql://bot:pw@localhost/helpdesk' })).toEqual([]);
    expect(warned({ DATABASE_URL: 'postgresql://bot:pw@10.1.2.3/helpdesk' })[0]!.message).not.toContain('pw');
  });

  it('warns of a SQLite database another bot writes to, and of verbose logs in production', () => {
    const other = { host: 'ward-server', pid: 4242, startedAt: '2026-12-03T08:00:00.000Z' };
    expect(warned({}, { ...none, otherInstances: [other] })).toEqual([
      { setting: 'DATABASE_URL', message: expect.stringMatching(/another bot uses this SQLite database \(pid 4242 on ward-server\)/) },
    ]);
    expect(settings({ NODE_ENV: 'production', LOG_LEVEL: 'debug', ...FEISHU_WS })).toEqual(['LOG_LEVEL']);
    expect(settings({ LOG_LEVEL: 'debug' })).toEqual([]);
  });
});

describe('the instances seen in a SQLite database', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(async () => database.drop());

  const seen = (key: string, value: object, expiresInMs = 60_000) =>
    database.db.platformState.create({ data: { key, value: JSON.stringify(value), expiresAt: new Date(Date.now() + expiresInMs) } });

  it('are the other bots that wrote lately, not this one, a stopped one or one gone from this host', async () => {
    const mine = new InstanceHeartbeat(database.db);
    await mine.start();
    const other = new InstanceHeartbeat(database.db);
    expect(await other.others()).toEqual([]); // the same process: a previous life in the same container, not another bot
    await seen('instance:a', { host: 'ward-server', pid: 4242, startedAt: '2026-12-03T08:00:00.000Z' });
    await seen('instance:b', { host: hostname(), pid: 2 ** 22 + 17, startedAt: '2026-12-03T08:00:00.000Z' }); // no such process here
    await seen('instance:c', { host: 'old-server', pid: 1, startedAt: '2026-12-01T08:00:00.000Z' }, -1000); // stopped beating
    expect(await other.others()).toEqual([{ host: 'ward-server', pid: 4242, startedAt: '2026-12-03T08:00:00.000Z' }]);
    await mine.stop();
    expect(await database.db.platformState.count({ where: { key: { startsWith: 'instance:' } } })).toBe(3);
  });
});
