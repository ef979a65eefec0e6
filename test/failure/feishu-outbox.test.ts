import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Platform } from '../../bot/chat/model.js';
import { FeishuAdapter } from '../../adapters/feishu/adapter.js';
import type { Db } from '../../bot/db/client.js';
import { Outbox } from '../../bot/outbox/outbox.js';
import { OutboxWorker } from '../../bot/outbox/worker.js';
import { freshDatabase } from '../helpers/db.js';
import { FeishuOpenApi, type Failure } from '../helpers/feishu-openapi.js';
import { feishuDirectory } from '../helpers/feishu-org.js';
import { silentLog } from '../helpers/log.js';
import { enqueueTexts, FakeTime, interleaved, peakPer, runWorker } from './fake-time.js';

const MINUTE = 60_000;
const CHATS = ['oc_ward_1', 'oc_ward_2', 'oc_ward_3', 'oc_ward_4', 'oc_ward_5'];

/**
 * The outbox against the Feishu Open API stand-in failing in each way Feishu fails, on fake time:
 * the worker is drained once a second as its poll timer would, and the stand-in's requests are
 * counted by that time.
 */
describe('Feishu outbox under platform failures', () => {
  let time: FakeTime;
  let feishu: FeishuOpenApi;
  let db: Db;
  let drop: () => Promise<void>;
  let worker: OutboxWorker;

  beforeEach(async () => {
    time = new FakeTime();
    feishu = new FeishuOpenApi();
    feishu.clock = time.nowMs;
    await feishu.start();
    ({ db, drop } = await freshDatabase(feishuDirectory()));
    const adapter = new FeishuAdapter({
      appId: 'cli_helpdesk_test',
      appSecret: 'app-secret',
      domain: feishu.url,
      mode: 'http',
      userMatch: 'id',
      log: silentLog,
      timeoutMs: 1000,
      now: time.nowMs,
      sleep: time.sleep,
    });
    worker = new OutboxWorker({ db, adapters: new Map<Platform, FeishuAdapter>([['feishu', adapter]]), clock: time, log: silentLog });
  });
  afterEach(async () => {
    await worker.stop();
    await feishu.close();
    await drop();
  });

  const textsIn = (chatId: string) => feishu.sent.filter((m) => m.chatId === chatId).map((m) => m.content.text as string);
  const sends = () => feishu.requests.filter((r) => r.path === '/open-apis/im/v1/messages');
  const allSent = async () => (await db.outbox.count({ where: { status: { not: 'sent' } } })) === 0;

  /** Every chat got exactly its texts, once each, in the order they were queued. */
  function expectDeliveredInOrder(rows: { chatId: string; text: string }[]) {
    for (const chatId of new Set(rows.map((r) => r.chatId))) {
      expect(textsIn(chatId), chatId).toEqual(rows.filter((r) => r.chatId === chatId).map((r) => r.text));
    }
  }

  it('waits out x-ogw-ratelimit-reset on 429 and on code 99991400, then delivers every message in order', async () => {
    const rows = interleaved(CHATS, 6);
    await enqueueTexts(db, time, 'feishu', rows);
    feishu.fail(
      { kind: 'rate-limit', resetSeconds: 10 },
      { kind: 'rate-limit', resetSeconds: 10 },
      { kind: 'rate-limit', resetSeconds: 20, status: 400 },
      { kind: 'rate-limit', resetSeconds: 30 },
    );
    await runWorker(worker, time, 5 * MINUTE, allSent);

    expectDeliveredInOrder(rows);
    const all = sends();
    const limited = all.filter((r) => r.outcome === 'rate-limit');
    expect(limited).toHaveLength(4);
    // Nothing more to a rate-limited chat before the reset it was told (10 s at least).
    for (const hit of limited) {
      const next = all.slice(all.indexOf(hit) + 1).find((r) => r.chatId === hit.chatId);
      expect(next!.at - hit.at, hit.chatId).toBeGreaterThanOrEqual(10_000);
    }
    expect(sends()).toHaveLength(rows.length + limited.length);
    expect(await db.outbox.count({ where: { status: 'dead' } })).toBe(0);
  });

  it('backs off through a three-minute 5xx outage without a hot loop, then delivers everything in order', async () => {
    const rows = interleaved(CHATS, 4);
    await enqueueTexts(db, time, 'feishu', rows);
    const start = time.ms;
    feishu.failUntil(start + 3 * MINUTE, { kind: 'server-error' }, { kind: 'server-error', status: 502 }, { kind: 'server-error', status: 503 });
    await runWorker(worker, time, 15 * MINUTE, allSent);

    expectDeliveredInOrder(rows);
    const failed = sends()
      .filter((r) => r.outcome !== 'ok')
      .map((r) => r.at);
    // Exponential backoff per row (2 s, 4 s, 8 s … capped at 5 min): at most 5 tries of a row in
    // its first minute, 2 in the second, 1 in the third — never a request per poll.
    expect(peakPer(failed, MINUTE)).toBeLessThanOrEqual(rows.length * 5);
    expect(failed.filter((at) => at >= start + 2 * MINUTE).length).toBeLessThanOrEqual(rows.length);
    expect(failed.length).toBeLessThanOrEqual(rows.length * 8);
    // Recovered within one backoff step (at most 5 min) of the outage's end.
    expect(Math.max(...feishu.sent.map((m) => m.at))).toBeLessThanOrEqual(start + 8 * MINUTE);
    expect(await db.outbox.count({ where: { status: 'dead' } })).toBe(0);
  });

  it('gives up a request that hangs past the client timeout and sends it again later', async () => {
    const rows = interleaved(CHATS.slice(0, 2), 3);
    await enqueueTexts(db, time, 'feishu', rows);
    feishu.fail({ kind: 'hang', ms: 2500 }, { kind: 'hang', ms: 2500 });
    await runWorker(worker, time, 2 * MINUTE, allSent);
    expectDeliveredInOrder(rows);
    expect(sends().filter((r) => r.outcome === 'hang')).toHaveLength(2);
  });

  it('sends a message again when Feishu took it but its answer came too late, and Feishu shows it once (same uuid)', async () => {
    await enqueueTexts(db, time, 'feishu', [
      { chatId: CHATS[0]!, text: '慢回答' },
      { chatId: CHATS[0]!, text: '之后一条' },
    ]);
    feishu.fail({ kind: 'hang', ms: 2500, handled: true });
    await runWorker(worker, time, MINUTE, allSent);
    // Tried twice (the first answer was lost), shown once: both attempts carried the same uuid.
    const creates = feishu.requests.filter((r) => r.method === 'POST' && r.path === '/open-apis/im/v1/messages');
    expect(creates.length).toBe(3);
    expect(textsIn(CHATS[0]!)).toEqual(['慢回答', '之后一条']);
  });

  it.each([99991663, 99991661])('fetches one new token when Feishu rejects the cached one (%i), not one per message', async (code) => {
    await enqueueTexts(db, time, 'feishu', [{ chatId: 'oc_engineers', text: '先取令牌' }]);
    await worker.drain();
    expect(feishu.tokenRequests).toHaveLength(1);

    const rows = interleaved(CHATS, 3);
    await enqueueTexts(db, time, 'feishu', rows);
    feishu.fail({ kind: 'token-expired', code });
    await runWorker(worker, time, MINUTE, allSent);
    expectDeliveredInOrder(rows);
    expect(feishu.tokenRequests).toHaveLength(2);
    // Only the calls already on their way with the old token were refused.
    expect(feishu.requests.filter((r) => r.outcome === 'token-expired')).toHaveLength(1);
  });

  it('records a request Feishu refuses for good and does not retry it; the chat carries on', async () => {
    const rows = interleaved(CHATS.slice(0, 2), 3);
    await enqueueTexts(db, time, 'feishu', rows);
    feishu.fail({ kind: 'bad-request', code: 230002, msg: 'Bot/User can NOT be out of the chat.' });
    await runWorker(worker, time, 30 * MINUTE);

    const dead = await db.outbox.findMany({ where: { status: 'dead' } });
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ chatId: rows[0]!.chatId, attempts: 1 });
    expect(dead[0]!.lastError).toContain('230002');
    expect(dead[0]!.lastError).toContain('can NOT be out of the chat');
    expect(sends()).toHaveLength(rows.length);
    expectDeliveredInOrder(rows.slice(1));
  });

  it('delivers a burst of 100 messages to 10 chats exactly as queued through a mixture of every failure', async () => {
    const chats = Array.from({ length: 10 }, (_, i) => `oc_dept_${i + 1}`);
    const rows = interleaved(chats, 10);
    await enqueueTexts(db, time, 'feishu', rows);
    await worker.drain(); // the first few go out and a token is cached
    const mixture: Failure[] = [
      { kind: 'rate-limit', resetSeconds: 2 },
      { kind: 'server-error', status: 502 },
      { kind: 'token-expired' },
      { kind: 'hang', ms: 2500 },
      { kind: 'rate-limit', resetSeconds: 5, status: 400 },
      { kind: 'server-error' },
      { kind: 'token-expired', code: 99991661 },
      { kind: 'server-error', status: 503 },
    ];
    for (let i = 0; i < 3; i++) feishu.fail(...mixture);
    const start = time.ms;
    feishu.failUntil(start + 20_000, ...mixture.filter((f) => f.kind !== 'hang'));
    await runWorker(worker, time, 20 * MINUTE, allSent);

    expectDeliveredInOrder(rows);
    expect(await db.outbox.count({ where: { status: { not: 'sent' } } })).toBe(0);
    // Each rejected token costs one refresh; never one per message.
    const tokenFailures = feishu.requests.filter((r) => r.outcome === 'token-expired').length;
    expect(feishu.tokenRequests.length).toBeLessThanOrEqual(1 + tokenFailures);
    expect(
      peakPer(
        sends().map((r) => r.at),
        1000,
      ),
    ).toBeLessThanOrEqual(50);
  });

  it('updates a card in place through failures, with its newest state', async () => {
    const card = (status: string) => ({
      type: 'card' as const,
      card: { title: '工单 IT-20261124-0001', color: 'blue' as const, fields: [{ label: '状态', value: status }], buttons: [] },
    });
    await db.$transaction((tx) =>
      new Outbox(tx, time.now).send({ platform: 'feishu', chatId: CHATS[0]! }, card('待认领'), { entityType: 'ticket', entityId: 'IT-1', kind: 'intake' }),
    );
    feishu.fail({ kind: 'server-error' });
    await runWorker(worker, time, MINUTE, allSent);
    expect(feishu.sent).toHaveLength(1);

    feishu.fail({ kind: 'rate-limit', resetSeconds: 3 }, { kind: 'token-expired' }, { kind: 'server-error', status: 502 });
    await db.$transaction((tx) => new Outbox(tx, time.now).updateShown('ticket', 'IT-1', () => card('王工 已认领')));
    await db.$transaction((tx) => new Outbox(tx, time.now).updateShown('ticket', 'IT-1', () => card('处理中')));
    await runWorker(worker, time, 2 * MINUTE, allSent);
    expect(feishu.patches.map((p) => JSON.stringify(p.content))).toEqual([expect.stringContaining('处理中')]);
    expect(feishu.patches[0]!.messageId).toBe(feishu.sent[0]!.id);
  });
});
