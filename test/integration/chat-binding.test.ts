import { afterEach, describe, expect, it } from 'vitest';
import { Directory } from '../../bot/org/directory.js';
import { syncOrganisation } from '../../bot/org/sync.js';
import { createTestBot, type TestBot } from '../helpers/bot.js';
import { createFeishuTestBot } from '../helpers/feishu-bot.js';
import { botAddedEvent, messageEvent, signedRequest } from '../helpers/feishu-events.js';
import type { FeishuOpenApi } from '../helpers/feishu-openapi.js';
import { FEISHU_CHAT, feishuDirectory, OPEN_ID } from '../helpers/feishu-org.js';

const REPORT = '病区护士站打印机卡纸，打不出医嘱单，资产号PC-0231，电话8123';
const WARD = 'oc_ward_new_group';
const DIRECTOR = 'ou_huangjun';

/** The sample hospital on Feishu, its IT director (an admin) known there too; `change` alters the file first. */
function hospital(change: (org: Directory['org']) => void = () => {}): Directory {
  const { org } = feishuDirectory();
  org.people.find((p) => p.id === 'huang-jun')!.ids = { feishu: { open_id: DIRECTOR } };
  change(org);
  return new Directory(org);
}

describe('Feishu: a new group is set up from chat', () => {
  let feishu: FeishuOpenApi;
  let t: TestBot;

  async function boot(directory = hospital()) {
    ({ feishu, t } = await createFeishuTestBot({}, undefined, directory));
  }
  afterEach(async () => {
    await t.close();
    await feishu.close();
  });

  const post = async (payload: unknown) => {
    const res = await t.bot.app.inject({ method: 'POST', url: '/feishu/events', ...toInject(signedRequest(payload)) });
    expect(res.statusCode).toBe(200);
    await t.bot.outbox.drain();
  };
  const toInject = (r: { body: string; headers: Record<string, string> }) => ({ headers: r.headers, payload: r.body });
  /** A person's message in a group, @-mentioning the bot unless told. */
  const say = (from: string, chatId: string, text: string, mention = true) =>
    post(messageEvent({ from, chatId, text, mentionBot: mention ? feishu.botOpenId : undefined }));
  /** The texts the bot sent to a chat, in order. */
  const textsIn = (chatId: string) => feishu.sent.filter((m) => m.chatId === chatId && m.msgType === 'text').map((m) => String(m.content.text));
  const lastText = (chatId: string) => textsIn(chatId).at(-1) ?? '';
  const binding = (chatId: string) => t.bot.db.chatBinding.findUnique({ where: { platform_platformChatId: { platform: 'feishu', platformChatId: chatId } } });

  it('greets a group it is added to, binds it for an admin only, reads reports there as tickets, and unbinds it', async () => {
    await boot();
    await post(botAddedEvent({ by: OPEN_ID['zhang-li'], chatId: WARD, name: '心内科病区群' }));
    const greeting = lastText(WARD);
    expect(greeting).toMatch(/^大家好，我是信息科助手/);
    expect(greeting).toContain('请管理员或信息科主任在群里发送「绑定 报修群」/「绑定 工程师群」/「绑定 领导群」完成设置');

    // Bound to nothing: a mention is answered with how to bind it; an unmentioned message is let be.
    await say(OPEN_ID['zhang-li'], WARD, REPORT);
    expect(lastText(WARD)).toMatch(/^本群还没有设置用途.*「绑定 报修群」/);
    const before = feishu.sent.length;
    await say(OPEN_ID['zhang-li'], WARD, REPORT, false);
    expect(feishu.sent).toHaveLength(before);
    expect(await t.bot.db.ticket.count()).toBe(0);

    // A clinician may not bind it: refused in Chinese, nothing changes.
    await say(OPEN_ID['zhang-li'], WARD, '绑定 报修群');
    expect(lastText(WARD)).toBe('只有管理员或信息科主任可以绑定群。');
    expect(await binding(WARD)).toBeNull();

    // The IT director (an admin) binds it, with the bot's mention and the words run together.
    await say(DIRECTOR, WARD, '绑定报修群');
    expect(lastText(WARD)).toMatch(/^已将本群绑定为「信息科报修群」（报修群）：群里@我描述的故障会生成工单/);
    expect(await binding(WARD)).toMatchObject({ chatId: 'intake', source: 'chat', boundById: 'huang-jun' });
    expect(await t.bot.db.auditLog.findFirst({ where: { action: 'chat.bind', entityId: `feishu:${WARD}` } })).toMatchObject({ actorId: 'huang-jun' });

    // The next report there is a ticket, answered in the group and dispatched to the engineers.
    await say(OPEN_ID['zhang-li'], WARD, REPORT);
    const ticket = await t.bot.db.ticket.findFirstOrThrow();
    expect(ticket).toMatchObject({ sourcePlatform: 'feishu', sourceChatId: WARD, reporterId: 'zhang-li' });
    expect(feishu.cardsIn(WARD).at(-1)!.content.header.title.content).toContain(ticket.number);
    expect(JSON.stringify(feishu.cardsIn(FEISHU_CHAT.engineers).at(-1)!.content)).toContain(ticket.number);

    await say(OPEN_ID['zhang-li'], WARD, '群设置');
    expect(lastText(WARD)).toMatch(/^本群是「信息科报修群」（报修群），由黄主任于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 在聊天中绑定/);
    await post(botAddedEvent({ by: DIRECTOR, chatId: WARD }));
    expect(lastText(WARD)).toMatch(/^大家好，我是信息科助手。本群是「信息科报修群」（报修群，黄主任在聊天中绑定）/);

    // Unbinding: a clinician may not; the director may, and the group is bound to nothing again.
    await say(OPEN_ID['zhang-li'], WARD, '解绑');
    expect(lastText(WARD)).toBe('只有管理员或信息科主任可以解绑群。');
    await say(DIRECTOR, WARD, '解绑');
    expect(lastText(WARD)).toMatch(/^已解除本群与「信息科报修群」（报修群）的绑定/);
    expect(await binding(WARD)).toBeNull();
    expect(await t.bot.db.auditLog.count({ where: { action: 'chat.unbind', entityId: `feishu:${WARD}` } })).toBe(1);
    await say(OPEN_ID['zhang-li'], WARD, '打印机又卡纸了，资产号PC-0232');
    expect(lastText(WARD)).toMatch(/^本群还没有设置用途/);
    expect(await t.bot.db.ticket.count()).toBe(1);
    await say(OPEN_ID['zhang-li'], WARD, '群设置');
    expect(lastText(WARD)).toMatch(/^本群尚未绑定/);
  });

  it('refuses to bind a group the organisation file binds, and greets it with what the file binds it as', async () => {
    await boot();
    await post(botAddedEvent({ by: DIRECTOR, chatId: FEISHU_CHAT.intake }));
    expect(lastText(FEISHU_CHAT.intake)).toMatch(/^大家好，我是信息科助手。本群是「信息科报修群」（报修群，组织文件绑定）/);
    await say(DIRECTOR, FEISHU_CHAT.intake, '绑定 工程师群');
    expect(lastText(FEISHU_CHAT.intake)).toMatch(/^本群已由组织文件绑定为「信息科报修群」（报修群）。组织文件的绑定优先，不能在聊天中绑定群/);
    await say(DIRECTOR, FEISHU_CHAT.intake, '解绑');
    expect(lastText(FEISHU_CHAT.intake)).toMatch(/^本群已由组织文件绑定为「信息科报修群」.*不能在聊天中解绑群/);
    await say(OPEN_ID['zhang-li'], FEISHU_CHAT.intake, '群设置');
    expect(lastText(FEISHU_CHAT.intake)).toMatch(/^本群是「信息科报修群」（报修群），由组织文件绑定/);
    // A second engineers' group on a platform the file already binds the engineers' chat on would receive nothing.
    await say(DIRECTOR, WARD, '绑定 信息科工程师群');
    expect(lastText(WARD)).toMatch(/^组织文件已把「信息科工程师群」绑定到本平台的另一个群/);
    await say(DIRECTOR, WARD, '绑定 食堂群');
    expect(lastText(WARD)).toBe('没有叫「食堂群」的群。可以绑定：报修群、工程师群、领导群、信息科报修群、信息科工程师群、院领导群，例如「绑定 报修群」。');
    expect(await t.bot.db.chatBinding.count({ where: { source: 'chat' } })).toBe(0);
  });

  it('keeps chat bindings across a restart, and gives way to a binding the file adds later', async () => {
    await boot();
    await say(DIRECTOR, WARD, '绑定 报修群');
    // A restart (or reload) rewrites the file's bindings: the one made from chat stays.
    await syncOrganisation(t.bot.db, t.bot.organisation.directory);
    expect(await binding(WARD)).toMatchObject({ source: 'chat', chatId: 'intake' });
    await say(OPEN_ID['zhang-li'], WARD, REPORT);
    expect(await t.bot.db.ticket.count()).toBe(1);

    // The file now binds the group itself, as the leadership group: the file's binding wins.
    await t.bot.reloadOrganisation(
      hospital((org) => {
        org.chats.find((c) => c.id === 'leadership')!.ids = { feishu: WARD };
      }),
    );
    expect(await binding(WARD)).toMatchObject({ source: 'org', chatId: 'leadership', boundById: null });
    expect(await t.bot.db.auditLog.findFirst({ where: { action: 'chat.unbind', entityId: `feishu:${WARD}`, actorId: null } })).toBeTruthy();
    await say(OPEN_ID['zhang-li'], WARD, '群设置');
    expect(lastText(WARD)).toMatch(/^本群是「院领导群」（领导群），由组织文件绑定/);
  });

  it('sends dispatch cards to an engineers’ group bound from chat where the file binds none on the platform, and moves them on rebinding', async () => {
    const noEngineersOnFeishu = hospital((org) => {
      org.chats.find((c) => c.id === 'engineers')!.ids = {};
    });
    await boot(noEngineersOnFeishu);
    const [first, second] = ['oc_it_room', 'oc_it_room_2'];
    await say(DIRECTOR, first, '绑定 工程师群');
    expect(lastText(first)).toMatch(/^已将本群绑定为「信息科工程师群」（工程师群）：派单卡片和升级提醒发到本群/);
    await say(OPEN_ID['zhang-li'], FEISHU_CHAT.intake, REPORT);
    const ticket = await t.bot.db.ticket.findFirstOrThrow();
    expect(JSON.stringify(feishu.cardsIn(first).at(-1)!.content)).toContain('认领');
    expect(JSON.stringify(feishu.cardsIn(first).at(-1)!.content)).toContain(ticket.number);

    // One engineers' group per platform: binding another moves the cards there, and the first is told.
    await say(DIRECTOR, second, '@信息科助手 绑定 工程师群');
    expect(lastText(second)).toContain('原先绑定为「信息科工程师群」的另一个群已解绑');
    expect(lastText(first)).toMatch(/^本群已不再是「信息科工程师群」/);
    expect(await binding(first)).toBeNull();
    await say(OPEN_ID['liu-yang'], FEISHU_CHAT.intake, '心内科医生站电脑蓝屏，资产号PC-0555，电话8302');
    expect(feishu.cardsIn(second)).toHaveLength(1);
    expect(feishu.cardsIn(first)).toHaveLength(1);
  });
});

describe('Simulator: a new group made on the page', () => {
  let t: TestBot;
  afterEach(async () => t.close());

  const newGroup = async (payload: object) => t.bot.app.inject({ method: 'POST', url: '/simulator/api/chats', payload });
  const lastText = async (chatId: string) => (await t.transcript(chatId)).filter((m) => m.from === 'bot').at(-1)?.text ?? '';

  it('greets the group it is added to, lists it, and is bound there by the IT director like any group', async () => {
    t = await createTestBot();
    const made = await newGroup({ name: '心内科病区群', userId: 'sun-hong' });
    expect(made.statusCode).toBe(200);
    const { chatId, name, outcome } = made.json();
    expect({ name, outcome }).toEqual({ name: '心内科病区群', outcome: 'handled' });
    expect((await t.bot.app.inject({ url: '/simulator/api/chats' })).json()).toEqual([{ id: chatId, name: '心内科病区群' }]);
    const transcript = await t.transcript(chatId);
    expect(transcript[0]).toMatchObject({ from: 'sun-hong', text: '邀请「信息科助手」加入了群聊' });
    expect(await lastText(chatId)).toContain('请管理员或信息科主任在群里发送「绑定 报修群」');

    // Talk there that does not address the bot is let be; a mention is told how to bind the group.
    await t.say('liu-yang', chatId, '医生站打不开了');
    expect(await lastText(chatId)).toContain('请管理员或信息科主任在群里发送「绑定 报修群」');
    await t.say('liu-yang', chatId, '@信息科助手 医生站打不开了');
    expect(await lastText(chatId)).toMatch(/^本群还没有设置用途/);
    // The file binds every chat of its own in the simulator: an engineers' group from chat would receive nothing.
    await t.say('huang-jun', chatId, '@信息科助手 绑定 工程师群');
    expect(await lastText(chatId)).toMatch(/^组织文件已把「信息科工程师群」绑定到本平台的另一个群/);
    await t.say('huang-jun', chatId, '@信息科助手 绑定 报修群');
    expect(await lastText(chatId)).toMatch(/^已将本群绑定为「信息科报修群」/);
    await t.say('liu-yang', chatId, '心内科医生站电脑蓝屏，资产号PC-0555，电话8302');
    expect(await t.bot.db.ticket.findFirstOrThrow()).toMatchObject({ sourcePlatform: 'simulator', sourceChatId: chatId });

    // Adding the bot to a chat of the file greets it with what the file binds it as.
    const again = await newGroup({ chatId: 'engineers', userId: 'wang-wei' });
    expect(again.json()).toMatchObject({ chatId: 'engineers', name: '信息科工程师群' });
    expect(await lastText('engineers')).toMatch(/^大家好，我是信息科助手。本群是「信息科工程师群」（工程师群，组织文件绑定）/);
  });

  it('refuses a new group without a name, or with an id that is no id, making nothing', async () => {
    t = await createTestBot();
    expect((await newGroup({ userId: 'sun-hong' })).json()).toEqual({ error: '请写群名' });
    expect((await newGroup({ chatId: 'a b', name: 'x', userId: 'sun-hong' })).statusCode).toBe(400);
    expect((await t.bot.app.inject({ url: '/simulator/api/chats' })).json()).toEqual([]);
    expect(await t.bot.db.outbox.count()).toBe(0);
  });
});
