import { afterEach, describe, expect, it } from 'vitest';
import { createTestBot, type TestBot } from '../helpers/bot.js';
import { createFeishuTestBot } from '../helpers/feishu-bot.js';
import type { FeishuOpenApi } from '../helpers/feishu-openapi.js';
import { sample } from '../helpers/prometheus.js';
import { WebSocketStandIn } from '../helpers/websocket.js';
import { WeComRobotWs } from '../helpers/wecom-robot-ws.js';

/** Asks until `check` holds (the SDKs connect and reconnect on their own timers), for 10 s at most. */
async function until<T>(ask: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await ask();
    if (check(value) || Date.now() - started > 10_000) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('readiness over a long connection', () => {
  let t: TestBot | undefined;
  const servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await t?.close();
    t = undefined;
    for (const server of servers.splice(0)) await server.close();
  });

  const readyz = async () => {
    const res = await t!.bot.app.inject({ url: '/readyz' });
    return { status: res.statusCode, body: res.json() };
  };

  it('is ready only while the WeCom smart robot is connected, and again once it reconnects', async () => {
    const robot = new WeComRobotWs();
    await robot.start();
    servers.push(robot);
    t = await createTestBot({ SIMULATOR: 'off', ...robot.env() });

    // Not started: nothing arrives from WeCom yet.
    const before = await readyz();
    expect(before.status).toBe(503);
    expect(before.body.platforms.wecom).toMatchObject({ ready: false, state: 'connecting', mode: 'ws' });

    await t.bot.start();
    const up = await until(readyz, (r) => r.status === 200);
    expect(up.status).toBe(200);
    expect(up.body.platforms.wecom).toMatchObject({ ready: true, state: 'connected' });
    expect(robot.subscribes).toEqual([{ bot_id: robot.botId, secret: robot.secret }]);

    // The connection is cut and WeCom's gateway refuses new ones: not ready, and the metrics say which platform.
    robot.refusing = true;
    robot.dropAll();
    const down = await until(readyz, (r) => r.status === 503);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unavailable');
    expect(down.body.platforms.wecom).toMatchObject({ ready: false, state: 'reconnecting' });
    expect(down.body.reasons).toEqual([expect.stringMatching(/^wecom: reconnecting/)]);
    const metrics = (await t.bot.app.inject({ url: '/metrics' })).body;
    expect(sample(metrics, 'helpdesk_platform_up', { platform: 'wecom' })).toBe(0);
    expect(sample(metrics, 'helpdesk_ready')).toBe(0);

    // The gateway is back: the SDK reconnects and subscribes again.
    robot.refusing = false;
    const again = await until(readyz, (r) => r.status === 200);
    expect(again.status).toBe(200);
    expect(robot.subscribes.length).toBeGreaterThanOrEqual(2);
    expect(sample((await t.bot.app.inject({ url: '/metrics' })).body, 'helpdesk_platform_up', { platform: 'wecom' })).toBe(1);
  });

  it('is not ready with a WeCom robot whose secret is refused', async () => {
    const robot = new WeComRobotWs();
    await robot.start();
    servers.push(robot);
    t = await createTestBot({ SIMULATOR: 'off', ...robot.env(), WECOM_BOT_SECRET: 'not-the-secret' });
    await t.bot.start();
    await until(
      async () => robot.subscribes.length,
      (n) => n > 0,
    );
    const refused = await readyz();
    expect(refused.status).toBe(503);
    expect(refused.body.platforms.wecom.ready).toBe(false);
  });

  it('is ready only while the Feishu long connection is connected', async () => {
    const ws = new WebSocketStandIn();
    await ws.start();
    servers.push(ws);
    let feishu!: FeishuOpenApi;
    // The long connection's client wants an app id as Feishu issues them (cli_ and 16 hex digits).
    ({ feishu, t } = await createFeishuTestBot({ FEISHU_MODE: 'ws', FEISHU_APP_ID: 'cli_0123456789abcdef' }, (f) => (f.longConnection = ws)));
    servers.push(feishu);
    const up = await until(readyz, (r) => r.status === 200);
    expect(up.body.platforms.feishu).toMatchObject({ ready: true, state: 'connected', mode: 'ws' });

    ws.refusing = true;
    ws.dropAll();
    const down = await until(readyz, (r) => r.status === 503);
    expect(down.status).toBe(503);
    expect(down.body.platforms.feishu).toMatchObject({ ready: false, state: 'reconnecting' });

    ws.refusing = false;
    expect((await until(readyz, (r) => r.status === 200)).status).toBe(200);
    expect(ws.accepted).toBeGreaterThanOrEqual(2);
  });
});
