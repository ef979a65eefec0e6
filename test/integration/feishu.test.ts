import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../bot/outbox/outbox.js';
import { API_TOKEN, createTestBot, type TestBot } from '../helpers/bot.js';
import { cardAction, fixture, messageEvent, signedRequest } from '../helpers/feishu-events.js';
import { createFeishuTestBot } from '../helpers/feishu-bot.js';
import { FeishuOpenApi } from '../helpers/feishu-openapi.js';
import { feishuDirectory, FEISHU_CHAT, OPEN_ID } from '../helpers/feishu-org.js';

const REPORT = '门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话8123';

describe('Feishu: signed, encrypted events through the SDK, cards out through the Open API', () => {
  let feishu: FeishuOpenApi;
  let t: TestBot;

  async function boot(env: Record<string, string> = {}) {
    ({ feishu, t } = await createFeishuTestBot(env));
  }
  beforeEach(async () => boot());
  afterEach(async () => {
    await t.close();
    await feishu.close();
  });

  const post = (request: { body: string; headers: Record<string, string> }) =>
    t.bot.app.inject({ method: 'POST', url: '/feishu/events', headers: request.headers, payload: request.body });

  async function report(text = REPORT, from: string = OPEN_ID['zhang-li']) {
    const res = await post(signedRequest(messageEvent({ from, chatId: FEISHU_CHAT.intake, text, mentionBot: feishu.botOpenId })));
    expect(res.statusCode).toBe(200);
    await t.bot.outbox.drain();
    return res;
  }

  it('answers URL verification, plain and encrypted, without a signature', async () => {
    const plain = await t.bot.app.inject({ method: 'POST', url: '/feishu/events', payload: fixture('url_verification') });
    expect(plain.json()).toEqual({ challenge: 'ajls384kdjx98XX' });
    const encrypted = signedRequest(fixture('url_verification'));
    const res = await t.bot.app.inject({ method: 'POST', url: '/feishu/events', headers: { 'content-type': 'application/json' }, payload: encrypted.body });
    expect(res.json()).toEqual({ challenge: 'ajls384kdjx98XX' });
    const wrongToken = await t.bot.app.inject({ method: 'POST', url: '/feishu/events', payload: { ...fixture('url_verification'), token: 'forged' } });
    expect(wrongToken.statusCode).toBe(401);
  });

  it('turns a report in the group into a ticket, a card 2.0 reply and a dispatch card', async () => {
    await report();
    expect(await t.bot.db.ticket.count()).toBe(1);
    const [intake] = feishu.cardsIn(FEISHU_CHAT.intake);
    const [dispatch] = feishu.cardsIn(FEISHU_CHAT.engineers);
    expect(intake!.content).toMatchObject({ schema: '2.0', config: { update_multi: true }, header: { template: 'yellow' } });
    expect(intake!.content.header.title.content).toMatch(/^工单 IT-\d{8}-\d{4} · P3 中$/);
    expect(JSON.stringify(intake!.content.body)).toContain('PC-0231');
    const button = JSON.stringify(dispatch!.content.body);
    expect(button).toContain('"content":"认领"');
    expect(button).toContain('"type":"callback"');
  });

  it('creates nothing twice when Feishu delivers the same message again', async () => {
    const event = messageEvent({ from: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, text: REPORT, mentionBot: feishu.botOpenId });
    await post(signedRequest(event));
    const again = await post(signedRequest({ ...event, header: { ...event.header, event_id: 'a-new-delivery-id' } }));
    expect(again.statusCode).toBe(200);
    const replay = signedRequest(event);
    await post(replay);
    await post(replay);
    await t.bot.outbox.drain();
    expect(await t.bot.db.ticket.count()).toBe(1);
    expect(feishu.sent).toHaveLength(2);
  });

  it('claims from the card: toast and the new card in the response, every card patched, the reporter told', async () => {
    await report();
    const [dispatch] = feishu.cardsIn(FEISHU_CHAT.engineers);
    const [intake] = feishu.cardsIn(FEISHU_CHAT.intake);
    const value = JSON.parse(JSON.stringify(dispatch!.content.body)).elements.at(-1).columns[0].elements[0].behaviors[0].value;
    const click = await post(signedRequest(cardAction({ operator: OPEN_ID['wang-wei'], chatId: FEISHU_CHAT.engineers, messageId: dispatch!.id, value })));
    expect(click.statusCode).toBe(200);
    const answer = click.json();
    expect(answer.toast).toMatchObject({ type: 'success', content: expect.stringMatching(/^已认领 IT-/) });
    expect(answer.card.type).toBe('raw');
    expect(answer.card.data.schema).toBe('2.0');
    expect(JSON.stringify(answer.card.data)).toContain('王工 已认领');
    expect(JSON.stringify(answer.card.data)).not.toContain('"认领"');

    await t.bot.outbox.drain();
    expect(feishu.patches.map((p) => p.messageId).sort()).toEqual([dispatch!.id, intake!.id].sort());
    const told = feishu.sent.filter((m) => m.msgType === 'text').at(-1)!;
    expect(told.chatId).toBe(FEISHU_CHAT.intake);
    expect(told.content.text).toMatch(/^<at user_id="ou_zhangli">张丽<\/at> 您报修的 IT-\d{8}-\d{4} 已由 王工/);
  });

  it('refuses a click by someone who is not an IT engineer with a toast, patching nothing', async () => {
    await report();
    const [dispatch] = feishu.cardsIn(FEISHU_CHAT.engineers);
    const value = dispatch!.content.body.elements.at(-1).columns[0].elements[0].behaviors[0].value;
    const click = await post(signedRequest(cardAction({ operator: OPEN_ID['liu-yang'], chatId: FEISHU_CHAT.engineers, messageId: dispatch!.id, value })));
    expect(click.json()).toEqual({ toast: { type: 'warning', content: '只有信息科工程师可以认领工单。' } });
    await t.bot.outbox.drain();
    expect(feishu.patches).toEqual([]);
  });

  it('refuses forged, stale, unsigned and malformed requests, changing nothing', async () => {
    const event = messageEvent({ from: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, text: REPORT, mentionBot: feishu.botOpenId });
    const forged = signedRequest(event, { encryptKey: 'not-the-key' });
    const good = signedRequest(event);
    const cases = [
      { name: 'forged signature', req: { ...good, headers: { ...good.headers, 'x-lark-signature': forged.headers['x-lark-signature'] } }, status: 401 },
      { name: 'signed with another key', req: forged, status: 401 },
      { name: 'stale', req: signedRequest(event, { timestamp: Math.floor(Date.now() / 1000) - 3600 }), status: 401 },
      { name: 'unsigned', req: { body: good.body, headers: { 'content-type': 'application/json' } }, status: 401 },
      { name: 'body changed after signing', req: { ...good, body: good.body.replace(/.{4}"}$/, 'AAAA"}') }, status: 401 },
      { name: "plain event under another body's signature", req: { body: JSON.stringify(event), headers: good.headers }, status: 401 },
      { name: 'plain event, unsigned', req: { body: JSON.stringify(event), headers: { 'content-type': 'application/json' } }, status: 400 },
      { name: 'not JSON', req: { body: '{"encrypt":', headers: good.headers }, status: 400 },
      { name: 'wrong token', req: signedRequest({ ...event, header: { ...event.header, token: 'forged' } }), status: 401 },
    ];
    for (const c of cases) {
      const res = await post(c.req);
      expect(res.statusCode, c.name).toBe(c.status);
      expect(res.json().error, c.name).toBeTruthy();
    }
    await t.bot.outbox.drain();
    expect(await t.bot.db.ticket.count()).toBe(0);
    expect(await t.bot.db.inboundEvent.count()).toBe(0);
    expect(feishu.sent).toEqual([]);
  });

  it('ignores messages from bots, takes a report from someone the file lacks, and answers them politely elsewhere', async () => {
    const fromApp = messageEvent({ from: 'ou_some_app', chatId: FEISHU_CHAT.intake, text: REPORT, mentionBot: feishu.botOpenId });
    fromApp.event.sender.sender_type = 'app';
    await post(signedRequest(fromApp));
    expect(feishu.sent).toEqual([]);
    const elsewhere = messageEvent({ from: 'ou_stranger', chatId: FEISHU_CHAT.engineers, text: '请问怎么报修', mentionBot: feishu.botOpenId });
    await post(signedRequest(elsewhere));
    await t.bot.outbox.drain();
    expect(feishu.sent.map((m) => m.content.text)).toEqual(['您还未登记在本院通讯录中，暂时无法使用。请联系信息科（分机 8800）登记。']);
    // In the intake group a report is never refused: a ticket, and the department asked.
    await report(REPORT, 'ou_stranger');
    expect(await t.bot.db.ticket.findFirstOrThrow()).toMatchObject({ reporterId: 'feishu:ou_stranger' });
    expect(feishu.cardsIn(FEISHU_CHAT.intake).map((m) => m.content.header.title.content)).toEqual([expect.stringMatching(/^工单 IT-/), '请问您是哪个科室的？']);
  });

  it('knows its own mention by its name while the bot info cannot be read', async () => {
    await t.close();
    await feishu.close();
    ({ feishu, t } = await createFeishuTestBot({}, (api) => api.fail({ kind: 'server-error' })));
    expect(feishu.requests.filter((r) => r.path === '/open-apis/bot/v3/info').map((r) => r.outcome)).toEqual(['server-error']);
    // In the engineers' group only a mention of the bot is answered. Its mention here carries ids like
    // a person's; its name tells it apart meanwhile.
    const event = messageEvent({ from: OPEN_ID['wang-wei'], chatId: FEISHU_CHAT.engineers, text: '请问在哪里报修', mentionBot: 'ou_not_yet_known' });
    event.event.message.mentions[0].id.user_id = 'u_bot';
    expect((await post(signedRequest(event))).statusCode).toBe(200);
    await t.bot.outbox.drain();
    expect(feishu.sent.filter((m) => m.chatId === FEISHU_CHAT.engineers).map((m) => JSON.stringify(m.content))).toEqual([
      expect.stringContaining('信息科报修群'),
    ]);
  });

  it('keeps a burst of sends to one chat within 5 per second', async () => {
    await t.bot.db.$transaction(async (tx) => {
      const outbox = new Outbox(tx, () => new Date());
      for (let i = 0; i < 12; i++) await outbox.send({ platform: 'feishu', chatId: FEISHU_CHAT.engineers }, { type: 'text', text: `第 ${i + 1} 条` });
    });
    await t.bot.outbox.drain();
    const times = feishu.sent.map((m) => m.at);
    expect(times).toHaveLength(12);
    // The limiter spaces them at the client (unit-tested exactly with fake time); loopback jitter
    // moves arrival times a little, while without a limit all twelve would land within milliseconds.
    for (let i = 5; i < times.length; i++) expect(times[i]! - times[i - 5]!).toBeGreaterThanOrEqual(800);
    expect(feishu.sent.map((m) => m.content.text)).toEqual(Array.from({ length: 12 }, (_, i) => `第 ${i + 1} 条`));
  });

  it('backs off on 429 by x-ogw-ratelimit-reset and on 5xx, and refreshes an expired token once', async () => {
    const send = (text: string) =>
      t.bot.db.$transaction((tx) => new Outbox(tx, () => new Date()).send({ platform: 'feishu', chatId: FEISHU_CHAT.intake }, { type: 'text', text }));
    await send('限流');
    feishu.fail({ kind: 'rate-limit', resetSeconds: 7 });
    await t.bot.outbox.drain();
    const row = await t.bot.db.outbox.findFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.nextAttemptAt.getTime() - t.clock.now().getTime()).toBeGreaterThan(6000);
    t.clock.advance(1);
    await t.bot.outbox.drain();
    expect(feishu.sent.map((m) => m.content.text)).toEqual(['限流']);

    await send('服务器错误');
    feishu.fail({ kind: 'server-error' });
    await t.bot.outbox.drain();
    expect(feishu.sent).toHaveLength(1);
    t.clock.advance(1);
    await t.bot.outbox.drain();
    expect(feishu.sent).toHaveLength(2);

    const tokensBefore = feishu.tokenRequests.length;
    feishu.expireTokens();
    await send('令牌过期');
    await t.bot.outbox.drain();
    expect(feishu.sent.at(-1)!.content.text).toBe('令牌过期');
    expect(feishu.tokenRequests.length).toBe(tokensBefore + 1);
  });
});

describe('Feishu images', () => {
  it('keeps the screenshot of a report with the ticket, fetched through the message-resource API', async () => {
    const feishu = new FeishuOpenApi();
    await feishu.start();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    feishu.resources.set('img_v2_screenshot', png);
    const t = await createTestBot({ SIMULATOR: 'off', FEISHU_APP_ID: 'cli_x', FEISHU_APP_SECRET: 's', FEISHU_DOMAIN: feishu.url }, feishuDirectory());
    await t.bot.start();
    const event = messageEvent({ from: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, text: '', mentionBot: feishu.botOpenId });
    event.event.message.message_type = 'post';
    event.event.message.content = JSON.stringify({
      title: '',
      content: [
        [
          { tag: 'at', user_id: '@_user_1', user_name: '信息科助手' },
          { tag: 'text', text: ' 收费处电脑蓝屏，资产号PC-0420，截图如下' },
        ],
        [{ tag: 'img', image_key: 'img_v2_screenshot' }],
      ],
    });
    expect((await t.bot.app.inject({ method: 'POST', url: '/feishu/events', payload: event })).statusCode).toBe(200);
    await t.bot.attachments.drain();
    const ticket = await t.bot.db.ticket.findFirstOrThrow({ include: { attachments: true } });
    expect(ticket.description).toBe('收费处电脑蓝屏，资产号PC-0420，截图如下');
    expect(ticket.attachments).toMatchObject([{ kind: 'image', status: 'stored', size: png.length, mime: 'image/png' }]);
    const file = await t.bot.app.inject({
      url: `/api/tickets/${ticket.number}/attachments/${ticket.attachments[0]!.id}`,
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(file.rawPayload.equals(png)).toBe(true);
    await t.close();
    await feishu.close();
  });
});

describe('Feishu people matched by mobile', () => {
  it('recognizes a sender by the mobile in the organisation file and remembers them', async () => {
    const feishu = new FeishuOpenApi();
    await feishu.start();
    feishu.contacts.set('ou_heping', { mobile: '+8613900001111' });
    const t = await createTestBot(
      { SIMULATOR: 'off', FEISHU_APP_ID: 'cli_x', FEISHU_APP_SECRET: 's', FEISHU_DOMAIN: feishu.url, FEISHU_USER_MATCH: 'mobile' },
      feishuDirectory(),
    );
    await t.bot.start();
    const event = messageEvent({ from: 'ou_heping', chatId: FEISHU_CHAT.intake, text: '门诊药房电脑蓝屏，资产号PC-0777', mentionBot: feishu.botOpenId });
    const res = await t.bot.app.inject({ method: 'POST', url: '/feishu/events', payload: event });
    expect(res.statusCode).toBe(200);
    const ticket = await t.bot.db.ticket.findFirstOrThrow();
    expect(ticket.reporterId).toBe('he-ping');
    expect(
      await t.bot.db.platformIdentity.findUnique({ where: { platform_platformUserId: { platform: 'feishu', platformUserId: 'ou_heping' } } }),
    ).toMatchObject({ personId: 'he-ping' });
    await t.close();
    await feishu.close();
  });
});
