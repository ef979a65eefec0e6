import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bindTarget, looksLikeBindTarget } from '../../../../bot/bindings/lookup.js';
import { WorkCalendar } from '../../../../bot/calendar.js';
import type { IncomingEvent } from '../../../../bot/chat/model.js';
import { AdjustableClock } from '../../../../bot/clock.js';
import type { Db } from '../../../../bot/db/client.js';
import { Directory } from '../../../../bot/org/directory.js';
import { Router } from '../../../../bot/router.js';
import { registry } from '../../../../commands/index.js';
import { freshDatabase, sampleDirectory } from '../../../helpers/db.js';
import { silentLog } from '../../../helpers/log.js';

describe('what 绑定 names', () => {
  const directory = sampleDirectory();
  const chatOf = (wanted: string) => {
    const target = bindTarget(directory, wanted);
    return target.kind === 'chat' ? target.chat.id : target.kind;
  };

  it('reads the purpose words, the file’s chat names and ids, with quotes, spaces and 为 around them', () => {
    expect(['报修群', '报修', ' 「报修群」', '本群为报修群', 'intake', 'INTAKE'].map(chatOf)).toEqual(Array(6).fill('intake'));
    expect(['工程师群', '信息科工程师群', '信息科 工程师群', 'engineers'].map(chatOf)).toEqual(Array(4).fill('engineers'));
    expect(['领导群', '院领导群', '作为领导群'].map(chatOf)).toEqual(Array(3).fill('leadership'));
    expect(['食堂群', '报修工程师群', ''].map(chatOf)).toEqual(['unknown', 'unknown', 'unknown']);
  });

  it('says a purpose the file has no chat for is missing', () => {
    const { org } = sampleDirectory();
    org.chats = org.chats.filter((c) => c.purpose !== 'leadership');
    const without = new Directory(org);
    expect(bindTarget(without, '领导群')).toEqual({ kind: 'missing', purpose: 'leadership' });
  });

  it('takes text run into 绑定 as its argument only when it names a group', () => {
    expect(['报修群', '报修', '信息科工程师群', '「领导群」'].every(looksLikeBindTarget)).toBe(true);
    expect(['手机号收不到验证码', '银行卡的页面打不开', '群里的打印机打不开', '', '了以后科室里的十几台电脑都进不去微信群'].some(looksLikeBindTarget)).toBe(
      false,
    );
  });
});

describe('binding through the router', () => {
  let db: Db;
  let directory: Directory;
  let drop: () => Promise<void>;
  let seq = 0;
  const router = () =>
    new Router({
      db,
      directory,
      clock: new AdjustableClock(),
      timeZone: 'Asia/Shanghai',
      calendar: new WorkCalendar('Asia/Shanghai', directory.org.hospital.workingHours),
      registry,
      log: silentLog,
    });
  const event = (userId: string, chatId: string, text: string, extra: Partial<IncomingEvent> = {}): IncomingEvent => ({
    platform: 'simulator',
    eventId: `ev-${++seq}`,
    kind: 'message',
    chat: { id: chatId, type: 'group' },
    user: { platformId: userId },
    text,
    mentionsBot: true,
    attachments: [],
    ...extra,
  });
  const texts = async () => (await db.outbox.findMany({ orderBy: { id: 'asc' } })).map((r) => (r.payload as any).message.text as string);

  beforeEach(async () => {
    ({ db, directory, drop } = await freshDatabase());
  });
  afterEach(async () => drop());

  it('greets once for an arrival delivered twice, whoever added the bot, even someone the file does not know', async () => {
    const r = router();
    const arrival = event('not-in-the-file', 'ward-7', '', { kind: 'joined', text: undefined, mentionsBot: false });
    expect(await r.handle(arrival)).toEqual({ outcome: 'handled' });
    expect(await r.handle(arrival)).toEqual({ outcome: 'duplicate' });
    expect(await texts()).toEqual([expect.stringMatching(/^大家好，我是信息科助手，信息科的报修助手。本群还没有设置用途/)]);
  });

  it('keeps a report starting with 绑定 a report in the intake group', async () => {
    await router().handle(event('zhang-li', 'intake', '绑定银行卡的页面打不开，医保结算用不了，电话8123'));
    expect(await db.ticket.count()).toBe(1);
    expect(await db.chatBinding.count({ where: { source: 'chat' } })).toBe(0);
  });

  it('refuses 绑定 in a direct chat, and asks for what to bind when nothing follows', async () => {
    const r = router();
    await r.handle(event('huang-jun', 'user:huang-jun', '绑定 报修群', { chat: { id: 'user:huang-jun', type: 'direct' } }));
    await r.handle(event('huang-jun', 'ward-7', '绑定'));
    const [direct, bare] = await texts();
    expect(direct).toMatch(/^私聊不是群，无需绑定/);
    expect(bare).toBe('指令格式不对。用法：绑定 报修群（或：绑定 工程师群、绑定 领导群）');
    expect(await db.chatBinding.count({ where: { source: 'chat' } })).toBe(0);
  });

  it('says 已是 for a group bound again to the same chat, and rebinds it to another, with an audit row each time it changes', async () => {
    // On Feishu, where the file binds none of its chats (in the simulator it binds every one).
    await drop();
    const { org } = sampleDirectory();
    org.people.find((p) => p.id === 'huang-jun')!.ids = { feishu: { open_id: 'ou_huangjun' } };
    ({ db, directory, drop } = await freshDatabase(new Directory(org)));
    const r = router();
    const onFeishu = { platform: 'feishu' as const };
    await r.handle(event('ou_huangjun', 'oc_ward', '绑定 报修群', onFeishu));
    await r.handle(event('ou_huangjun', 'oc_ward', '绑定 报修群', onFeishu));
    await r.handle(event('ou_huangjun', 'oc_ward', '绑定 工程师群', onFeishu));
    const [, again, rebound] = await texts();
    expect(again).toBe('本群已是「信息科报修群」（报修群），无需重复绑定。');
    expect(rebound).toMatch(/^已将本群从「信息科报修群」改绑为「信息科工程师群」（工程师群）/);
    expect(await db.chatBinding.findFirst({ where: { platformChatId: 'oc_ward' } })).toMatchObject({ chatId: 'engineers', source: 'chat' });
    expect((await db.auditLog.findMany({ where: { entityType: 'chat-binding' }, orderBy: { id: 'asc' } })).map((a) => a.action)).toEqual([
      'chat.bind',
      'chat.rebind',
    ]);
  });
});
