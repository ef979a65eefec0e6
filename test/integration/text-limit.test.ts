import { afterEach, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_CHARS } from '../../bot/chat/limits.js';
import { t as text } from '../../bot/i18n/zh.js';
import { buttonOf, createTestBot, type TestBot } from '../helpers/bot.js';
import { createFeishuTestBot } from '../helpers/feishu-bot.js';
import { messageEvent, signedRequest } from '../helpers/feishu-events.js';
import type { FeishuOpenApi } from '../helpers/feishu-openapi.js';
import { FEISHU_CHAT, OPEN_ID } from '../helpers/feishu-org.js';

const REPORT = '门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话8123。';
/** A report padded to exactly `chars` characters (a pasted log after it). */
const padded = (chars: number) => (REPORT + '日志'.repeat(chars)).slice(0, chars);
const tooLong = text('error.message_too_long', { max: MAX_MESSAGE_CHARS });

describe('a limit on the text of every message', () => {
  let t: TestBot | undefined;
  let feishu: FeishuOpenApi | undefined;
  afterEach(async () => {
    await t?.close();
    await feishu?.close();
    t = feishu = undefined;
  });

  it('answers a message over the limit politely in the simulator and stores nothing; one at the limit is a report', async () => {
    t = await createTestBot();
    expect(tooLong).toBe(`消息过长（超过 ${MAX_MESSAGE_CHARS} 字），请精简后分条发送`);
    const over = await t.say('zhang-li', 'intake', padded(MAX_MESSAGE_CHARS + 1));
    expect(over.outcome).toBe('refused');
    expect(await t.bot.db.ticket.count()).toBe(0);
    const answers = (await t.transcript('intake')).filter((m) => m.from === 'bot');
    expect(answers.map((m) => m.text)).toEqual([tooLong]);
    expect(await t.transcript('engineers')).toEqual([]);

    // Characters, not UTF-16 units: emoji count once.
    await t.say('zhang-li', 'intake', (REPORT + '🖨'.repeat(MAX_MESSAGE_CHARS)).slice(0, REPORT.length + 2 * (MAX_MESSAGE_CHARS - REPORT.length)));
    expect(await t.bot.db.ticket.count()).toBe(1);

    // A command is held to the limit too, and so is what a card's form carries.
    const ticket = (await t.bot.db.ticket.findFirst())!;
    await t.say('wang-wei', 'engineers', `备注 ${ticket.number} ${padded(MAX_MESSAGE_CHARS)}`);
    expect((await t.transcript('engineers')).filter((m) => m.from === 'bot' && m.text).at(-1)?.text).toBe(tooLong);
    expect(await t.bot.db.ticketEvent.count({ where: { ticketId: ticket.id, type: 'note' } })).toBe(0);
    const dispatch = await t.card('engineers', '新报修');
    const claim = buttonOf(dispatch, '认领');
    const clicked = await t.click(dispatch.id, 'wang-wei', claim.action, claim.value, { note: padded(MAX_MESSAGE_CHARS + 1) });
    expect(clicked).toMatchObject({ outcome: 'refused', toast: { text: tooLong } });
    expect((await t.bot.db.ticket.findFirst())!.assigneeId).toBeNull();
  });

  it('answers a Feishu text of the platform’s largest size at once, with the polite answer and no ticket', async () => {
    ({ feishu, t } = await createFeishuTestBot());
    const post = (body: string, headers: Record<string, string>) => t!.bot.app.inject({ method: 'POST', url: '/feishu/events', headers, payload: body });
    // Feishu takes a text of up to 150 KB.
    const huge = padded(50_000);
    expect(Buffer.byteLength(JSON.stringify({ text: huge }))).toBeGreaterThan(145 * 1024);
    const e = signedRequest(messageEvent({ from: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, text: huge, mentionBot: feishu.botOpenId }));
    const started = performance.now();
    const res = await post(e.body, e.headers);
    const ms = performance.now() - started;
    expect(res.statusCode).toBe(200);
    expect(ms).toBeLessThan(1000);
    await t.bot.outbox.drain();
    expect(await t.bot.db.ticket.count()).toBe(0);
    expect(feishu.sent.map((m) => [m.chatId, m.content.text])).toEqual([[FEISHU_CHAT.intake, tooLong]]);

    // A long text among the engineers that does not address the bot is not answered at all.
    const chatter = signedRequest(messageEvent({ from: OPEN_ID['wang-wei'], chatId: FEISHU_CHAT.engineers, text: padded(MAX_MESSAGE_CHARS + 10) }));
    expect((await post(chatter.body, chatter.headers)).statusCode).toBe(200);
    await t.bot.outbox.drain();
    expect(feishu.sent).toHaveLength(1);
  });
});
