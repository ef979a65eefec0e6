import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
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

/** A raw connection that sends `head` and then one byte every `everyMs`, until the server closes it. */
function trickle(port: number, head: string, everyMs: number) {
  const started = Date.now();
  const socket = connect({ port, host: '127.0.0.1' });
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => (received += d));
  socket.on('error', () => undefined);
  socket.write(head);
  const timer = setInterval(() => socket.write(head.endsWith('\r\n\r\n') ? '{' : 'x'), everyMs);
  const closed = new Promise<{ ms: number; answer: string }>((resolve) =>
    socket.once('close', () => {
      clearInterval(timer);
      resolve({ ms: Date.now() - started, answer: received.split('\r\n')[0] ?? '' });
    }),
  );
  return { closed, destroy: () => socket.destroy() };
}

describe('requests that never finish arriving', () => {
  let feishu: FeishuOpenApi;
  let t: TestBot;

  afterEach(async () => {
    await t.close();
    await feishu.close();
  });

  it('hold no callback slot, are cut at the request timeout, and a valid event is answered at once meanwhile', async () => {
    ({ feishu, t } = await createFeishuTestBot({ MAX_INFLIGHT_CALLBACKS: '3', REQUEST_TIMEOUT_MS: '1000' }));
    await t.bot.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.bot.app.server.address() as AddressInfo;
    let requests = 0;
    t.bot.app.server.on('request', () => requests++);
    // Three callbacks that declare a large body and send a byte now and then, and one whose headers never end.
    const body = 'POST /feishu/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n';
    const slow = [
      trickle(port, body, 200),
      trickle(port, body, 200),
      trickle(port, body, 200),
      trickle(port, 'POST /feishu/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ', 200),
    ];
    try {
      await vi.waitFor(() => expect(requests).toBe(3));
      const e = signedRequest(
        messageEvent({
          from: OPEN_ID['zhang-li'],
          chatId: FEISHU_CHAT.intake,
          text: '门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话8123',
          mentionBot: feishu.botOpenId,
        }),
      );
      const sent = Date.now();
      const res = await fetch(`http://127.0.0.1:${port}/feishu/events`, { method: 'POST', headers: e.headers, body: e.body });
      expect(res.status).toBe(200);
      expect(Date.now() - sent).toBeLessThan(1000);
      expect(await t.bot.db.ticket.count()).toBe(1);

      const cut = await Promise.all(slow.map((s) => s.closed));
      // The timeout (1 s) and one check of the connections (every 250 ms), with room for a busy machine.
      for (const c of cut) expect(c.ms).toBeLessThan(2500);
      expect(cut.map((c) => c.answer)).toEqual(Array(4).fill('HTTP/1.1 408 Request Timeout'));

      // A body larger than any Feishu delivery is refused as soon as its length is declared.
      const huge = trickle(port, body.replace('100000', String(600 * 1024)), 200);
      slow.push(huge);
      const refused = await huge.closed;
      expect(refused.answer).toBe('HTTP/1.1 413 Payload Too Large');
      expect(refused.ms).toBeLessThan(500);
    } finally {
      for (const s of slow) s.destroy();
    }
  });
});
