import { describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../../bot/clock.js';
import { loadConfig } from '../../../bot/config.js';
import { buildPlatforms, configuredPlatforms } from '../../../bot/platforms.js';
import { sampleDirectory } from '../../helpers/db.js';

const silent = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, fatal() {}, child: () => silent, level: 'silent', silent() {} };

describe('the configured platforms', () => {
  it('are the simulator alone with the defaults', async () => {
    const config = loadConfig({});
    expect(configuredPlatforms(config)).toEqual(['simulator']);
    const built = await buildPlatforms({
      config,
      db: undefined as never,
      organisation: { directory: sampleDirectory(), timeZone: 'Asia/Shanghai' },
      clock: new AdjustableClock(),
      log: silent as never,
      simulator: { settle: async () => undefined, advanceClock: async () => new Date() },
    });
    expect([...built.keys()]).toEqual(['simulator']);
    expect(built.get('simulator')!.platform).toBe('simulator');
  });

  it('turn each platform on by its own credentials, and the simulator off in production', () => {
    expect(configuredPlatforms(loadConfig({ NODE_ENV: 'production', FEISHU_APP_ID: 'cli_a', FEISHU_APP_SECRET: 's' }))).toEqual(['feishu']);
    expect(configuredPlatforms(loadConfig({ SIMULATOR: 'off', WECOM_BOT_ID: 'bot', WECOM_BOT_SECRET: 'x', WECHATY_PUPPET: 'wechaty-puppet-mock' }))).toEqual([
      'wecom',
      'wechaty',
    ]);
  });
});
