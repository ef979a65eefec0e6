import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../bot/db/client.js';
import { OutboxWorker } from '../../bot/outbox/worker.js';
import { WeComApiStandIn, type Failure } from '../helpers/wecom-api.js';
import { startWeComOutbox, type WeComOutbox } from '../helpers/wecom-outbox.js';
import { enqueueTexts, FakeTime, interleaved, peakPer, runWorker } from './fake-time.js';

const MINUTE = 60_000;
const USERS = ['user:zhangli', 'user:chenjing', 'user:gaoyan', 'user:lina'];

/**
 * The outbox against the WeCom API stand-in (the self-built application and group webhooks)
 * failing in each way WeCom fails, on fake time: drained once a second as the poll timer would.
 */
describe('WeCom outbox under platform failures', () => {
  let time: FakeTime;
  let wecom: WeComApiStandIn;
  let db: Db;
  let worker: OutboxWorker;
  let outbox: WeComOutbox;

  beforeEach(async () => {
    outbox = await startWeComOutbox();
    ({ time, wecom, db, worker } = outbox);
  });
  afterEach(() => outbox.close());

  /** What each chat received, in order: application messages by user, pushes by webhook key. */
  const received = (chatId: string): string[] =>
    chatId.startsWith('webhook:')
      ? wecom.webhooks.filter((w) => `webhook:${w.key}` === chatId).map((w) => w.body.markdown.content)
      : wecom.sent.filter((m) => `user:${m.touser}` === chatId).map((m) => m.body.markdown.content);
  const allSent = async () => (await db.outbox.count({ where: { status: { not: 'sent' } } })) === 0;
  function expectDeliveredInOrder(rows: { chatId: string; text: string }[]) {
    for (const chatId of new Set(rows.map((r) => r.chatId))) {
      expect(received(chatId), chatId).toEqual(rows.filter((r) => r.chatId === chatId).map((r) => r.text));
    }
  }

  it('waits 60 s after 45009 and 5 s after -1, delivering every message in order', async () => {
    const rows = interleaved(USERS, 3);
    await enqueueTexts(db, time, 'wecom', rows);
    wecom.fail({ errcode: 45009 }, { errcode: -1 }, { errcode: 45009 }, { errcode: -1 });
    await runWorker(worker, time, 5 * MINUTE, allSent);
    expectDeliveredInOrder(rows);

    const calls = wecom.requests.filter((r) => r.path === '/cgi-bin/message/send');
    expect(calls).toHaveLength(rows.length + 4);
    const limited = calls.filter((r) => r.outcome.includes('45009'));
    // Nothing is sent for a minute after a frequency limit, in the chat that met it.
    const lastLimit = Math.max(...limited.map((r) => r.at));
    expect(Math.max(...wecom.sent.map((m) => m.at))).toBeGreaterThanOrEqual(lastLimit + MINUTE);
  });

  it.each([42001, 40014])('fetches one new access token after %i, however many messages are in flight', async (errcode) => {
    await enqueueTexts(db, time, 'wecom', [{ chatId: 'user:wangwei', text: '先取令牌' }]);
    await worker.drain();
    expect(wecom.tokenRequests).toBe(1);

    const rows = interleaved(USERS, 3);
    await enqueueTexts(db, time, 'wecom', rows);
    wecom.fail({ errcode });
    await runWorker(worker, time, MINUTE, allSent);
    expectDeliveredInOrder(rows);
    expect(wecom.tokenRequests).toBe(2);
  });

  it('backs off through a four-minute outage of 5xx, 429 and -1, then delivers everything in order', async () => {
    const rows = [...interleaved(USERS, 3), ...interleaved(['webhook:roster-key', 'webhook:leader-key'], 3)];
    await enqueueTexts(db, time, 'wecom', rows);
    const start = time.ms;
    wecom.failUntil(start + 4 * MINUTE, { status: 502 }, { status: 429 }, { status: 503 }, { errcode: -1 });
    await runWorker(worker, time, 15 * MINUTE, allSent);

    expectDeliveredInOrder(rows);
    const failed = wecom.requests.filter((r) => r.outcome !== 'ok').map((r) => r.at);
    expect(peakPer(failed, MINUTE)).toBeLessThanOrEqual(rows.length * 5);
    expect(failed.filter((at) => at >= start + 2 * MINUTE).length).toBeLessThanOrEqual(rows.length * 2);
    expect(Math.max(...wecom.requests.map((r) => r.at))).toBeLessThanOrEqual(start + 9 * MINUTE);
    expect(await db.outbox.count({ where: { status: 'dead' } })).toBe(0);
  });

  it('keeps a webhook to 20 pushes a minute through 45009 bursts, losing none', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ chatId: 'webhook:roster-key', text: `值班表 第${i + 1}条` }));
    await enqueueTexts(db, time, 'wecom', rows);
    wecom.fail({ errcode: 45009 }, { errcode: 45009 }, { errcode: -1 }, { status: 500 });
    await runWorker(worker, time, 15 * MINUTE, allSent);

    expectDeliveredInOrder(rows);
    expect(
      peakPer(
        wecom.webhooks.map((w) => w.at),
        MINUTE,
      ),
    ).toBeLessThanOrEqual(20);
    expect(
      peakPer(
        wecom.requests.map((r) => r.at),
        MINUTE,
      ),
    ).toBeLessThanOrEqual(20);
  });

  it('does not hold other chats while a webhook waits for its next minute', async () => {
    const pushes = Array.from({ length: 25 }, (_, i) => ({ chatId: 'webhook:roster-key', text: `排班 第${i + 1}条` }));
    await enqueueTexts(db, time, 'wecom', pushes);
    await worker.drain();
    expect(wecom.webhooks).toHaveLength(20);
    // The 21st waits for the minute; a message to a person queued now goes out at once.
    await enqueueTexts(db, time, 'wecom', [{ chatId: 'user:wangwei', text: '请处理 IT-20261124-0001' }]);
    const started = time.ms;
    await worker.drain();
    expect(received('user:wangwei')).toEqual(['请处理 IT-20261124-0001']);
    expect(time.ms - started).toBeLessThan(MINUTE);
    await runWorker(worker, time, 3 * MINUTE, allSent);
    expectDeliveredInOrder(pushes);
    expect(
      peakPer(
        wecom.webhooks.map((w) => w.at),
        MINUTE,
      ),
    ).toBeLessThanOrEqual(20);
  });

  it('records a message WeCom refuses for good (bad user id, bad webhook) and does not retry it', async () => {
    const rows = interleaved(USERS.slice(0, 2), 2);
    await enqueueTexts(db, time, 'wecom', [{ chatId: 'user:nobody', text: '查无此人' }]);
    wecom.fail({ errcode: 40003 }); // invalid userid
    await runWorker(worker, time, MINUTE);
    await enqueueTexts(db, time, 'wecom', [...rows, { chatId: 'webhook:gone-key', text: '群已解散' }]);
    wecom.failUntil(time.ms + 60 * MINUTE, { errcode: 93000 }); // every call: the webhook was removed from its group
    await runWorker(worker, time, 30 * MINUTE);

    const dead = await db.outbox.findMany({ where: { status: 'dead' }, orderBy: { id: 'asc' } });
    expect(dead.map((d) => [d.chatId, d.attempts])).toEqual([['user:nobody', 1], ...rows.map((r) => [r.chatId, 1]), ['webhook:gone-key', 1]]);
    expect(dead[0]!.lastError).toContain('40003');
    expect(dead.at(-1)!.lastError).toContain('93000');
    // One request per message, none retried in half an hour.
    expect(wecom.requests).toHaveLength(rows.length + 2);
  });

  it('delivers a burst to people and groups exactly as queued through a mixture of every failure', async () => {
    const rows = interleaved([...USERS, 'user:wangwei', 'webhook:roster-key', 'webhook:leader-key'], 8);
    await enqueueTexts(db, time, 'wecom', rows);
    const mixture: Failure[] = [{ errcode: 45009 }, { status: 502 }, { errcode: 42001 }, { hang: 2500 }, { errcode: -1 }, { status: 429 }, { errcode: 40014 }];
    for (let i = 0; i < 3; i++) wecom.fail(...mixture);
    await runWorker(worker, time, 20 * MINUTE, allSent);

    expectDeliveredInOrder(rows);
    const tokenFailures = wecom.requests.filter((r) => /42001|40014/.test(r.outcome)).length;
    expect(wecom.tokenRequests).toBeLessThanOrEqual(1 + tokenFailures);
  });
});
