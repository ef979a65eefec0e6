import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { t as text } from '../../bot/i18n/zh.js';
import type { TestBot } from '../helpers/bot.js';
import { createFeishuTestBot } from '../helpers/feishu-bot.js';
import { messageEvent, signedRequest } from '../helpers/feishu-events.js';
import type { FeishuOpenApi } from '../helpers/feishu-openapi.js';
import { FEISHU_CHAT, OPEN_ID } from '../helpers/feishu-org.js';

const REPORT = '门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话8123';

/**
 * Threads (话题): in a topic group every message is one, and in an ordinary group people can reply
 * in a thread. What the bot says about a message posted in a thread belongs in that thread: its
 * replies carry `reply_in_thread: true` (回复消息); elsewhere they are quoted replies in the chat.
 */
describe('Feishu: replies to a message in a thread stay in the thread', () => {
  let feishu: FeishuOpenApi;
  let t: TestBot;
  beforeEach(async () => ({ feishu, t } = await createFeishuTestBot()));
  afterEach(async () => {
    await t.close();
    await feishu.close();
  });

  async function say(text: string, opts: { from?: string; threadId?: string } = {}) {
    const event = messageEvent({
      from: opts.from ?? OPEN_ID['zhang-li'],
      chatId: FEISHU_CHAT.intake,
      text,
      mentionBot: feishu.botOpenId,
      threadId: opts.threadId,
    });
    const req = signedRequest(event);
    const res = await t.bot.app.inject({ method: 'POST', url: '/feishu/events', headers: req.headers, payload: req.body });
    expect(res.statusCode).toBe(200);
    await t.bot.outbox.drain();
    return event.event.message.message_id;
  }

  it('answers a report posted in a thread inside that thread, with reply_in_thread set', async () => {
    const asked = await say(REPORT, { threadId: 'omt_printer' });
    expect(feishu.refused).toEqual([]);
    const [intake] = feishu.cardsIn(FEISHU_CHAT.intake);
    expect(intake).toMatchObject({ replyTo: asked, replyInThread: true, threadId: 'omt_printer' });
    // The dispatch card is a new message in the engineers' group, not a reply: it has no thread.
    const [dispatch] = feishu.cardsIn(FEISHU_CHAT.engineers);
    expect(dispatch).not.toHaveProperty('replyInThread');
    expect(dispatch).not.toHaveProperty('threadId');
    // Whichever instance sends the reply knows: the thread is kept in the shared platform state.
    expect(await t.bot.db.platformState.findUnique({ where: { key: `feishu:thread:${asked}` } })).toMatchObject({ value: 'omt_printer' });
  });

  it('answers a command and a refusal in the thread they were asked in', async () => {
    const mine = await say('我的工单', { threadId: 'omt_question' });
    // A nurse asking for the digest is refused (someone the file lacks is not: they may report).
    const refused = await say('日报', { threadId: 'omt_refused' });
    expect(feishu.refused).toEqual([]);
    const texts = feishu.sent.filter((m) => m.msgType === 'text');
    expect(texts.map((m) => [m.replyTo, m.replyInThread, m.threadId])).toEqual([
      [mine, true, 'omt_question'],
      [refused, true, 'omt_refused'],
    ]);
    expect(texts[1]!.content.text).toBe(text('error.not_allowed', { who: text('digest.readers'), what: text('digest.what.read') }));
  });

  it('quotes its reply in the chat for a message in no thread, never asking for one (refused where threads are off)', async () => {
    feishu.threadless.add(FEISHU_CHAT.intake);
    const asked = await say(REPORT);
    await say('我的工单');
    expect(feishu.refused).toEqual([]);
    const [intake] = feishu.cardsIn(FEISHU_CHAT.intake);
    expect(intake).toMatchObject({ replyTo: asked });
    expect(intake).not.toHaveProperty('replyInThread');
    // A command asked in the chat is answered in the chat, as a new message.
    const answer = feishu.sent.filter((m) => m.chatId === FEISHU_CHAT.intake).at(-1)!;
    expect(answer.replyTo).toBeUndefined();
    expect(answer.threadId).toBeUndefined();
  });
});
