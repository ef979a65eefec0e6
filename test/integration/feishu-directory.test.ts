import { afterEach, describe, expect, it } from 'vitest';
import { buildBot } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { Directory } from '../../bot/org/directory.js';
import { API_TOKEN, type TestBot } from '../helpers/bot.js';
import { createFeishuTestBot } from '../helpers/feishu-bot.js';
import { cardAction, feishuEnv, messageEvent, signedRequest } from '../helpers/feishu-events.js';
import type { FeishuOpenApi, SentMessage } from '../helpers/feishu-openapi.js';
import { FEISHU_CHAT, feishuDirectory, OPEN_ID } from '../helpers/feishu-org.js';

const DIRECTOR = 'ou_huangjun';
const NEW_NURSE = 'ou_sunyue';

/** The sample hospital on Feishu; the outpatient department declares its Feishu department, and the IT director has an open_id. */
function hospital(): Directory {
  const { org } = feishuDirectory();
  org.departments.find((d) => d.id === 'outpatient')!.ids = { feishu: ['od-opd-nursing'] };
  org.people.find((p) => p.id === 'huang-jun')!.ids = { feishu: { open_id: DIRECTOR } };
  return new Directory(org);
}

/** The tenant's address book: the outpatient nursing team (declared in the file), cardiology by its other name, an ICU the file lacks. */
function addressBook(feishu: FeishuOpenApi) {
  const dept = (open_department_id: string, name: string, parent_department_id = '0') =>
    feishu.departments.set(open_department_id, { open_department_id, name, parent_department_id });
  dept('od-opd', '门诊');
  dept('od-opd-nursing', '门诊护理组', 'od-opd');
  dept('od-heart', '心血管内科');
  dept('od-icu', '重症医学科');
  const user = (open_id: string, name: string, department_ids: string[], mobile?: string) =>
    feishu.users.set(open_id, { open_id, name, department_ids, ...(mobile ? { mobile } : {}) });
  user(NEW_NURSE, '孙悦', ['od-opd-nursing'], '+8613911112222');
  user('ou_heart_doc', '钱程', ['od-heart']);
  user('ou_icu_nurse', '赵敏', ['od-icu']);
  user('ou_root_clerk', '周一', []);
  // A person of the organisation file is in the address book too: the file wins.
  user('ou_opd_nurse2', '林夕', ['od-opd-nursing']);
  user(OPEN_ID['zhang-li'], '张丽', ['od-opd-nursing']);
}

const buttonIn = (card: SentMessage | { content: unknown }, label: string): unknown => {
  let found: unknown;
  JSON.stringify(card.content, (_key, v) => {
    if (v && typeof v === 'object' && v.tag === 'button' && v.text?.content === label) found ??= v.behaviors[0].value;
    return v;
  });
  if (!found) throw new Error(`no button ${label}`);
  return found;
};

describe('Feishu: anyone in the address book can report from the first day', () => {
  let feishu: FeishuOpenApi;
  let t: TestBot;
  afterEach(async () => {
    await t.close();
    await feishu.close();
  });
  const boot = async () => ({ feishu, t } = await createFeishuTestBot({}, addressBook, hospital()));
  const post = async (payload: unknown) => {
    const request = signedRequest(payload);
    const res = await t.bot.app.inject({ method: 'POST', url: '/feishu/events', headers: request.headers, payload: request.body });
    expect(res.statusCode).toBe(200);
    await t.bot.outbox.drain();
    return res;
  };
  /** A message in the intake group (mentioning the bot), or in the sender's own chat with the bot. */
  const say = (from: string, text: string, p2p?: string) =>
    post(
      p2p ? messageEvent({ from, chatId: p2p, text, chatType: 'p2p' }) : messageEvent({ from, chatId: FEISHU_CHAT.intake, text, mentionBot: feishu.botOpenId }),
    );
  const api = async (path: string) => (await t.bot.app.inject({ url: path, headers: { authorization: `Bearer ${API_TOKEN}` } })).json();

  it('remembers a sender the file lacks with the name and department the directory gives, looked up once', async () => {
    await boot();
    await say(NEW_NURSE, '电脑蓝屏了，资产号PC-0420，电话8123');
    const [ticket] = (await api('/api/tickets')).tickets;
    expect(await api(`/api/tickets/${ticket.number}`)).toMatchObject({
      reporter: { id: `feishu:${NEW_NURSE}`, name: '孙悦', department: { id: 'outpatient', name: '门诊部' } },
      department: { id: 'outpatient', name: '门诊部' },
    });
    const dispatch = feishu.cardsIn(FEISHU_CHAT.engineers).at(-1)!;
    expect(JSON.stringify(dispatch.content)).toContain('孙悦（门诊部）');
    expect(await t.bot.db.person.findUniqueOrThrow({ where: { id: `feishu:${NEW_NURSE}` }, include: { roles: true } })).toMatchObject({
      source: 'directory',
      mobile: '13911112222',
      departmentId: 'outpatient',
      roles: [{ role: 'reporter' }],
    });
    // The department was known: nobody is asked.
    expect(feishu.sent.some((m) => JSON.stringify(m.content).includes('请问您是哪个科室的？'))).toBe(false);

    await say(NEW_NURSE, '另外门诊药房的打印机也卡纸了，资产号PR-0088');
    expect((await api('/api/tickets')).total).toBe(2);
    expect(feishu.callsTo(`/open-apis/contact/v3/users/${NEW_NURSE}`)).toHaveLength(1);
    expect(feishu.callsTo('/open-apis/contact/v3/departments/od-opd-nursing')).toHaveLength(1);

    // Another department, known by its other name (an alias in the file); the stand-in refuses the
    // expired token as Feishu does, and the lookup gets a new one.
    const tokens = feishu.tokenRequests.length;
    feishu.expireTokens();
    await say('ou_heart_doc', 'HIS登不上了');
    expect(feishu.callsTo('/open-apis/contact/v3/users/ou_heart_doc')).toHaveLength(2);
    expect(feishu.tokenRequests.length).toBe(tokens + 1);
    const heart = (await api('/api/tickets')).tickets.find((x: { reporter: { id: string } }) => x.reporter.id === 'feishu:ou_heart_doc');
    expect(heart.reporter).toMatchObject({ name: '钱程', department: { id: 'cardiology', name: '心内科' } });
  });

  it('shows a remembered reporter on another instance of the bot, and after the file is reloaded', async () => {
    await boot();
    await say(NEW_NURSE, '电脑蓝屏了，资产号PC-0420，电话8123');
    const [{ number }] = (await api('/api/tickets')).tickets;
    // A second instance on the same database, started before the person was learned: it reads them from the database.
    const other = buildBot({
      config: loadConfig({ DATABASE_URL: 'file:unused', API_TOKEN, SIMULATOR: 'off', ...feishuEnv(feishu.url) }),
      db: t.bot.db,
      directory: hospital(),
      clock: t.clock,
      logger: false,
    });
    await other.app.ready();
    const there = (await other.app.inject({ url: `/api/tickets/${number}`, headers: { authorization: `Bearer ${API_TOKEN}` } })).json();
    expect(there.reporter).toMatchObject({ name: '孙悦', department: { id: 'outpatient' } });
    // An engineer claims through it: the cards it redraws name the reporter.
    const dispatch = feishu.cardsIn(FEISHU_CHAT.engineers).at(-1)!;
    const click = signedRequest(
      cardAction({ operator: OPEN_ID['wang-wei'], chatId: FEISHU_CHAT.engineers, messageId: dispatch.id, value: buttonIn(dispatch, '认领') }),
    );
    const res = await other.app.inject({ method: 'POST', url: '/feishu/events', headers: click.headers, payload: click.body });
    expect(JSON.stringify(res.json().card)).toContain('孙悦（门诊部）');
    await other.app.close();

    // Reloading the file (its copy in the database rewritten) forgets and deactivates no one remembered.
    await t.bot.reloadOrganisation(hospital());
    expect(t.bot.organisation.directory.person(`feishu:${NEW_NURSE}`)).toMatchObject({ name: '孙悦', department: 'outpatient', roles: ['reporter'] });
    expect((await t.bot.db.person.findUniqueOrThrow({ where: { id: `feishu:${NEW_NURSE}` } })).active).toBe(true);

    // The file now lists her, with a role: the file wins, her open_id is the file's person from now on.
    const listed = hospital();
    listed.org.people.push({
      id: 'sun-yue',
      name: '孙悦',
      department: 'outpatient',
      roles: ['reporter', 'info_officer'],
      ids: { feishu: { open_id: NEW_NURSE } },
    });
    await t.bot.reloadOrganisation(new Directory(listed.org));
    await say(NEW_NURSE, '打印机卡纸了，资产号PR-0099');
    expect((await t.bot.db.ticket.findFirstOrThrow({ orderBy: { id: 'desc' } })).reporterId).toBe('sun-yue');
    expect(await t.bot.db.platformIdentity.findMany({ where: { platformUserId: NEW_NURSE } })).toEqual([
      { platform: 'feishu', platformUserId: NEW_NURSE, personId: 'sun-yue' },
    ]);
    expect(feishu.callsTo(`/open-apis/contact/v3/users/${NEW_NURSE}`)).toHaveLength(1);
  });

  it('still takes the report when the lookup fails, asks the department once, and keeps the answer', async () => {
    await boot();
    feishu.fail({ kind: 'bad-request', code: 99991672, msg: 'Access denied. One of the following scopes is required: [contact:user.base:readonly]' });
    await say('ou_icu_nurse', '电脑黑屏了，资产号PC-0991');
    const [ticket] = await t.bot.db.ticket.findMany();
    expect(ticket).toMatchObject({ reporterId: 'feishu:ou_icu_nurse', departmentId: null });
    const asked = () => feishu.cardsIn(FEISHU_CHAT.intake).filter((m) => m.content.header.title.content === '请问您是哪个科室的？');
    expect(asked()).toHaveLength(1);
    expect(asked()[0]!.replyTo).toBeDefined();
    // A second report: the directory is asked again (the first lookup failed), the question is not.
    await say('ou_icu_nurse', '另外护士站的打印机也坏了，资产号PR-0777');
    expect(asked()).toHaveLength(1);
    expect(feishu.callsTo('/open-apis/contact/v3/users/ou_icu_nurse')).toHaveLength(2);
    expect((await t.bot.db.person.findUniqueOrThrow({ where: { id: 'feishu:ou_icu_nurse' } })).name).toBe('赵敏');

    // Someone else cannot answer for them; they answer with a button.
    const question = asked()[0]!;
    const value = buttonIn(question, '急诊科');
    const other = await post(cardAction({ operator: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, messageId: question.id, value }));
    expect(other.json().toast).toMatchObject({ type: 'warning', content: '这是问 赵敏 的，无需您回答。' });
    const click = await post(cardAction({ operator: 'ou_icu_nurse', chatId: FEISHU_CHAT.intake, messageId: question.id, value }));
    expect(click.json().toast).toMatchObject({ type: 'success', content: '已登记您的科室：急诊科，谢谢！' });
    expect((await t.bot.db.person.findUniqueOrThrow({ where: { id: 'feishu:ou_icu_nurse' } })).departmentId).toBe('emergency');
    expect((await t.bot.db.ticket.findMany()).map((x) => x.departmentId)).toEqual(['emergency', 'emergency']);
    const patched = feishu.patches.filter((p) => p.messageId === question.id).at(-1)!;
    expect(JSON.stringify(patched.content)).toContain('已登记：赵敏（急诊科）');
    const again = await post(cardAction({ operator: 'ou_icu_nurse', chatId: FEISHU_CHAT.intake, messageId: question.id, value: buttonIn(question, '心内科') }));
    expect(again.json().toast.content).toBe('您的科室已登记为「急诊科」，无需再选。');
    expect(await api(`/api/tickets/${ticket!.number}`)).toMatchObject({ reporter: { name: '赵敏', department: { id: 'emergency' } } });
  });

  it('gives a sender the directory cannot find a ticket too, under a placeholder name', async () => {
    await boot();
    await say('ou_visiting_doc', '电脑开不了机，资产号PC-0555', 'oc_p2p_visiting');
    const [ticket] = await t.bot.db.ticket.findMany({ include: { reporter: true } });
    expect(ticket!.reporter).toMatchObject({ source: 'directory', name: '未具名同事（_doc）', departmentId: null, lookedUpAt: expect.any(Date) });
    const cards = feishu.cardsIn('oc_p2p_visiting').map((m) => m.content.header.title.content);
    expect(cards).toEqual([expect.stringMatching(/^工单 IT-/), '请问您是哪个科室的？']);
    // The directory said it does not know them: it is not asked again.
    await say('ou_visiting_doc', '还有打印机也打不出来，资产号PR-0556', 'oc_p2p_visiting');
    expect(feishu.callsTo('/open-apis/contact/v3/users/ou_visiting_doc')).toHaveLength(1);
  });
});

describe('Feishu: 同步通讯录 and the nightly import', () => {
  let feishu: FeishuOpenApi;
  let t: TestBot;
  afterEach(async () => {
    await t.close();
    await feishu.close();
  });
  const post = async (payload: unknown) => {
    const request = signedRequest(payload);
    const res = await t.bot.app.inject({ method: 'POST', url: '/feishu/events', headers: request.headers, payload: request.body });
    expect(res.statusCode).toBe(200);
    await t.bot.outbox.drain();
    return res;
  };
  const say = (from: string, text: string, chatId: string) => post(messageEvent({ from, chatId, text, mentionBot: feishu.botOpenId }));
  const sync = async (from: string) => {
    await say(from, '同步通讯录', FEISHU_CHAT.engineers);
    await t.bot.wakeups.tick();
    await t.bot.outbox.drain();
  };
  const replies = () => feishu.sent.filter((m) => m.chatId === FEISHU_CHAT.engineers && m.msgType === 'text').map((m) => m.content.text as string);

  it('imports departments and people page by page, reports what changed, and tells the IT director who left', async () => {
    ({ feishu, t } = await createFeishuTestBot({}, addressBook, hospital()));
    feishu.pageLimit = 2;
    await sync(DIRECTOR);
    expect(replies()).toEqual(['正在同步通讯录，完成后在这里告诉您结果。', '通讯录已同步：新增 5 人，变更 0 人，离开 0 人']);
    // Four departments on two pages; the root's and each department's members, a page of two at a time.
    const children = feishu.callsTo('/open-apis/contact/v3/departments/0/children');
    expect(children.map((r) => new URLSearchParams(r.query).get('page_token'))).toEqual([null, 'pt-2']);
    expect(children.every((r) => new URLSearchParams(r.query).get('fetch_child') === 'true')).toBe(true);
    const members = feishu.callsTo('/open-apis/contact/v3/users/find_by_department').map((r) => new URLSearchParams(r.query));
    expect(members.map((q) => [q.get('department_id'), q.get('page_token')])).toEqual([
      ['0', null],
      ['od-opd', null],
      ['od-opd-nursing', null],
      ['od-opd-nursing', 'pt-2'],
      ['od-heart', null],
      ['od-icu', null],
    ]);
    const imported = await t.bot.db.person.findMany({ where: { source: 'directory' }, orderBy: { id: 'asc' } });
    expect(imported.map((p) => [p.name, p.departmentId])).toEqual([
      ['钱程', 'cardiology'],
      ['赵敏', null],
      ['林夕', 'outpatient'],
      ['周一', null],
      ['孙悦', 'outpatient'],
    ]);
    expect(await t.bot.db.directoryDepartment.count({ where: { platform: 'feishu' } })).toBe(4);
    expect(
      (
        await t.bot.db.directoryDepartment.findUniqueOrThrow({
          where: { platform_platformDepartmentId: { platform: 'feishu', platformDepartmentId: 'od-heart' } },
        })
      ).departmentId,
    ).toBe('cardiology');

    await sync(DIRECTOR);
    expect(replies().at(-1)).toBe('通讯录已同步：没有变化（共 5 人）');

    // One moves to cardiology, one leaves, one joins.
    feishu.users.get(NEW_NURSE)!.department_ids = ['od-heart'];
    feishu.users.delete('ou_icu_nurse');
    feishu.users.set('ou_new_clerk', { open_id: 'ou_new_clerk', name: '吴桐', department_ids: ['od-opd'] });
    await sync(DIRECTOR);
    expect(replies().at(-1)).toBe('通讯录已同步：新增 1 人，变更 1 人，离开 1 人');
    expect(await t.bot.db.person.findUniqueOrThrow({ where: { id: 'feishu:ou_icu_nurse' } })).toMatchObject({ active: false, leftAt: expect.any(Date) });
    expect((await t.bot.db.person.findUniqueOrThrow({ where: { id: `feishu:${NEW_NURSE}` } })).departmentId).toBe('cardiology');
    // The file's people are never the directory's to change.
    const zhang = await t.bot.db.person.findUniqueOrThrow({ where: { id: 'zhang-li' }, include: { roles: true } });
    expect(zhang).toMatchObject({ active: true, source: 'org' });
    expect(zhang.roles.map((r) => r.role).sort()).toEqual(['info_officer', 'reporter']);

    // The IT director hears of it directly, with the revocation to start.
    const notice = feishu.sent.find((m) => m.chatId === `user:${DIRECTOR}` && m.msgType === 'interactive')!;
    expect(notice.content.header.title.content).toBe('通讯录同步：1 人已离开');
    expect(JSON.stringify(notice.content)).toContain('赵敏（科室未知）');
    const open = await post(cardAction({ operator: DIRECTOR, chatId: 'oc_director_p2p', messageId: notice.id, value: buttonIn(notice, '注销 赵敏') }));
    expect(open.json().toast.content).toBe('已打开申请表，请填写后提交。');
    const form = feishu.cardsIn('oc_director_p2p').at(-1)!;
    expect(form.content.header.title.content).toBe('填写账号注销');
    expect(JSON.stringify(form.content)).toContain('"value":"feishu:ou_icu_nurse"');
  });

  it('refuses 同步通讯录 to a clinician, changing nothing', async () => {
    ({ feishu, t } = await createFeishuTestBot({}, addressBook, hospital()));
    await sync(OPEN_ID['zhang-li']);
    expect(replies()).toEqual(['只有信息科主任或管理员可以同步通讯录。']);
    expect(await t.bot.db.directorySync.count()).toBe(0);
    expect(await t.bot.db.person.count({ where: { source: 'directory' } })).toBe(0);
    expect(feishu.callsTo('/open-apis/contact/v3/departments/0/children')).toEqual([]);
  });

  it('imports the directory every night on its own (fake time)', async () => {
    ({ feishu, t } = await createFeishuTestBot({}, addressBook, hospital()));
    await t.bot.wakeups.tick();
    expect(await t.bot.db.person.count({ where: { source: 'directory' } })).toBe(0);
    t.clock.advance(24 * 60);
    await t.bot.wakeups.tick();
    await t.bot.outbox.drain();
    expect(await t.bot.db.person.count({ where: { source: 'directory', active: true } })).toBe(5);
    expect(await t.bot.db.directorySync.findMany({ where: { platform: 'feishu' } })).toMatchObject([{ status: 'done', added: 5, changed: 0, left: 0 }]);
    expect(await t.bot.db.scheduledFire.count({ where: { job: 'directory.sync', outcome: 'ran' } })).toBe(1);
    // Nobody asked in a chat: no summary is posted.
    expect(feishu.sent.filter((m) => m.msgType === 'text' && String(m.content.text).startsWith('通讯录已同步'))).toEqual([]);
  });
});
