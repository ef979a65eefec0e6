import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RetryableSendError } from '../../bot/chat/ports.js';
import { WeComApi } from '../../adapters/wecom/api.js';
import { longConnectionFailure } from '../../adapters/wecom/adapter.js';
import { WeComCrypto } from '../../adapters/wecom/crypto.js';
import { WechatyAdapter } from '../../adapters/wechaty/adapter.js';
import { buildBot } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { servicesFor } from '../../bot/services.js';
import { createTestBot, type TestBot } from '../helpers/bot.js';
import { silentLog } from '../helpers/log.js';
import { WeComApiStandIn } from '../helpers/wecom-api.js';
import { USERID, WECOM_CHAT, wecomDirectory } from '../helpers/wecom-org.js';

const CORP_ID = 'ww-hospital-corp';
const APP = { token: 'appToken123', aes: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
const ROBOT = { token: 'robotToken456', aes: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
const appCrypto = new WeComCrypto(APP.token, APP.aes);
const robotCrypto = new WeComCrypto(ROBOT.token, ROBOT.aes);

/** A callback query signed over the ciphertext, as WeCom sends it. */
function signed(crypto: WeComCrypto, encrypted: string, timestamp = Math.floor(Date.now() / 1000)) {
  const nonce = randomUUID().slice(0, 8);
  return `msg_signature=${crypto.signature(String(timestamp), nonce, encrypted)}&timestamp=${timestamp}&nonce=${nonce}`;
}

describe('WeCom: the smart robot, the self-built application and webhooks', () => {
  let wecom: WeComApiStandIn;
  let t: TestBot;
  beforeEach(async () => {
    wecom = new WeComApiStandIn();
    await wecom.start();
    t = await createTestBot(
      {
        SIMULATOR: 'off',
        WECOM_API_BASE: wecom.url,
        WECOM_CORP_ID: CORP_ID,
        WECOM_AGENT_ID: '1000002',
        WECOM_SECRET: 'app-secret',
        WECOM_TOKEN: APP.token,
        WECOM_AES_KEY: APP.aes,
        WECOM_ROBOT_TOKEN: ROBOT.token,
        WECOM_ROBOT_AES_KEY: ROBOT.aes,
      },
      wecomDirectory(),
    );
  });
  afterEach(async () => {
    await t.close();
    await wecom.close();
  });

  /** A self-built application callback (XML). */
  async function appCallback(inner: string, opts: { timestamp?: number; receiveId?: string } = {}) {
    const encrypt = appCrypto.encrypt(inner, opts.receiveId ?? CORP_ID);
    const xml = `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
    const res = await t.bot.app.inject({
      method: 'POST',
      url: `/wecom/callback?${signed(appCrypto, encrypt, opts.timestamp)}`,
      headers: { 'content-type': 'text/xml' },
      payload: xml,
    });
    await t.bot.outbox.drain();
    return res;
  }

  it('answers the smart robot’s URL check (receive id "")', async () => {
    const echostr = robotCrypto.encrypt('8927158307157510436', '');
    const res = await t.bot.app.inject({ url: `/wecom/robot?${signed(robotCrypto, echostr)}&echostr=${encodeURIComponent(echostr)}` });
    expect(res.body).toBe('8927158307157510436');
    const forCorp = robotCrypto.encrypt('1', CORP_ID);
    expect((await t.bot.app.inject({ url: `/wecom/robot?${signed(robotCrypto, forCorp)}&echostr=${encodeURIComponent(forCorp)}` })).statusCode).toBe(401);
  });

  it('answers the application URL check, and refuses forged, stale, misaddressed and replayed callbacks', async () => {
    const echostr = appCrypto.encrypt('1616140317555161061', CORP_ID);
    const ok = await t.bot.app.inject({ url: `/wecom/callback?${signed(appCrypto, echostr)}&echostr=${encodeURIComponent(echostr)}` });
    expect(ok.body).toBe('1616140317555161061');
    const forged = await t.bot.app.inject({
      url: `/wecom/callback?msg_signature=${'0'.repeat(40)}&timestamp=1&nonce=2&echostr=${encodeURIComponent(echostr)}`,
    });
    expect(forged.statusCode).toBe(401);

    const text = (id: string) =>
      `<xml><ToUserName>${CORP_ID}</ToUserName><FromUserName>${USERID['zhang-li']}</FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType>text</MsgType><Content><![CDATA[收费处电脑蓝屏，资产号PC-0720]]></Content><MsgId>${id}</MsgId><AgentID>1000002</AgentID></xml>`;
    expect((await appCallback(text('100'), { timestamp: Math.floor(Date.now() / 1000) - 3600 })).statusCode).toBe(401);
    expect((await appCallback(text('101'), { receiveId: 'another-corp' })).statusCode).toBe(401);
    expect(await t.bot.db.ticket.count()).toBe(0);
    expect((await appCallback(text('102'))).statusCode).toBe(200);
    expect((await appCallback(text('102'))).statusCode).toBe(200);
    expect(await t.bot.db.ticket.count()).toBe(1);
  });

  it('lets a department head approve from the application card, and updates the card with the click’s response code', async () => {
    const number = await t.bot.db.$transaction(async (tx) => {
      const s = servicesFor(tx, {
        directory: t.bot.router['deps'].directory,
        clock: t.clock,
        timeZone: 'Asia/Shanghai',
        calendar: t.bot.router['deps'].calendar,
      });
      const requester = t.bot.router['deps'].directory.person('zhang-li')!;
      const a = await s.approvals.submit(
        'permission',
        requester,
        { person: 'zhang-li', system: 'nurse-ws', action: 'create', permissions: '医嘱执行', reason: '新入职' },
        { platform: 'wecom', chatId: WECOM_CHAT.intake },
      );
      return a.number;
    });
    t.bot.outbox.wake();
    await t.bot.outbox.drain();
    const card = wecom.sent.find((m) => m.touser === USERID['chen-jing'] && m.msgtype === 'template_card')!;
    expect(card.body.template_card.main_title.title).toBe(`权限申请 ${number} · 审批中`);
    const approve = card.body.template_card.button_list.find((b: { text: string }) => b.text === '同意');
    const click = `<xml><ToUserName>${CORP_ID}</ToUserName><FromUserName>${USERID['chen-jing']}</FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType>event</MsgType><Event>template_card_event</Event><EventKey><![CDATA[${approve.key}]]></EventKey><TaskId>${card.body.template_card.task_id}</TaskId><CardType>button_interaction</CardType><ResponseCode>rc-click-1</ResponseCode><AgentID>1000002</AgentID></xml>`;
    expect((await appCallback(click)).statusCode).toBe(200);
    const update = wecom.updates.find((u) => u.response_code === 'rc-click-1')!;
    expect(update.template_card.sub_title_text).toContain('✅ 陈静 同意');
    expect(update.template_card.button_list).toEqual([]);
    const decisions = await t.bot.db.approvalDecision.findMany();
    expect(decisions).toMatchObject([{ approverId: 'chen-jing', actorId: 'chen-jing', decision: 'approve' }]);
    const ownerCard = wecom.sent.find((m) => m.touser === USERID['gao-yan'] && m.msgtype === 'template_card')!;
    expect(ownerCard).toBeDefined();

    // Another instance (or this one after a restart) updates the owner's card with the code its send
    // returned, kept in the database: the click below carries no code of its own.
    const other = buildBot({
      config: loadConfig({
        DATABASE_URL: 'file:unused',
        SIMULATOR: 'off',
        WECOM_API_BASE: wecom.url,
        WECOM_CORP_ID: CORP_ID,
        WECOM_AGENT_ID: '1000002',
        WECOM_SECRET: 'app-secret',
        WECOM_TOKEN: APP.token,
        WECOM_AES_KEY: APP.aes,
      }),
      db: t.bot.db,
      directory: t.bot.router['deps'].directory,
      clock: t.clock,
      logger: false,
    });
    const approveOwner = ownerCard.body.template_card.button_list.find((b: { text: string }) => b.text === '同意');
    const encrypt = appCrypto.encrypt(
      `<xml><ToUserName>${CORP_ID}</ToUserName><FromUserName>${USERID['gao-yan']}</FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType>event</MsgType><Event>template_card_event</Event><EventKey><![CDATA[${approveOwner.key}]]></EventKey><TaskId>${ownerCard.body.template_card.task_id}</TaskId><AgentID>1000002</AgentID></xml>`,
      CORP_ID,
    );
    const res = await other.app.inject({
      method: 'POST',
      url: `/wecom/callback?${signed(appCrypto, encrypt)}`,
      headers: { 'content-type': 'text/xml' },
      payload: `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
    });
    expect(res.statusCode).toBe(200);
    await other.outbox.drain();
    const ownerUpdate = wecom.updates.filter((u) => u.template_card.task_id === ownerCard.body.template_card.task_id).at(-1)!;
    expect(ownerUpdate.response_code).toMatch(/^rc-send-/);
    expect(ownerUpdate.template_card.button_list).toEqual([]);
    expect(await t.bot.db.approvalDecision.count({ where: { approverId: 'gao-yan', decision: 'approve' } })).toBe(1);
    await other.app.close();
  });
});

describe('WeCom API', () => {
  it('fetches the token once for concurrent sends, refreshes it on 42001, and backs off on 45009', async () => {
    const wecom = new WeComApiStandIn();
    await wecom.start();
    const api = new WeComApi({ base: wecom.url, corpId: 'c', secret: 's', agentId: '1', log: silentLog });
    await Promise.all([api.send('a', { msgtype: 'markdown', markdown: { content: '1' } }), api.send('b', { msgtype: 'markdown', markdown: { content: '2' } })]);
    expect(wecom.tokenRequests).toBe(1);
    wecom.fail({ errcode: 42001 });
    await api.send('c', { msgtype: 'markdown', markdown: { content: '3' } });
    expect(wecom.tokenRequests).toBe(2);
    wecom.fail({ errcode: 45009 });
    await expect(api.send('d', { msgtype: 'markdown', markdown: { content: '4' } })).rejects.toMatchObject({
      name: 'RetryableSendError',
      retryAfterMs: 60_000,
    });
    expect(wecom.sent.map((m) => m.touser)).toEqual(['a', 'b', 'c']);
    await wecom.close();
  });

  it('tries a token refused as busy (-1) again later, and gives up on a wrong secret', async () => {
    const wecom = new WeComApiStandIn();
    await wecom.start();
    const api = new WeComApi({ base: wecom.url, corpId: 'c', secret: 's', agentId: '1', log: silentLog });
    const message = { msgtype: 'markdown', markdown: { content: '1' } };
    wecom.tokenFailures.push(-1);
    await expect(api.send('a', message)).rejects.toMatchObject({ name: 'RetryableSendError', retryAfterMs: 5_000 });
    await api.send('a', message);
    expect(wecom.sent.map((m) => m.touser)).toEqual(['a']);
    const other = new WeComApi({ base: wecom.url, corpId: 'c', secret: 'wrong', agentId: '1', log: silentLog });
    wecom.tokenFailures.push(40001);
    await expect(other.send('b', message)).rejects.toMatchObject({ name: 'PermanentSendError' });
    await wecom.close();
  });

  it('reads a failed long-connection send by its frame, as the HTTP API’s codes', () => {
    expect(longConnectionFailure({ errcode: 45009, errmsg: 'api freq out of limit' })).toMatchObject({ name: 'RetryableSendError', retryAfterMs: 60_000 });
    expect(longConnectionFailure({ headers: {}, body: { errcode: 40008, errmsg: 'invalid message type' } })).toMatchObject({ name: 'PermanentSendError' });
    expect(longConnectionFailure(new Error('socket closed'))).toMatchObject({ name: 'RetryableSendError' });
  });

  it('keeps webhook pushes to 20 a minute, handing back the 21st with when to try again (fake time)', async () => {
    const wecom = new WeComApiStandIn();
    await wecom.start();
    let now = 1_800_000_000_000;
    wecom.clock = () => now;
    const api = new WeComApi({ base: wecom.url, log: silentLog, now: () => now });
    // The outbox sends one chat's rows one after another and retries a handed-back row when told, as here.
    const handedBack: number[] = [];
    for (let i = 0; i < 45; i++) {
      for (;;) {
        try {
          await api.webhook('roster-key', { msgtype: 'markdown', markdown: { content: `第${i + 1}条` } });
          break;
        } catch (err) {
          expect(err).toBeInstanceOf(RetryableSendError);
          handedBack.push(i);
          now += (err as RetryableSendError).retryAfterMs!;
        }
      }
      now += 100;
    }
    expect(handedBack).toEqual([20, 40]);
    expect(wecom.webhooks).toHaveLength(45);
    const times = wecom.webhooks.map((w) => w.at);
    for (let i = 20; i < times.length; i++) expect(times[i]! - times[i - 20]!).toBeGreaterThanOrEqual(60_000);
    expect(wecom.webhooks.map((w) => w.body.markdown.content)).toEqual(Array.from({ length: 45 }, (_, i) => `第${i + 1}条`));
    await wecom.close();
  });
});

describe('Wechaty (mock puppet)', () => {
  it('turns a room report into a ticket and claims it by reply command, skipping its own messages', async () => {
    const { PuppetMock, mock } = await import('wechaty-puppet-mock');
    const mocker = new mock.Mocker();
    const me = mocker.createContact({ name: '信息科助手' });
    const zhang = mocker.createContact({ name: '张丽' });
    const wang = mocker.createContact({ name: '王伟' });
    const intake = mocker.createRoom({ topic: '信息科报修群', memberIdList: [zhang.id, me.id] });
    const engineers = mocker.createRoom({ topic: '信息科工程师群', memberIdList: [wang.id, me.id] });
    const { org } = wecomDirectory();
    org.people.find((p) => p.id === 'zhang-li')!.ids = { wechaty: { id: zhang.id } };
    org.people.find((p) => p.id === 'wang-wei')!.ids = { wechaty: { id: wang.id } };
    org.chats.find((c) => c.id === 'intake')!.ids = { wechaty: intake.id };
    org.chats.find((c) => c.id === 'engineers')!.ids = { wechaty: engineers.id };
    const { Directory } = await import('../../bot/org/directory.js');
    const t = await createTestBot({ SIMULATOR: 'off' }, new Directory(org));
    const adapter = new WechatyAdapter({ puppet: new PuppetMock({ mocker }), botName: '信息科助手', log: silentLog });
    t.bot.adapters.set('wechaty', adapter);
    mocker.login(me);
    await adapter.start(t.bot.router.handle);
    const said: string[] = [];
    // What the mock rooms show: every message said in them.
    type Room = { on(event: 'message', listener: (m: { text(): string }) => void): void };
    (intake as unknown as Room).on('message', (m) => said.push(m.text()));
    (engineers as unknown as Room).on('message', (m) => said.push(m.text()));

    const settle = async () => {
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 50));
        await t.bot.outbox.drain();
      }
    };
    zhang.say('@信息科助手 门诊3楼212诊室打印机卡纸，资产号PC-0231，电话8123', [me]).to(intake);
    await settle();
    const ticket = await t.bot.db.ticket.findFirstOrThrow();
    expect(said.some((x) => x.includes(`【新报修 ${ticket.number} · P3 中】`) && x.includes(`认领：回复「认领 ${ticket.number}」`))).toBe(true);

    wang.say(`认领 ${ticket.number}`).to(engineers);
    await settle();
    expect((await t.bot.db.ticket.findFirstOrThrow()).assigneeId).toBe('wang-wei');
    expect(said.some((x) => x.includes(`您报修的 ${ticket.number} 已由 王工`))).toBe(true);
    expect(await t.bot.db.ticket.count()).toBe(1);
    await adapter.stop();
    await t.close();
  });
});
