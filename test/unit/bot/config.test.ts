import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../bot/config.js';

describe('loadConfig', () => {
  it('runs with no variables at all: SQLite under data/, simulator on, port 3000', () => {
    expect(loadConfig({})).toMatchObject({
      PORT: 3000,
      DATABASE_URL: 'file:./data/helpdesk.db',
      ORG_FILE: 'config/organisation.yaml',
      simulator: true,
    });
    expect(loadConfig({}).HOSPITAL_TZ).toBeUndefined();
  });

  it('takes HOSPITAL_TZ only as an IANA zone, and has no use for the process TZ', () => {
    expect(loadConfig({ HOSPITAL_TZ: 'Asia/Urumqi' }).HOSPITAL_TZ).toBe('Asia/Urumqi');
    for (const zone of ['UTC+8', 'CST-8', '+08:00', 'Mars/Olympus']) {
      expect(() => loadConfig({ HOSPITAL_TZ: zone }), zone).toThrow(/HOSPITAL_TZ: must be an IANA time zone such as Asia\/Shanghai/);
    }
    expect(loadConfig({ TZ: 'UTC+8' })).not.toHaveProperty('TZ');
  });

  it('turns the simulator off in production unless asked for', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).simulator).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SIMULATOR: 'on' }).simulator).toBe(true);
  });

  it('names every bad variable', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', API_TOKEN: 'short' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/^PORT: /m);
      expect(problems).toMatch(/^DATABASE_URL: must start with file:/m);
      expect(problems).toMatch(/^API_TOKEN: must be at least 16 characters/m);
    }
  });

  it('treats empty variables as unset', () => {
    const config = loadConfig({ PORT: '', API_TOKEN: '' });
    expect(config.PORT).toBe(3000);
    expect(config.API_TOKEN).toBeUndefined();
  });
});
