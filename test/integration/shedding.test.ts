import { afterEach, describe, expect, it, vi } from 'vitest';
import { providerOf } from '../../bot/db/client.js';
import type { TestBot } from '../helpers/bot.js';
import { createFeishuTestBot } from '../helpers/feishu-bot.js';
import { messageEvent, signedRequest } from '../helpers/feishu-events.js';
import type { FeishuOpenApi } from '../helpers/feishu-openapi.js';
import { FEISHU_CHAT, OPEN_ID } from '../helpers/feishu-org.js';

describe('platform callbacks under overload', () => {
  let feishu: FeishuOpenApi;
  let t: TestBot;

  afterEach(async () => {
    await t.close();
    await feishu.close();
  });

  it('answers 503 past the in-flight limit, and a later delivery of each shed event makes its ticket once', async () => {
    ({ feishu, t } = await createFeishuTestBot({ MAX_INFLIGHT_CALLBACKS: '3' }));
    const events = Array.from({ length: 12 }, (_, i) =>
      signedRequest(
        messageEvent({
          from: OPEN_ID['zhang-li'],
          chatId: FEISHU_CHAT.intake,
          text: `门诊3楼2${10 + i}诊室打印机卡纸，打不出处方，资产号PC-02${10 + i}，电话8123`,
          mentionBot: feishu.botOpenId,
          messageId: `om_storm_${i}`,
        }),
      ),
    );
    const post = (e: (typeof events)[number]) => t.bot.app.inject({ method: 'POST', url: '/feishu/events', headers: e.headers, payload: e.body });

    // The database is busy (another writer holds it), so the first callbacks wait inside the bot.
    let release!: () => void;
    let locked!: () => void;
    const held = new Promise<void>((resolve) => (locked = resolve));
    const busy = t.bot.db.$transaction(
      async (tx) => {
        if (providerOf(t.bot.db) === 'postgresql') await tx.$executeRawUnsafe('LOCK TABLE "InboundEvent" IN EXCLUSIVE MODE');
        locked();
        await new Promise<void>((resolve) => (release = resolve));
      },
      { timeout: 20_000 },
    );
    await held;
    const statuses: number[] = [];
    const answers = events.map((e) => post(e).then((r) => (statuses.push(r.statusCode), r)));
    await vi.waitFor(() => expect(statuses).toHaveLength(9));
    expect(statuses).toEqual(Array(9).fill(503));
    release();
    await busy;
    const first = await Promise.all(answers);
    const shed = events.filter((_, i) => first[i]!.statusCode === 503);
    expect(first.filter((r) => r.statusCode === 200)).toHaveLength(3);
    expect(first.find((r) => r.statusCode === 503)!.json()).toEqual({ error: expect.stringContaining('deliver again later') });
    expect(await t.bot.db.ticket.count()).toBe(3);

    // Feishu delivers the shed events again; then every event once more, as a late retry.
    for (const e of shed) expect((await post(e)).statusCode).toBe(200);
    expect(await t.bot.db.ticket.count()).toBe(12);
    for (const e of events) expect((await post(e)).statusCode).toBe(200);
    expect(await t.bot.db.ticket.count()).toBe(12);

    const metrics = (await t.bot.app.inject({ url: '/metrics' })).body;
    expect(metrics).toContain('helpdesk_callbacks_shed_total{route="/feishu/events"} 9');
  });
});
