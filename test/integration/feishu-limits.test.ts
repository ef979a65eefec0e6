import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeishuApiError } from '../../adapters/feishu/client.js';
import { createRequest } from '../../adapters/feishu/requests.js';
import { MAX_MESSAGE_CHARS } from '../../bot/chat/limits.js';
import { Outbox } from '../../bot/outbox/outbox.js';
import type { TestBot } from '../helpers/bot.js';
import { createFeishuTestBot } from '../helpers/feishu-bot.js';
import { cardAction, messageEvent, signedRequest } from '../helpers/feishu-events.js';
import type { FeishuOpenApi } from '../helpers/feishu-openapi.js';
import { CARD_BODY_LIMIT, TEXT_BODY_LIMIT } from '../helpers/feishu-rules.js';
import { FEISHU_CHAT, OPEN_ID } from '../helpers/feishu-org.js';
import { FeishuAdapter } from '../../adapters/feishu/adapter.js';

const TRUNCATED = '…（内容过长，已截断）';
/** A report padded to `chars` characters with a pasted log: Chinese, quotes and backslashes, which grow when escaped into `content`. */
const padded = (start: string, chars: number) => (start + '打印队列"阻塞"，驱动\\失败；'.repeat(800)).slice(0, chars);

describe('Feishu: every request body within the platform’s limits', () => {
  let feishu: FeishuOpenApi;
  let t: TestBot;
  beforeEach(async () => ({ feishu, t } = await createFeishuTestBot()));
  afterEach(async () => {
    await t.close();
    await feishu.close();
  });

  const post = (payload: unknown) => {
    const req = signedRequest(payload);
    return t.bot.app.inject({ method: 'POST', url: '/feishu/events', headers: req.headers, payload: req.body });
  };

  it('sends the cards of a report of ~4,900 characters, and of the ticket it grows into, with bodies of at most 30 KB that Feishu takes', async () => {
    const report = padded('门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话8123。日志：', 4_900);
    const res = await post(messageEvent({ from: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, text: report, mentionBot: feishu.botOpenId }));
    expect(res.statusCode).toBe(200);
    await t.bot.outbox.drain();
    expect(feishu.refused).toEqual([]);
    const [intake] = feishu.cardsIn(FEISHU_CHAT.intake);
    const [dispatch] = feishu.cardsIn(FEISHU_CHAT.engineers);
    for (const card of [intake!, dispatch!]) {
      expect(card.bodyBytes).toBeLessThanOrEqual(CARD_BODY_LIMIT);
      // Under the limit as it is: the whole report is shown.
      expect(card.content.body.elements.find((e: any) => e.tag === 'div').text.content === report).toBe(true);
    }

    // The reporter adds as much again: the ticket's text now makes cards past 30 KB, so they are clipped to fit.
    const number = (await t.bot.db.ticket.findFirstOrThrow()).number;
    const more = padded(`补充 ${number} 补充说明：`, MAX_MESSAGE_CHARS - 100);
    await post(messageEvent({ from: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, text: more, mentionBot: feishu.botOpenId }));
    await t.bot.outbox.drain();
    expect(feishu.refused).toEqual([]);
    const description = (await t.bot.db.ticket.findFirstOrThrow()).description;
    expect([...description].length).toBeGreaterThan(9_000);
    const patched = feishu.patches.filter((p) => p.messageId === dispatch!.id || p.messageId === intake!.id);
    expect(patched.length).toBeGreaterThan(0);
    for (const p of patched) {
      expect(p.bodyBytes).toBeLessThanOrEqual(CARD_BODY_LIMIT);
      // Cut only as far as needed: the body is close to the limit, the report's start is shown, the cut is said.
      expect(p.bodyBytes).toBeGreaterThan(CARD_BODY_LIMIT - 500);
      const shown = p.content.body.elements.find((e: any) => e.tag === 'div').text.content as string;
      expect(shown.endsWith(TRUNCATED)).toBe(true);
      expect(description.startsWith(shown.slice(0, -TRUNCATED.length))).toBe(true);
    }

    // Claiming answers with the card and patches the others: those are measured too, and taken.
    const current = feishu.patches.findLast((p) => p.messageId === dispatch!.id)?.content ?? dispatch!.content;
    const claim = current.body.elements.at(-1).columns[0].elements[0];
    expect(claim.text.content).toBe('认领');
    const click = await post(
      cardAction({ operator: OPEN_ID['wang-wei'], chatId: FEISHU_CHAT.engineers, messageId: dispatch!.id, value: claim.behaviors[0].value }),
    );
    expect(click.statusCode).toBe(200);
    expect(Buffer.byteLength(JSON.stringify({ content: JSON.stringify(click.json().card.data) }))).toBeLessThanOrEqual(CARD_BODY_LIMIT);
    await t.bot.outbox.drain();
    for (const p of feishu.patches) expect(p.bodyBytes).toBeLessThanOrEqual(CARD_BODY_LIMIT);
    expect(feishu.refused).toEqual([]);
    expect((await t.bot.db.ticket.findFirstOrThrow()).status).toBe('claimed');
  });

  it('clips a text over 150 KB to fit, with a note that it was cut', async () => {
    const text = '"<日志>" '.repeat(30_000);
    await t.bot.db.$transaction((tx) => new Outbox(tx, () => new Date()).send({ platform: 'feishu', chatId: FEISHU_CHAT.intake }, { type: 'text', text }));
    await t.bot.outbox.drain();
    expect(feishu.refused).toEqual([]);
    const [sent] = feishu.sent;
    expect(sent!.bodyBytes).toBeLessThanOrEqual(TEXT_BODY_LIMIT);
    expect(sent!.bodyBytes).toBeGreaterThan(TEXT_BODY_LIMIT - 100);
    expect(sent!.content.text.startsWith('"&lt;日志&gt;" ')).toBe(true);
    expect(sent!.content.text.endsWith(TRUNCATED)).toBe(true);
  });

  it('draws the digest’s week with counts on the left axis and the compliance rate on the right, and Feishu takes it', async () => {
    await post(messageEvent({ from: OPEN_ID['wang-wei'], chatId: FEISHU_CHAT.engineers, text: '日报', mentionBot: feishu.botOpenId }));
    await t.bot.outbox.drain();
    expect(feishu.refused).toEqual([]);
    const digest = feishu.cardsIn(FEISHU_CHAT.engineers).find((m) => m.content.header.title.content.includes('日报'));
    const chart = digest!.content.body.elements.find((e: any) => e.tag === 'chart');
    const spec = chart.chart_spec;
    const seriesOn = (orient: string) => spec.axes.find((a: any) => a.orient === orient).seriesIndex.map((i: number) => spec.series[i].type);
    expect(seriesOn('left')).toEqual(['bar']);
    expect(seriesOn('right')).toEqual(['line']);
    expect(spec.axes.find((a: any) => a.orient === 'right')).toMatchObject({ min: 0, max: 100 });
  });
});

describe('the Feishu client never sends a body Feishu would refuse', () => {
  it('refuses a request over the limit itself, for good, without calling the Open API', async () => {
    const { feishu, t } = await createFeishuTestBot();
    try {
      const adapter = t.bot.adapters.get('feishu') as FeishuAdapter;
      const calls = feishu.requests.length;
      const huge = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: '报修'.repeat(6_000) }] } };
      const failure = await adapter.api.sendToChat(FEISHU_CHAT.intake, createRequest(FEISHU_CHAT.intake, 'interactive', huge)).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(FeishuApiError);
      expect(failure).toMatchObject({ code: 230025 });
      expect(feishu.requests.length).toBe(calls);
    } finally {
      await t.close();
      await feishu.close();
    }
  });
});
