import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WeComApi } from '../../adapters/wecom/api.js';
import { RetryableSendError } from '../../bot/chat/ports.js';
import type { Db } from '../../bot/db/client.js';
import { OutboxWorker } from '../../bot/outbox/worker.js';
import { enqueueTexts, FakeTime, peakPer, runWorker } from '../failure/fake-time.js';
import { silentLog } from '../helpers/log.js';
import { WeComApiStandIn } from '../helpers/wecom-api.js';
import { startWeComOutbox, type WeComOutbox } from '../helpers/wecom-outbox.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
/** A long digest: numbered lines of Chinese text, about 60 bytes each. */
const lines = (n: number) => Array.from({ length: n }, (_, i) => `第${i + 1}条：门诊3楼212诊室打印机卡纸，已更换搓纸轮，恢复正常`);

/** WeCom's limits on what one message carries and how many a member gets, through the outbox on fake time. */
describe('WeCom limits, kept by the adapter', () => {
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
  const allSent = async () => (await db.outbox.count({ where: { status: { not: 'sent' } } })) === 0;

  it('splits a webhook push over 4096 bytes at line boundaries, every line arriving once and in order, even through a failure', async () => {
    const text = lines(200).join('\n');
    expect(bytes(text)).toBeGreaterThan(3 * 4096);
    await enqueueTexts(db, time, 'wecom', [{ chatId: 'webhook:roster-key', text }]);
    // The second part meets a 502: only what was not sent goes again.
    wecom.fail({ pass: true }, { status: 502 });
    await runWorker(worker, time, 5 * MINUTE, allSent);

    const parts = wecom.webhooks.map((w) => w.body.markdown.content as string);
    expect(parts.length).toBeGreaterThanOrEqual(4);
    for (const part of parts) expect(bytes(part)).toBeLessThanOrEqual(4096);
    expect(parts.join('\n')).toBe(text);
    expect(wecom.requests.filter((r) => r.outcome !== 'ok')).toHaveLength(1);
    expect(wecom.refused).toEqual([]);
    expect(await db.outbox.count({ where: { status: 'dead' } })).toBe(0);
  });

  it('splits an application message over 2048 bytes the same way', async () => {
    const text = lines(80).join('\n');
    await enqueueTexts(db, time, 'wecom', [{ chatId: 'user:wangwei', text }]);
    await runWorker(worker, time, MINUTE, allSent);
    const parts = wecom.sent.map((m) => m.body.markdown.content as string);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(bytes(part)).toBeLessThanOrEqual(2048);
    expect(parts.join('\n')).toBe(text);
    expect(wecom.refused).toEqual([]);
  });

  it('paces messages to one member to 30 a minute, queued and sent later, none discarded', async () => {
    const rows = Array.from({ length: 75 }, (_, i) => ({ chatId: 'user:wangwei', text: `请处理 IT-20261124-${String(i + 1).padStart(4, '0')}` }));
    await enqueueTexts(db, time, 'wecom', rows);
    await enqueueTexts(db, time, 'wecom', [{ chatId: 'user:lina', text: '另一位成员不必等' }]);
    const started = time.ms;
    await runWorker(worker, time, 10 * MINUTE, allSent);

    expect(wecom.dropped).toEqual([]);
    expect(wecom.sent.filter((m) => m.touser === 'wangwei').map((m) => m.body.markdown.content)).toEqual(rows.map((r) => r.text));
    expect(
      peakPer(
        wecom.sent.filter((m) => m.touser === 'wangwei').map((m) => m.at),
        MINUTE,
      ),
    ).toBeLessThanOrEqual(30);
    // The other member is not held behind the first one's limit.
    expect(wecom.sent.find((m) => m.touser === 'lina')!.at - started).toBeLessThan(MINUTE);
    expect(await db.outbox.count({ where: { status: 'dead' } })).toBe(0);
  });

  it('waits for room for every part of a split message before sending its first', async () => {
    const short = Array.from({ length: 29 }, (_, i) => ({ chatId: 'user:wangwei', text: `通知 ${i + 1}` }));
    await enqueueTexts(db, time, 'wecom', [...short, { chatId: 'user:wangwei', text: lines(80).join('\n') }]);
    await runWorker(worker, time, 3 * MINUTE, allSent);
    expect(wecom.dropped).toEqual([]);
    const split = wecom.sent.slice(29);
    expect(split.length).toBeGreaterThan(1);
    // All its parts inside one minute's room: none went out before the window had space for them all.
    expect(split[0]!.at - wecom.sent[0]!.at).toBeGreaterThanOrEqual(MINUTE);
  });
});

describe('WeCom API: a member’s hour', () => {
  it('keeps a member to 1000 messages an hour, handing back the rest with when to try again (fake time)', async () => {
    const wecom = new WeComApiStandIn();
    await wecom.start();
    let now = 1_800_000_000_000;
    wecom.clock = () => now;
    const api = new WeComApi({ base: wecom.url, corpId: 'c', secret: 's', agentId: '1', log: silentLog, now: () => now });
    const start = now;
    for (let i = 0; i < 1010; i++) {
      for (;;) {
        try {
          await api.send('wangwei', { msgtype: 'markdown', markdown: { content: `第${i + 1}条` } });
          break;
        } catch (err) {
          expect(err).toBeInstanceOf(RetryableSendError);
          now += (err as RetryableSendError).retryAfterMs!;
        }
      }
      now += 100;
    }
    expect(wecom.dropped).toEqual([]);
    expect(wecom.sent).toHaveLength(1010);
    expect(
      peakPer(
        wecom.sent.map((m) => m.at),
        HOUR,
      ),
    ).toBeLessThanOrEqual(1000);
    expect(wecom.sent[1000]!.at - start).toBeGreaterThanOrEqual(HOUR);
    await wecom.close();
  });
});

describe('the WeCom stand-in refuses what WeCom refuses', () => {
  let wecom: WeComApiStandIn;
  beforeEach(async () => {
    wecom = new WeComApiStandIn();
    await wecom.start();
  });
  afterEach(() => wecom.close());
  const post = async (url: string, body: unknown) =>
    (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as { errcode: number };
  const markdown = (content: string) => ({ msgtype: 'markdown', markdown: { content } });
  const card = (title: string) => ({
    msgtype: 'template_card',
    template_card: { card_type: 'button_interaction', main_title: { title }, task_id: 't1', button_list: [] },
  });

  it('a response_url used twice or past its hour, and a template card to a group through one', async () => {
    let now = 0;
    wecom.clock = () => now;
    const group = wecom.responseUrl('wrGroup');
    expect(await post(group, markdown('一'))).toMatchObject({ errcode: 0 });
    expect((await post(group, markdown('二'))).errcode).not.toBe(0);
    expect((await post(wecom.responseUrl('wrGroup'), card('工单'))).errcode).toBe(40008);
    expect(await post(wecom.responseUrl('user:zhangli', 'single'), card('工单'))).toMatchObject({ errcode: 0 });
    const old = wecom.responseUrl('wrGroup');
    now += HOUR + 1;
    expect((await post(old, markdown('三'))).errcode).not.toBe(0);
    expect(wecom.responses.map((r) => r.id)).toEqual(['wrGroup', 'user:zhangli']);
  });

  it('webhook markdown over 4096 bytes (40058), the 31st message a minute to a member (dropped, counted), an over-long card (40058)', async () => {
    expect(await post(`${wecom.url}/cgi-bin/webhook/send?key=k`, markdown('字'.repeat(1366)))).toMatchObject({ errcode: 40058 });
    expect(await post(`${wecom.url}/cgi-bin/webhook/send?key=k`, markdown('字'.repeat(1365)))).toMatchObject({ errcode: 0 });
    const { access_token } = (await (await fetch(`${wecom.url}/cgi-bin/gettoken?corpid=c&corpsecret=s`)).json()) as { access_token: string };
    const send = (body: object) => post(`${wecom.url}/cgi-bin/message/send?access_token=${access_token}`, { touser: 'wangwei', agentid: 1, ...body });
    for (let i = 0; i < 31; i++) expect(await send(markdown(`第${i + 1}条`))).toMatchObject({ errcode: 0 });
    expect(wecom.sent).toHaveLength(30);
    expect(wecom.dropped).toHaveLength(1);
    expect(await send(card('权限申请 SQ-20261124-0001 · 审批中 · 医务科主任审批'))).toMatchObject({ errcode: 40058 });
  });
});
