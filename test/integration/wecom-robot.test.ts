import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WeComAdapter } from '../../adapters/wecom/adapter.js';
import { WeComCrypto } from '../../adapters/wecom/crypto.js';
import { createTestBot, type TestBot } from '../helpers/bot.js';
import { passiveReply, WeComApiStandIn } from '../helpers/wecom-api.js';
import { USERID, WECOM_CHAT, wecomDirectory } from '../helpers/wecom-org.js';

const ROBOT = { token: 'robotToken456', aes: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
const robotCrypto = new WeComCrypto(ROBOT.token, ROBOT.aes);
const APP_ENV = { WECOM_CORP_ID: 'ww-hospital-corp', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 'app-secret' };
const REPORT = '门诊3楼212诊室打印机卡纸，资产号PC-0231，电话8123';

/**
 * The smart robot over its HTTP callback, without the long connection, against a stand-in that
 * holds it to WeCom's rules: each response_url once and within the hour, no template card to a
 * group through one, the callback's answer under the callback's own nonce, a click answered only
 * by updating its card.
 */
describe('WeCom smart robot, HTTP callback mode', () => {
  let wecom: WeComApiStandIn;
  let t: TestBot;

  async function start(env: Record<string, string>) {
    wecom = new WeComApiStandIn();
    await wecom.start();
    t = await createTestBot(
      { SIMULATOR: 'off', WECOM_API_BASE: wecom.url, WECOM_ROBOT_TOKEN: ROBOT.token, WECOM_ROBOT_AES_KEY: ROBOT.aes, ...env },
      wecomDirectory(),
    );
    // The stand-in keeps the bot's time, so an hour on the bot's clock is an hour to WeCom.
    wecom.clock = () => t.clock.now().getTime();
  }
  afterEach(async () => {
    await t.close();
    await wecom.close();
  });

  /** A callback as WeCom sends it; its answer opened as WeCom opens it (refused under another nonce). */
  async function robot(payload: Record<string, unknown>) {
    const encrypt = robotCrypto.encrypt(JSON.stringify(payload), '');
    const timestamp = Math.floor(Date.now() / 1000);
    const nonce = randomUUID().slice(0, 10);
    const query = `msg_signature=${robotCrypto.signature(String(timestamp), nonce, encrypt)}&timestamp=${timestamp}&nonce=${nonce}`;
    const res = await t.bot.app.inject({ method: 'POST', url: `/wecom/robot?${query}`, payload: { encrypt } });
    expect(res.statusCode).toBe(200);
    await t.bot.outbox.drain();
    await (t.bot.adapters.get('wecom') as WeComAdapter).settled();
    const event = payload.event as { eventtype?: string } | undefined;
    return passiveReply(robotCrypto, { nonce, kind: event?.eventtype === 'template_card_event' ? 'click' : 'message' }, res);
  }
  const message = (userid: string, chatid: string | undefined, body: Record<string, unknown>) => {
    const chat = chatid ?? `user:${userid}`;
    return robot({
      msgid: randomUUID(),
      aibotid: 'bot',
      ...(chatid ? { chatid, chattype: 'group' } : { chattype: 'single' }),
      from: { userid },
      response_url: wecom.responseUrl(chat, chatid ? 'group' : 'single'),
      ...body,
    });
  };
  const say = (userid: string, chatid: string | undefined, content: string) =>
    message(userid, chatid, { msgtype: 'text', text: { content: chatid ? `@信息科助手 ${content}` : content } });
  const click = (userid: string, chatid: string, eventKey: string, taskId: string, shape: 'nested' | 'flat') =>
    robot({
      msgid: randomUUID(),
      aibotid: 'bot',
      chatid,
      chattype: 'group',
      from: { userid },
      response_url: wecom.responseUrl(chatid),
      msgtype: 'event',
      event:
        shape === 'nested'
          ? { eventtype: 'template_card_event', template_card_event: { card_type: 'button_interaction', event_key: eventKey, task_id: taskId } }
          : { eventtype: 'template_card_event', event_key: eventKey, task_id: taskId },
    });
  const markdownTo = (chat: string) =>
    wecom.responses.filter((r) => r.id === chat && r.body.msgtype === 'markdown').map((r) => r.body.markdown.content as string);
  const waiting = (chatId: string) => t.bot.db.outbox.count({ where: { chatId, status: 'pending' } });

  describe('with the self-built application', () => {
    beforeEach(() => start(APP_ENV));

    it('greets a group it enters (enter_chat): how to bind an unbound one, what a bound one is; a single chat gets nothing', async () => {
      const enter = (chatid: string | undefined) => message(USERID['zhang-li'], chatid, { msgtype: 'event', event: { eventtype: 'enter_chat' } });
      const textOf = (answer: Awaited<ReturnType<typeof robot>>) => String(answer?.stream?.content ?? answer?.markdown?.content ?? answer?.text?.content ?? '');

      const unbound = textOf(await enter('wrWardGroup'));
      expect(unbound).toMatch(/^大家好，我是信息科助手/);
      expect(unbound).toContain('请管理员或信息科主任在群里发送「绑定 报修群」/「绑定 工程师群」/「绑定 领导群」完成设置');
      expect(textOf(await enter(WECOM_CHAT.intake))).toMatch(/^大家好，我是信息科助手。本群是「信息科报修群」（报修群，组织文件绑定）/);
      // In the unbound group a mention is answered with how to bind it, and nothing is created.
      expect(textOf(await say(USERID['zhang-li'], 'wrWardGroup', '打印机卡纸了'))).toMatch(/^本群还没有设置用途/);
      expect(await t.bot.db.ticket.count()).toBe(0);
      // A person opening the robot's single chat needs no setting up.
      const before = wecom.responses.length + wecom.sent.length;
      expect(await enter(undefined)).toBeUndefined();
      expect(wecom.responses.length + wecom.sent.length).toBe(before);
      expect(wecom.refused).toEqual([]);
    });

    it('answers a report in its own callback, and reaches the engineers once through a message’s reply URL, the card as markdown with its typed command', async () => {
      const help = await say(USERID['wang-wei'], WECOM_CHAT.engineers, '帮助');
      expect(help).toMatchObject({ msgtype: 'stream', stream: { finish: true, content: expect.stringContaining('使用帮助') } });

      const answer = await say(USERID['zhang-li'], WECOM_CHAT.intake, REPORT);
      const ticket = await t.bot.db.ticket.findFirstOrThrow();
      expect(answer?.template_card).toMatchObject({
        card_type: 'button_interaction',
        main_title: { title: expect.stringMatching(/^工单 IT-\d{8}-\d{4}/), desc: '待认领' },
      });
      // The engineers' group: through the URL the help request brought, as markdown (no card goes to a group that way).
      const dispatch = markdownTo(WECOM_CHAT.engineers);
      expect(dispatch).toHaveLength(1);
      expect(dispatch[0]).toContain(`新报修 ${ticket.number}`);
      expect(dispatch[0]).toContain(`认领：发送「@信息科助手 认领 ${ticket.number}」`);
      expect(wecom.responses.some((r) => r.body.msgtype === 'template_card' && !r.id.startsWith('user:'))).toBe(false);

      await say(USERID['wang-wei'], WECOM_CHAT.engineers, `认领 ${ticket.number}`);
      expect((await t.bot.db.ticket.findFirstOrThrow()).assigneeId).toBe('wang-wei');
      // The reporter hears of it through the URL their report brought (its callback carried the card).
      expect(markdownTo(WECOM_CHAT.intake).some((m) => m.includes(`您报修的 ${ticket.number} 已由 王工`))).toBe(true);
      expect(wecom.refused).toEqual([]);
      expect(wecom.sent).toEqual([]);
    });

    it('uses each reply URL once: a second message to a group waits for the next message there, and goes out in its answer', async () => {
      await say(USERID['wang-wei'], WECOM_CHAT.engineers, '帮助');
      await say(USERID['zhang-li'], WECOM_CHAT.intake, REPORT);
      await say(USERID['li-na'], WECOM_CHAT.intake, '药房的扫码枪扫不出来，资产号SC-0032，电话8456');
      const second = await t.bot.db.ticket.findFirstOrThrow({ orderBy: { id: 'desc' } });
      // One URL in the engineers' group, two dispatches: the second waits, never sent through a spent URL.
      expect(markdownTo(WECOM_CHAT.engineers)).toHaveLength(1);
      expect(await waiting(WECOM_CHAT.engineers)).toBe(1);
      expect(wecom.refused).toEqual([]);

      // An engineer writes there: what waited rides in that callback's answer, as the card itself.
      const answer = await say(USERID['wang-wei'], WECOM_CHAT.engineers, '帮助');
      expect(answer?.template_card?.main_title.title).toContain(`新报修 ${second.number}`);
      expect(answer?.template_card?.button_list.map((b: { text: string }) => b.text)).toContain('认领');
      // The help it asked for goes through the URL it brought.
      expect(markdownTo(WECOM_CHAT.engineers).at(-1)).toContain('使用帮助');
      expect(await waiting(WECOM_CHAT.engineers)).toBe(0);
      expect(await t.bot.db.outbox.count({ where: { status: 'dead' } })).toBe(0);
      expect(wecom.refused).toEqual([]);
    });

    it('never uses a reply URL past its hour', async () => {
      await say(USERID['wang-wei'], WECOM_CHAT.engineers, '帮助');
      t.clock.advance(61);
      await say(USERID['zhang-li'], WECOM_CHAT.intake, REPORT);
      expect(markdownTo(WECOM_CHAT.engineers)).toEqual([]);
      expect(await waiting(WECOM_CHAT.engineers)).toBe(1);
      expect(wecom.refused).toEqual([]);
    });

    it('answers a click only by updating its card (both shapes of the click), and says a refusal in the chat', async () => {
      const card = (await say(USERID['zhang-li'], WECOM_CHAT.intake, REPORT))!.template_card;
      const solved = card.button_list.find((b: { text: string }) => b.text === '问题已解决');

      // Someone else's report: refused, the card left as it is, the refusal said to them in the group.
      expect(await click(USERID['li-na'], WECOM_CHAT.intake, solved.key, card.task_id, 'flat')).toBeUndefined();
      const refusal = markdownTo(WECOM_CHAT.intake).at(-1)!;
      expect(refusal).toMatch(new RegExp(`^<@${USERID['li-na']}> `));
      expect((await t.bot.db.ticket.findFirstOrThrow()).status).not.toBe('closed');

      const updated = await click(USERID['zhang-li'], WECOM_CHAT.intake, solved.key, card.task_id, 'nested');
      expect(updated).toMatchObject({ response_type: 'update_template_card', template_card: { task_id: card.task_id } });
      expect(updated!.template_card.button_list).toEqual([]);
      expect((await t.bot.db.ticket.findFirstOrThrow()).status).toBe('closed');
      expect(wecom.refused).toEqual([]);
    });
  });

  describe('without the self-built application', () => {
    beforeEach(() => start({}));

    it('answers a single chat through the robot itself: the callback’s answer, then the chat’s reply URL', async () => {
      const answer = await say(USERID['zhang-li'], undefined, REPORT);
      const ticket = await t.bot.db.ticket.findFirstOrThrow();
      expect(ticket.reporterId).toBe('zhang-li');
      expect(answer?.template_card?.main_title.title).toContain(ticket.number);

      await say(USERID['wang-wei'], WECOM_CHAT.engineers, `认领 ${ticket.number}`);
      expect(markdownTo(`user:${USERID['zhang-li']}`).some((m) => m.includes(`您报修的 ${ticket.number} 已由 王工`))).toBe(true);
      expect(wecom.tokenRequests).toBe(0);
      expect(await t.bot.db.outbox.count({ where: { chatId: `user:${USERID['zhang-li']}`, status: { not: 'sent' } } })).toBe(0);
      expect(wecom.refused).toEqual([]);
    });

    it('takes a voice note as its transcript, and a screenshot or a file as the report’s attachments', async () => {
      const zhang = USERID['zhang-li'];
      await message(zhang, undefined, { msgtype: 'voice', voice: { content: REPORT } });
      const ticket = await t.bot.db.ticket.findFirstOrThrow();
      expect(ticket.description).toContain('打印机卡纸');

      const screenshot = Buffer.from('PNG screenshot of the error dialog');
      const log = Buffer.from('print spooler log');
      await message(zhang, undefined, { msgtype: 'image', image: { url: wecom.media(screenshot, ROBOT.aes) } });
      await message(zhang, undefined, { msgtype: 'file', file: { url: wecom.media(log, ROBOT.aes) } });
      // The fetcher's own run may have started before the file arrived: one more after it.
      await t.bot.attachments.idle();
      await t.bot.attachments.drain();
      const files = await t.bot.db.attachment.findMany({ where: { ticketId: ticket.id }, orderBy: { id: 'asc' } });
      expect(files.map((f) => [f.kind, f.status])).toEqual([
        ['image', 'stored'],
        ['file', 'stored'],
      ]);
      expect(await readFile(files[0]!.path!)).toEqual(screenshot);
      expect(await readFile(files[1]!.path!)).toEqual(log);

      // Text and a picture in one message, in the group: one report with its picture.
      await message(USERID['li-na'], WECOM_CHAT.intake, {
        msgtype: 'mixed',
        mixed: {
          msg_item: [
            { msgtype: 'text', text: { content: '@信息科助手 药房的扫码枪扫不出来，资产号SC-0032，电话8456' } },
            { msgtype: 'image', image: { url: wecom.media(screenshot, ROBOT.aes) } },
          ],
        },
      });
      const second = await t.bot.db.ticket.findFirstOrThrow({ where: { reporterId: 'li-na' }, include: { attachments: true } });
      expect(second.description).toContain('扫码枪');
      expect(second.attachments.map((a) => a.kind)).toEqual(['image']);
    });
  });
});
