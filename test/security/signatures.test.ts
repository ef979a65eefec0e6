import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptFeishu, feishuSignature } from '../../adapters/feishu/crypto.js';
import type { WeComAdapter } from '../../adapters/wecom/adapter.js';
import { WeComCrypto } from '../../adapters/wecom/crypto.js';
import { buttonKey } from '../../adapters/wecom/render.js';
import { servicesFor } from '../../bot/services.js';
import {
  createEveryPlatformBot,
  settledState,
  wecomAppCrypto,
  wecomQuery,
  wecomRobotCrypto,
  WECOM_APP,
  WECOM_CORP_ID,
  WECOM_ROBOT,
  type EveryPlatformBot,
} from '../helpers/every-platform.js';
import { cardAction, ENCRYPT_KEY, fixture, messageEvent, signedRequest, VERIFICATION_TOKEN } from '../helpers/feishu-events.js';
import { createTestBot } from '../helpers/bot.js';
import { FeishuOpenApi } from '../helpers/feishu-openapi.js';
import { feishuDirectory } from '../helpers/feishu-org.js';
import { FEISHU_CHAT, OPEN_ID } from '../helpers/feishu-org.js';
import { USERID, WECOM_CHAT } from '../helpers/wecom-org.js';

/**
 * Every platform door with forged, stale, misaddressed and replayed requests. The basic cases
 * (a forged or other-key Feishu signature, a stale or unsigned Feishu event, a wrong token, a stale
 * or misaddressed WeCom application message, a replayed Feishu or WeCom message) are in
 * test/integration/feishu.test.ts and wecom.test.ts; this is the rest of the matrix.
 */
const REPORT = '门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话8123';
const now = () => Math.floor(Date.now() / 1000);

interface Case {
  name: string;
  req: InjectOptions;
  status: 400 | 401 | 415;
}

describe('platform endpoints refuse what they cannot trust', () => {
  let e: EveryPlatformBot;
  const inject = (req: InjectOptions) => e.t.bot.app.inject(req);

  /** Each case is refused with its status and a reason, and nothing at all changes. */
  async function expectRefused(cases: Case[]) {
    const before = await settledState(e.t.bot);
    for (const c of cases) {
      const res = await inject(c.req);
      expect(res.statusCode, c.name).toBe(c.status);
      expect(res.json().error, c.name).toMatch(/\w/);
    }
    expect(await settledState(e.t.bot)).toEqual(before);
  }

  beforeAll(async () => {
    e = await createEveryPlatformBot();
  });
  afterAll(async () => e.close());

  describe('Feishu events (X-Lark-Signature, Encrypt Key, Verification Token)', () => {
    const event = () => messageEvent({ from: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, text: REPORT, mentionBot: 'ou_bot_helpdesk' });
    const post = (r: { body: string; headers: Record<string, string> }): InjectOptions => ({
      method: 'POST',
      url: '/feishu/events',
      headers: r.headers,
      payload: r.body,
    });
    /** A request signed over its exact bytes with the right key, whatever the body. */
    const signedBody = (body: string, timestamp = String(now()), nonce = randomUUID()) => ({
      body,
      headers: {
        'content-type': 'application/json',
        'x-lark-request-timestamp': timestamp,
        'x-lark-request-nonce': nonce,
        'x-lark-signature': feishuSignature(timestamp, nonce, ENCRYPT_KEY, body),
      },
    });

    it('refuses tampered headers, skewed or unreadable timestamps, missing headers, wrong keys and missing tokens', async () => {
      const good = signedRequest(event());
      const without = (name: string) => Object.fromEntries(Object.entries(good.headers).filter(([k]) => k !== name));
      const noToken = event();
      delete noToken.header.token;
      await expectRefused([
        { name: 'nonce changed after signing', req: post({ ...good, headers: { ...good.headers, 'x-lark-request-nonce': 'another-nonce' } }), status: 401 },
        {
          name: 'timestamp changed after signing',
          req: post({ ...good, headers: { ...good.headers, 'x-lark-request-timestamp': String(now() + 1) } }),
          status: 401,
        },
        {
          name: 'signature in upper case',
          req: post({ ...good, headers: { ...good.headers, 'x-lark-signature': good.headers['x-lark-signature'].toUpperCase() } }),
          status: 401,
        },
        {
          name: 'signature cut short',
          req: post({ ...good, headers: { ...good.headers, 'x-lark-signature': good.headers['x-lark-signature'].slice(0, 32) } }),
          status: 401,
        },
        { name: 'signed 10 minutes in the future', req: post(signedRequest(event(), { timestamp: now() + 600 })), status: 401 },
        { name: 'signed 6 minutes ago', req: post(signedRequest(event(), { timestamp: now() - 360 })), status: 401 },
        { name: 'timestamp in milliseconds', req: post(signedRequest(event(), { timestamp: Date.now() })), status: 401 },
        { name: 'timestamp not a number', req: post(signedBody(good.body, 'yesterday')), status: 401 },
        { name: 'no timestamp header', req: post({ body: good.body, headers: without('x-lark-request-timestamp') }), status: 401 },
        { name: 'no nonce header', req: post({ body: good.body, headers: without('x-lark-request-nonce') }), status: 401 },
        { name: 'no signature header', req: post({ body: good.body, headers: without('x-lark-signature') }), status: 401 },
        {
          name: 'encrypted with another key, signed with ours',
          req: post(signedBody(JSON.stringify({ encrypt: encryptFeishu(JSON.stringify(event()), 'another-key') }))),
          status: 400,
        },
        { name: 'signed plain event (not encrypted)', req: post(signedBody(JSON.stringify(event()))), status: 400 },
        { name: 'no verification token in the event', req: post(signedRequest(noToken)), status: 401 },
        {
          name: 'a card click with a wrong token',
          req: post(
            signedRequest({
              ...cardAction({
                operator: OPEN_ID['wang-wei'],
                chatId: FEISHU_CHAT.engineers,
                messageId: 'om_1',
                value: { action: 'ticket.claim', value: { ticket: 'IT-20261124-0001' } },
              }),
              header: { event_type: 'card.action.trigger', event_id: 'e1', token: 'forged' },
            }),
          ),
          status: 401,
        },
        {
          name: 'URL verification encrypted with another key',
          req: post(signedBody(JSON.stringify({ encrypt: encryptFeishu(JSON.stringify(fixture('url_verification')), 'another-key') }))),
          status: 400,
        },
        {
          name: 'URL verification without a challenge',
          req: {
            method: 'POST',
            url: '/feishu/events',
            payload: { ...fixture('url_verification'), token: 'rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV', challenge: undefined },
          },
          status: 400,
        },
        {
          name: 'form-encoded body',
          req: { method: 'POST', url: '/feishu/events', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'encrypt=x' },
          status: 415,
        },
        { name: 'empty body', req: { method: 'POST', url: '/feishu/events' }, status: 415 },
      ]);
    });

    it('answers an exact replay of an accepted click as a duplicate: one claim, one audit row, one message to the reporter', async () => {
      await e.t.say('zhang-li', 'intake', REPORT);
      const ticket = await e.t.bot.db.ticket.findFirstOrThrow({ orderBy: { id: 'desc' } });
      const click = signedRequest(
        cardAction({
          operator: OPEN_ID['wang-wei'],
          chatId: FEISHU_CHAT.engineers,
          messageId: 'om_dispatch',
          value: { action: 'ticket.claim', value: { ticket: ticket.number, v: 1 } },
        }),
      );
      const first = await inject(post(click));
      expect(first.json().toast).toEqual({ type: 'success', content: `已认领 ${ticket.number}，请尽快联系报修人` });
      const after = await settledState(e.t.bot);
      for (const replay of [
        click,
        { ...click },
        signedRequest(
          cardAction({
            operator: OPEN_ID['wang-wei'],
            chatId: FEISHU_CHAT.engineers,
            messageId: 'om_dispatch',
            value: { action: 'ticket.claim', value: { ticket: ticket.number, v: 1 } },
          }),
        ),
      ]) {
        const res = await inject(post(replay));
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({ toast: { type: 'info', content: '该操作已处理，请勿重复点击。' } });
      }
      expect(await settledState(e.t.bot)).toEqual(after);
      expect(await e.t.bot.db.auditLog.count({ where: { action: 'ticket.claimed', entityId: ticket.number } })).toBe(1);
    });
  });

  describe('WeCom application callback (msg_signature, timestamp, receive id)', () => {
    const text = (msgId: string) =>
      `<xml><ToUserName>${WECOM_CORP_ID}</ToUserName><FromUserName>${USERID['zhang-li']}</FromUserName><CreateTime>${now()}</CreateTime><MsgType>text</MsgType><Content><![CDATA[收费处电脑蓝屏，资产号PC-0720]]></Content><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`;
    const xml = (encrypt: string) => `<xml><ToUserName><![CDATA[${WECOM_CORP_ID}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
    const post = (query: string, body: string): InjectOptions => ({
      method: 'POST',
      url: `/wecom/callback?${query}`,
      headers: { 'content-type': 'text/xml' },
      payload: body,
    });
    const otherToken = new WeComCrypto('another-token', WECOM_APP.aes);
    const otherKey = new WeComCrypto(WECOM_APP.token, WECOM_ROBOT.aes);

    it('refuses forged, tampered, skewed and misaddressed callbacks, and URL checks that do not verify', async () => {
      const encrypt = wecomAppCrypto.encrypt(text('200'), WECOM_CORP_ID);
      const good = wecomQuery(wecomAppCrypto, encrypt);
      const params = new URLSearchParams(good);
      const withParam = (name: string, value?: string) => {
        const p = new URLSearchParams(good);
        if (value === undefined) p.delete(name);
        else p.set(name, value);
        return p.toString();
      };
      const other = wecomAppCrypto.encrypt(text('201'), WECOM_CORP_ID);
      const echo = wecomAppCrypto.encrypt('1616140317555161061', WECOM_CORP_ID);
      await expectRefused([
        { name: 'signature of zeros', req: post(withParam('msg_signature', '0'.repeat(40)), xml(encrypt)), status: 401 },
        { name: 'signature of another ciphertext', req: post(wecomQuery(wecomAppCrypto, other), xml(encrypt)), status: 401 },
        { name: 'nonce changed after signing', req: post(withParam('nonce', 'evil'), xml(encrypt)), status: 401 },
        { name: 'timestamp changed after signing', req: post(withParam('timestamp', String(Number(params.get('timestamp')) + 1)), xml(encrypt)), status: 401 },
        { name: 'signed with another token', req: post(wecomQuery(otherToken, encrypt), xml(encrypt)), status: 401 },
        { name: 'signed 10 minutes in the future', req: post(wecomQuery(wecomAppCrypto, encrypt, now() + 600), xml(encrypt)), status: 401 },
        { name: 'timestamp not a number', req: post(wecomQuery(wecomAppCrypto, encrypt, 'soon' as never), xml(encrypt)), status: 401 },
        { name: 'no msg_signature', req: post(withParam('msg_signature'), xml(encrypt)), status: 400 },
        { name: 'no timestamp', req: post(withParam('timestamp'), xml(encrypt)), status: 400 },
        { name: 'no nonce', req: post(withParam('nonce'), xml(encrypt)), status: 400 },
        { name: 'no Encrypt element', req: post(good, `<xml><ToUserName>${WECOM_CORP_ID}</ToUserName></xml>`), status: 400 },
        {
          name: 'encrypted with another EncodingAESKey, signed with the token',
          req: post(wecomQuery(wecomAppCrypto, otherKey.encrypt(text('202'), WECOM_CORP_ID)), xml(otherKey.encrypt(text('202'), WECOM_CORP_ID))),
          status: 401,
        },
        {
          name: 'encrypted for the smart robot (receive id "")',
          req: post(wecomQuery(wecomAppCrypto, wecomAppCrypto.encrypt(text('203'), '')), xml(wecomAppCrypto.encrypt(text('203'), ''))),
          status: 401,
        },
        {
          name: 'URL check for another corp',
          req: {
            url: `/wecom/callback?${wecomQuery(wecomAppCrypto, wecomAppCrypto.encrypt('1', 'ww-other'))}&echostr=${encodeURIComponent(wecomAppCrypto.encrypt('1', 'ww-other'))}`,
          },
          status: 401,
        },
        { name: 'URL check without echostr', req: { url: `/wecom/callback?${wecomQuery(wecomAppCrypto, echo)}` }, status: 400 },
        {
          name: 'URL check signed with another token',
          req: { url: `/wecom/callback?${wecomQuery(otherToken, echo)}&echostr=${encodeURIComponent(echo)}` },
          status: 401,
        },
      ]);
    });

    it('records an approval click once, however often the same click is delivered', async () => {
      const number = await e.t.bot.db.$transaction(async (tx) => {
        const deps = e.t.bot.router['deps'];
        const s = servicesFor(tx, { directory: deps.directory, clock: e.t.clock, timeZone: 'Asia/Shanghai', calendar: deps.calendar });
        const approval = await s.approvals.submit(
          'permission',
          deps.directory.person('zhang-li')!,
          { person: 'zhang-li', system: 'nurse-ws', action: 'create', permissions: '医嘱执行', reason: '新入职' },
          { platform: 'wecom', chatId: WECOM_CHAT.intake },
        );
        return approval.number;
      });
      const step = await e.t.bot.db.approvalStep.findFirstOrThrow({ where: { approval: { number }, status: 'pending' } });
      const key = buttonKey({ label: '同意', action: 'approval.decide', value: { approval: number, step: step.id, d: 'approve' } });
      const click = `<xml><ToUserName>${WECOM_CORP_ID}</ToUserName><FromUserName>${USERID['chen-jing']}</FromUserName><CreateTime>${now()}</CreateTime><MsgType>event</MsgType><Event>template_card_event</Event><EventKey><![CDATA[${key}]]></EventKey><TaskId>t-1</TaskId><AgentID>1000002</AgentID></xml>`;
      const encrypt = wecomAppCrypto.encrypt(click, WECOM_CORP_ID);
      const request = post(wecomQuery(wecomAppCrypto, encrypt), xml(encrypt));
      expect((await inject(request)).statusCode).toBe(200);
      const after = await settledState(e.t.bot);
      // The same bytes again, and the same click re-encrypted and re-signed as a WeCom retry would be.
      const again = wecomAppCrypto.encrypt(click, WECOM_CORP_ID);
      for (const replay of [request, post(wecomQuery(wecomAppCrypto, again), xml(again))]) expect((await inject(replay)).statusCode).toBe(200);
      expect(await settledState(e.t.bot)).toEqual(after);
      expect(await e.t.bot.db.approvalDecision.count({ where: { approverId: 'chen-jing' } })).toBe(1);
    });
  });

  describe('WeCom smart robot callback (msg_signature, timestamp, receive id "")', () => {
    const message = (msgid = randomUUID()) => ({
      msgid,
      aibotid: 'bot',
      chatid: WECOM_CHAT.intake,
      chattype: 'group',
      from: { userid: USERID['zhang-li'] },
      response_url: e.wecom.responseUrl(WECOM_CHAT.intake),
      msgtype: 'text',
      text: { content: `@信息科助手 ${REPORT}` },
    });
    const post = (query: string, body: unknown): InjectOptions => ({ method: 'POST', url: `/wecom/robot?${query}`, payload: body as object });
    const signedRobot = (payload: unknown, opts: { crypto?: WeComCrypto; receiveId?: string; timestamp?: number } = {}) => {
      const encrypt = wecomRobotCrypto.encrypt(JSON.stringify(payload), opts.receiveId ?? '');
      return post(wecomQuery(opts.crypto ?? wecomRobotCrypto, encrypt, opts.timestamp), { encrypt });
    };

    it('refuses forged, stale, misaddressed and unreadable callbacks', async () => {
      const encrypt = wecomRobotCrypto.encrypt(JSON.stringify(message()), '');
      const good = wecomQuery(wecomRobotCrypto, encrypt);
      const without = (name: string) => {
        const p = new URLSearchParams(good);
        p.delete(name);
        return p.toString();
      };
      const notJson = wecomRobotCrypto.encrypt('not json at all', '');
      const echo = wecomRobotCrypto.encrypt('8927158307157510436', '');
      await expectRefused([
        { name: 'signature of zeros', req: post(good.replace(/msg_signature=\w+/, `msg_signature=${'0'.repeat(40)}`), { encrypt }), status: 401 },
        { name: 'signed with the application token', req: signedRobot(message(), { crypto: new WeComCrypto(WECOM_APP.token, WECOM_ROBOT.aes) }), status: 401 },
        { name: 'signed 6 minutes ago', req: signedRobot(message(), { timestamp: now() - 360 }), status: 401 },
        { name: 'signed 10 minutes in the future', req: signedRobot(message(), { timestamp: now() + 600 }), status: 401 },
        { name: 'encrypted for the application (receive id = CorpID)', req: signedRobot(message(), { receiveId: WECOM_CORP_ID }), status: 401 },
        { name: 'no msg_signature', req: post(without('msg_signature'), { encrypt }), status: 400 },
        { name: 'no timestamp', req: post(without('timestamp'), { encrypt }), status: 400 },
        { name: 'no ciphertext', req: post(good, { message: 'hello' }), status: 400 },
        { name: 'ciphertext not base64 of whole blocks', req: post(wecomQuery(wecomRobotCrypto, 'AAAA'), { encrypt: 'AAAA' }), status: 400 },
        { name: 'decrypted payload not JSON', req: post(wecomQuery(wecomRobotCrypto, notJson), { encrypt: notJson }), status: 400 },
        {
          name: 'URL check signed with another token',
          req: { url: `/wecom/robot?${wecomQuery(new WeComCrypto('x', WECOM_ROBOT.aes), echo)}&echostr=${encodeURIComponent(echo)}` },
          status: 401,
        },
        { name: 'URL check without echostr', req: { url: `/wecom/robot?${wecomQuery(wecomRobotCrypto, echo)}` }, status: 400 },
      ]);
    });

    it('creates one ticket from a report delivered again, and answers a replayed click as a duplicate', async () => {
      const tickets = await e.t.bot.db.ticket.count();
      const report = message();
      const first = signedRobot(report);
      expect((await inject(first)).statusCode).toBe(200);
      expect(await e.t.bot.db.ticket.count()).toBe(tickets + 1);
      const afterReport = await settledState(e.t.bot);
      for (const replay of [first, signedRobot(report), signedRobot({ ...report, response_url: e.wecom.responseUrl(WECOM_CHAT.intake) })]) {
        expect((await inject(replay)).statusCode).toBe(200);
      }
      expect(await settledState(e.t.bot)).toEqual(afterReport);

      const ticket = await e.t.bot.db.ticket.findFirstOrThrow({ orderBy: { id: 'desc' } });
      const key = buttonKey({ label: '认领', action: 'ticket.claim', value: { ticket: ticket.number, v: 1 } });
      const click = {
        msgid: randomUUID(),
        chatid: WECOM_CHAT.engineers,
        chattype: 'group',
        from: { userid: USERID['wang-wei'] },
        response_url: e.wecom.responseUrl(WECOM_CHAT.engineers),
        msgtype: 'event',
        event: { eventtype: 'template_card_event', template_card_event: { event_key: key, task_id: 't-claim' } },
      };
      const claimed = await inject(signedRobot(click));
      expect(claimed.statusCode).toBe(200);
      await (e.t.bot.adapters.get('wecom') as WeComAdapter).settled();
      expect((await e.t.bot.db.ticket.findUniqueOrThrow({ where: { number: ticket.number } })).assigneeId).toBe('wang-wei');
      const afterClick = await settledState(e.t.bot);
      const said = e.wecom.responses.length;
      for (const replay of [signedRobot(click), signedRobot({ ...click, msgid: randomUUID(), response_url: e.wecom.responseUrl(WECOM_CHAT.engineers) })]) {
        const res = await inject(replay);
        // A click's answer can only update its card: the card is as it was, so the answer is empty and the toast is said in the chat.
        expect(res.body).toBe('');
        await (e.t.bot.adapters.get('wecom') as WeComAdapter).settled();
      }
      // The exact replay brings the URL the claim's answer used: only the other one can be answered.
      expect(e.wecom.responses.slice(said).map((r) => [r.id, r.body.markdown?.content])).toEqual([
        [WECOM_CHAT.engineers, `<@${USERID['wang-wei']}> 该操作已处理，请勿重复点击。`],
      ]);
      expect(await settledState(e.t.bot)).toEqual(afterClick);
    });
  });
});

describe('Feishu with a Verification Token and no Encrypt Key (plain events)', () => {
  it('takes only events that carry the token, whatever signature headers come with them', async () => {
    const feishu = new FeishuOpenApi();
    await feishu.start();
    const t = await createTestBot(
      { SIMULATOR: 'off', FEISHU_APP_ID: 'cli_x', FEISHU_APP_SECRET: 's', FEISHU_DOMAIN: feishu.url, FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN },
      feishuDirectory(),
    );
    const event = (token?: string) => {
      const e = messageEvent({ from: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, text: REPORT, mentionBot: feishu.botOpenId });
      if (token === undefined) delete e.header.token;
      else e.header.token = token;
      return e;
    };
    const post = (payload: unknown, headers: Record<string, string> = {}) =>
      t.bot.app.inject({
        method: 'POST',
        url: '/feishu/events',
        headers: { 'content-type': 'application/json', ...headers },
        payload: JSON.stringify(payload),
      });
    const before = await settledState(t.bot);
    for (const [name, payload] of [
      ['wrong token', event('forged')],
      ['no token', event()],
      ['token in another case', event(VERIFICATION_TOKEN.toLowerCase())],
      ['wrong v1 token at the top level', { ...event(), token: 'forged' }],
    ] as const) {
      const res = await post(payload, { 'x-lark-signature': 'anything', 'x-lark-request-timestamp': String(now()), 'x-lark-request-nonce': 'n' });
      expect(res.statusCode, name).toBe(401);
      expect(res.json().error, name).toBe('wrong verification token');
    }
    const encrypted = await post({ encrypt: encryptFeishu(JSON.stringify(event(VERIFICATION_TOKEN)), 'some-key') });
    expect(encrypted.statusCode).toBe(400);
    expect(await settledState(t.bot)).toEqual(before);
    expect((await post(event(VERIFICATION_TOKEN))).statusCode).toBe(200);
    expect(await t.bot.db.ticket.count()).toBe(1);
    await t.close();
    await feishu.close();
  });
});
