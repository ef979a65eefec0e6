import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WeComAdapter } from '../../adapters/wecom/adapter.js';
import { WeComCrypto } from '../../adapters/wecom/crypto.js';
import { Directory } from '../../bot/org/directory.js';
import { API_TOKEN, createTestBot, type TestBot } from '../helpers/bot.js';
import { passiveReply, WeComApiStandIn } from '../helpers/wecom-api.js';
import { USERID, WECOM_CHAT, wecomDirectory } from '../helpers/wecom-org.js';

const ROBOT = { token: 'robotToken456', aes: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
const robotCrypto = new WeComCrypto(ROBOT.token, ROBOT.aes);

/** The sample hospital on WeCom; outpatient declares its WeCom department (12), and the IT director has a userid. */
function hospital(): Directory {
  const { org } = wecomDirectory();
  org.departments.find((d) => d.id === 'outpatient')!.ids = { wecom: ['12'] };
  org.people.find((p) => p.id === 'huang-jun')!.ids = { wecom: { userid: 'huangjun' } };
  return new Directory(org);
}

describe('WeCom: anyone in the address book can report from the first day', () => {
  let wecom: WeComApiStandIn;
  let t: TestBot;
  beforeEach(async () => {
    wecom = new WeComApiStandIn();
    await wecom.start();
    for (const [id, name, parentid] of [
      [1, '示例医院', 0],
      [12, '门诊护理组', 1],
      [20, '心血管内科', 1],
    ] as const)
      wecom.departments.set(id, { id, name, parentid });
    wecom.members.set('sunyue', { userid: 'sunyue', name: '孙悦', department: [12], mobile: '13911112222' });
    wecom.members.set('qiancheng', { userid: 'qiancheng', name: '钱程', department: [20] });
    wecom.members.set(USERID['zhang-li'], { userid: USERID['zhang-li'], name: '张丽', department: [12] });
    t = await createTestBot(
      {
        SIMULATOR: 'off',
        WECOM_API_BASE: wecom.url,
        WECOM_CORP_ID: 'ww-hospital-corp',
        WECOM_AGENT_ID: '1000002',
        WECOM_SECRET: 'app-secret',
        WECOM_ROBOT_TOKEN: ROBOT.token,
        WECOM_ROBOT_AES_KEY: ROBOT.aes,
      },
      hospital(),
    );
  });
  afterEach(async () => {
    await t.close();
    await wecom.close();
  });

  /** A message @-mentioning the smart robot in a group, over its HTTP callback; its answer opened as WeCom opens it. */
  async function say(userid: string, chatid: string, content: string) {
    const payload = {
      msgid: randomUUID(),
      aibotid: 'bot',
      chatid,
      chattype: 'group',
      from: { userid },
      response_url: wecom.responseUrl(chatid),
      msgtype: 'text',
      text: { content: `@信息科助手 ${content}` },
    };
    const encrypt = robotCrypto.encrypt(JSON.stringify(payload), '');
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomUUID().slice(0, 8);
    const query = `msg_signature=${robotCrypto.signature(timestamp, nonce, encrypt)}&timestamp=${timestamp}&nonce=${nonce}`;
    const res = await t.bot.app.inject({ method: 'POST', url: `/wecom/robot?${query}`, payload: { encrypt } });
    expect(res.statusCode).toBe(200);
    await t.bot.outbox.drain();
    await (t.bot.adapters.get('wecom') as WeComAdapter).settled();
    return passiveReply(robotCrypto, { nonce, kind: 'message' }, res);
  }
  const textOf = (answer: Awaited<ReturnType<typeof say>>) => String(answer?.stream?.content ?? answer?.markdown?.content ?? answer?.text?.content ?? '');
  const calls = (path: string) => wecom.requests.filter((r) => r.path === path);
  /** What reached a group through its reply URLs (markdown: no card goes to a group that way). */
  const markdownTo = (chat: string) =>
    wecom.responses.filter((r) => r.id === chat && r.body.msgtype === 'markdown').map((r) => r.body.markdown.content as string);
  const api = async (path: string) => (await t.bot.app.inject({ url: path, headers: { authorization: `Bearer ${API_TOKEN}` } })).json();
  /** The synchronisation runs (the wake-up after the command), and its summary goes out. */
  const settle = async () => {
    await t.bot.wakeups.tick();
    await t.bot.outbox.drain();
    await (t.bot.adapters.get('wecom') as WeComAdapter).settled();
  };

  it('remembers a member the file lacks with their name and department from user/get, looked up once', async () => {
    // The robot reaches the engineers' group through the reply URL of a message there.
    await say(USERID['wang-wei'], WECOM_CHAT.engineers, '帮助');
    const answer = await say('sunyue', WECOM_CHAT.intake, '电脑蓝屏了，资产号PC-0420，电话8123');
    // The report's own callback answers with its ticket, naming the reporter as the directory does.
    expect(textOf(answer)).toContain('报修人：孙悦（门诊部）');
    const [ticket] = (await api('/api/tickets')).tickets;
    expect(ticket).toMatchObject({ reporter: { id: 'wecom:sunyue', name: '孙悦', department: { id: 'outpatient', name: '门诊部' } } });
    expect(markdownTo(WECOM_CHAT.engineers).at(-1)).toContain('报修人：孙悦（门诊部）');
    expect((await t.bot.db.person.findUniqueOrThrow({ where: { id: 'wecom:sunyue' } })).mobile).toBe('13911112222');

    await say('sunyue', WECOM_CHAT.intake, '另外门诊药房的打印机也卡纸了，资产号PR-0088');
    expect((await api('/api/tickets')).total).toBe(2);
    expect(calls('/cgi-bin/user/get')).toHaveLength(1);
    expect(calls('/cgi-bin/department/list')).toHaveLength(1);
    // Mapped by name where the file declares no id: 心血管内科 is cardiology's other name.
    await say('qiancheng', WECOM_CHAT.intake, 'HIS登不上了');
    expect(await t.bot.db.person.findUniqueOrThrow({ where: { id: 'wecom:qiancheng' } })).toMatchObject({ name: '钱程', departmentId: 'cardiology' });
    expect(wecom.refused).toEqual([]);
  });

  it('takes the report when user/get fails, asks the department once, and keeps a typed answer', async () => {
    wecom.fail({ errcode: 60011 });
    const answer = await say('visitor1', WECOM_CHAT.intake, '电脑开不了机，资产号PC-0555，电话8555');
    expect(textOf(answer)).toMatch(/工单 IT-\d{8}-\d{4}/);
    expect(await t.bot.db.ticket.findFirstOrThrow()).toMatchObject({ reporterId: 'wecom:visitor1', departmentId: null });
    // The question reaches the group through the report's reply URL, as markdown saying to type the department.
    const asked = () => markdownTo(WECOM_CHAT.intake).filter((m) => m.includes('请问您是哪个科室的？'));
    expect(asked()).toHaveLength(1);
    expect(asked()[0]).toContain('直接回复您的科室名称');

    expect(textOf(await say('visitor1', WECOM_CHAT.intake, '我是心内科的'))).toContain('已登记您的科室：心内科，谢谢！');
    expect((await t.bot.db.person.findUniqueOrThrow({ where: { id: 'wecom:visitor1' } })).departmentId).toBe('cardiology');
    expect((await t.bot.db.ticket.findFirstOrThrow()).departmentId).toBe('cardiology');
    await say('visitor1', WECOM_CHAT.intake, '打印机也坏了，资产号PR-0556');
    expect(asked()).toHaveLength(1);
    expect(await t.bot.db.ticket.count()).toBe(2);
    expect(wecom.refused).toEqual([]);
  });

  it('imports the address book on 同步通讯录 and tells the IT director who left, by the application', async () => {
    expect(textOf(await say('huangjun', WECOM_CHAT.engineers, '同步通讯录'))).toBe('正在同步通讯录，完成后在这里告诉您结果。');
    await settle();
    expect(markdownTo(WECOM_CHAT.engineers)).toEqual(['通讯录已同步：新增 2 人，变更 0 人，离开 0 人']);
    expect(calls('/cgi-bin/user/list')).toHaveLength(3);

    wecom.members.delete('qiancheng');
    await say('huangjun', WECOM_CHAT.engineers, '同步通讯录');
    await settle();
    expect(markdownTo(WECOM_CHAT.engineers).at(-1)).toBe('通讯录已同步：新增 0 人，变更 0 人，离开 1 人');
    expect((await t.bot.db.person.findUniqueOrThrow({ where: { id: 'wecom:qiancheng' } })).active).toBe(false);
    const notice = wecom.sent.find((m) => m.touser === 'huangjun' && m.msgtype === 'template_card')!;
    expect(notice.body.template_card.main_title.title).toBe('通讯录同步：1 人已离开');
    expect(notice.body.template_card.button_list.map((b: { text: string }) => b.text)).toEqual(['注销 钱程']);

    expect(textOf(await say(USERID['zhang-li'], WECOM_CHAT.engineers, '同步通讯录'))).toBe('只有信息科主任或管理员可以同步通讯录。');
    expect(await t.bot.db.directorySync.count()).toBe(2);
    expect(wecom.refused).toEqual([]);
  });
});
