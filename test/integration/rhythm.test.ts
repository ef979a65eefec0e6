import { afterEach, describe, expect, it } from 'vitest';
import type { SimMessage } from '../../adapters/simulator/transcript.js';
import { buildBot } from '../../bot/app.js';
import { AdjustableClock } from '../../bot/clock.js';
import { loadConfig } from '../../bot/config.js';
import { t as text } from '../../bot/i18n/zh.js';
import { API_TOKEN, createTestBot, type TestBot } from '../helpers/bot.js';

const at = (local: string) => new Date(`${local}+08:00`);

describe('the rhythm of the IT department', () => {
  let t: TestBot;
  afterEach(async () => t?.close());
  const cards = async (chat: string, fragment: string) => (await t.transcript(chat)).filter((m) => m.card?.title.includes(fragment));
  const texts = async (chat: string) => (await t.transcript(chat)).filter((m) => m.from === 'bot' && m.text).map((m) => m.text!);
  const button = (m: SimMessage, label: string) => [...m.card!.buttons, ...(m.card!.form?.submits ?? [])].find((b) => b.label === label)!;

  it('fills the roster from the rotations, posts it every morning, and answers 值班', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T07:00:00')); // a Monday
    await t.advance(1); // the scheduler learns its jobs
    await t.advance(48); // 07:49
    for (const chat of ['engineers', 'intake']) {
      const [roster] = await cards(chat, '信息科值班表');
      expect(roster!.card!.markdown).toContain('11-23 周一：主班 王工　白班 钱工　夜班 朱工');
      expect(roster!.card!.markdown).toContain('11-24 周二：主班 朱工　白班 杨工　夜班 韩工');
    }
    expect(await t.bot.db.dutyAssignment.count()).toBe(4 * 7 * 3);
    await t.advance(24 * 60);
    expect(await cards('engineers', '信息科值班表')).toHaveLength(2);

    await t.say('zhang-li', 'intake', '今天谁值班');
    const answer = (await t.transcript('intake')).at(-1)!;
    expect(answer.card!.fields).toEqual([{ label: '现在值班', value: '主班 王工（8822）　夜班 朱工（8812）' }]); // 07:49: yesterday's 24 h and night shifts
  });

  it('applies an approved swap to the roster and escalates to whoever is on duty', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T07:00:00'));
    await t.say('zhu-lin', 'engineers', '值班');
    await t.say('zhu-lin', 'engineers', '申请 换班');
    const form = (await cards('engineers', '填写换班申请'))[0]!;
    const res = await t.click(form.id, 'zhu-lin', 'approval.submit', button(form, '提交申请').value, {
      colleague: 'han-mei',
      mine: '2026-11-24',
      theirs: '2026-11-25',
      reason: '孩子生病',
    });
    const number = /SQ-\d{8}-\d{3}/.exec(res.toast!.text)![0];
    for (const who of ['han-mei', 'huang-jun']) {
      const card = (await t.transcript(`user:${who}`)).find((m) => m.card?.title.includes(number))!;
      await t.click(card.id, who, 'approval.decide', button(card, '同意').value, { comment: '' });
    }
    const day = (date: string) => t.bot.db.dutyAssignment.findMany({ where: { date }, orderBy: { shiftId: 'asc' } });
    expect((await day('2026-11-24')).find((a) => a.shiftId === 'main')).toMatchObject({ personId: 'han-mei', source: 'swap' });
    expect((await day('2026-11-25')).find((a) => a.shiftId === 'main')).toMatchObject({ personId: 'zhu-lin', source: 'swap' });

    await t.advance(27 * 60); // 11-24 10:00: 韩梅 holds the main shift
    await t.say('li-na', 'intake', '急诊HIS全院都不能用了，电话8201');
    // A P1 pages whoever is on duty at once, directly and in the engineers' group.
    expect((await t.transcript('user:han-mei')).at(-1)!.text).toMatch(/^韩工：新报修 IT-/);
    expect(await t.transcript('user:zhu-lin')).not.toContainEqual(expect.objectContaining({ text: expect.stringMatching(/新报修/) }));
    const page = (await t.transcript('engineers')).filter((m) => m.from === 'bot' && m.text).at(-1)!;
    expect(page.text).toMatch(/^@韩梅 .*已私信值班的韩工/);
  });

  it('sends each reminder once, even across a restart; 已完成 records who; the unfinished are chased, then the leader told', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T08:00:00'));
    await t.advance(1);
    await t.advance(14); // 08:15: 备份登记 (08:13)
    expect(await cards('engineers', '📋 备份登记')).toHaveLength(1);

    // A second instance (or a restart) on the same database at the same moment sends nothing again.
    const again = buildBot({
      config: loadConfig({ DATABASE_URL: 'file:unused', SIMULATOR: 'on' }),
      db: t.bot.db,
      directory: t.bot.router['deps'].directory,
      clock: new AdjustableClock(t.clock.now()),
      logger: false,
    });
    await again.scheduler.tick();
    await again.app.close();
    expect(await t.bot.db.reminderFire.count({ where: { reminderId: 'backup-register' } })).toBe(1);

    await t.advance(30); // 08:45: 机房巡检 (08:43)
    const check = (await cards('engineers', '📋 机房巡检'))[0]!;
    expect((await t.click(check.id, 'zhang-li', 'reminder.done', button(check, '已完成').value)).toast?.text).toBe(
      text('error.not_it_staff', { what: text('reminder.what.register', { name: '机房巡检' }) }),
    );
    await t.click(check.id, 'wang-wei', 'reminder.done', button(check, '已完成').value);
    expect((await cards('engineers', '📋 机房巡检'))[0]!.card!.note).toBe(text('reminder.note.done', { name: '王工', at: '11-23 08:45' }));

    await t.advance(90); // 10:15: 备份登记 is past its 2 h
    expect((await texts('engineers')).filter((x) => x.includes('「备份登记」已过截止时间'))).toHaveLength(1);
    await t.advance(121);
    expect((await t.transcript('user:huang-jun')).at(-1)!.text).toBe(text('reminder.overdue.escalate', { what: '备份登记', at: '11-23 08:13' }));
    expect((await texts('engineers')).filter((x) => x.includes('已过截止时间'))).toHaveLength(1);
    expect(await t.bot.db.reminderFire.findFirst({ where: { reminderId: 'machine-room' } })).toMatchObject({ doneById: 'wang-wei', level: 0 });
  });

  it('catches up once after downtime, recording the missed fires', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T08:00:00'));
    await t.advance(1);
    t.clock.advance(3 * 24 * 60); // three days with the bot down
    await t.advance(1);
    const fires = await t.bot.db.scheduledFire.findMany({ where: { job: 'reminder.backup-register' }, orderBy: { fireAt: 'asc' } });
    expect(fires.map((f) => f.outcome)).toEqual(['skipped', 'skipped', 'ran']);
    expect(await cards('engineers', '📋 备份登记')).toHaveLength(1);
  });

  it('has each department’s head sign the weekly patrol', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await t.advance(1);
    await t.advance(17);
    const patrols = await cards('engineers', '📋 下科室巡查');
    expect(patrols.length).toBe(11);
    const cardiology = patrols.find((m) => m.card!.title.endsWith('心内科'))!;
    expect((await t.click(cardiology.id, 'liu-yang', 'reminder.done', button(cardiology, '签字确认').value)).outcome).toBe('refused');
    await t.click(cardiology.id, 'sun-hong', 'reminder.done', button(cardiology, '签字确认').value);
    expect((await cards('engineers', '📋 下科室巡查 · 心内科'))[0]!.card!.note).toMatch(/^✅ 孙红 于 11-23 09:1\d 完成$/);
  });

  it('sends the leadership digest with the day’s real numbers, and gives them over the API', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await t.advance(1);
    for (const [who, text] of [
      ['zhang-li', '门诊3楼打印机卡纸，资产号PC-0231'],
      ['liu-yang', '心内科电脑蓝屏，资产号PC-1100'],
      ['zhou-min', '检验科LIS条码打不出来，电话8401'],
    ] as const)
      await t.say(who, 'intake', text);
    const numbers = (await t.bot.db.ticket.findMany({ orderBy: { id: 'asc' } })).map((x) => x.number);
    await t.advance(5);
    await t.say('wang-wei', 'engineers', `认领 ${numbers[0]}`);
    await t.say('wang-wei', 'engineers', `解决 ${numbers[0]} 清理卡纸`);
    await t.say('zhang-li', 'intake', `确认 ${numbers[0]} 已解决 5 很快`);
    await t.advance(200);
    await t.say('cao-yu', 'engineers', `认领 ${numbers[2]}`); // past its 2 h response deadline
    await t.advance(22 * 60 + 60); // next day 11:26: the daily digest (08:17) has gone out
    const [digest] = await cards('leadership', '信息科日报');
    expect(digest!.card!.title).toBe(text('digest.card.title', { label: text('digest.label.daily'), span: '2026-11-23' }));
    const md = digest!.card!.markdown!;
    expect(md).toContain(text('digest.line.tickets', { opened: 3, P1: 0, P2: 0, P3: 3, P4: 0, resolved: 1, openNow: 2 }));
    // One claimed late, one not at all: the one nobody took counts with its 15 hours until midnight.
    expect(md).toContain(text('digest.line.response', { rate: '33.3%（1/3）', mean: '6.2 小时', open: '未响应 1 单，最长 15 小时' }));
    expect(md).toContain(text('digest.line.resolution', { rate: '100%（1/1）', mean: '10 小时', open: '未解决 2 单，最长 15 小时' }));
    expect(md).toContain(text('digest.line.changes.today', { list: text('digest.none') }));
    expect(digest!.card!.note).toContain(text('digest.note.response'));
    expect(md).toContain(text('digest.line.satisfaction', { value: text('digest.satisfaction.value', { average: 5, count: 1 }) }));
    expect(md).toContain(text('digest.line.departments', { list: '门诊部 1，心内科 1，检验科 1' }));
    expect(digest!.card!.chart).toEqual({
      title: '近 7 天报修量与响应达标率',
      categories: ['11-17', '11-18', '11-19', '11-20', '11-21', '11-22', '11-23'],
      series: [
        { name: '报修量', kind: 'bar', values: [0, 0, 0, 0, 0, 0, 3] },
        { name: '响应达标率', kind: 'line', values: [null, null, null, null, null, null, 33.3], unit: '%' },
      ],
    });

    const api = await t.bot.app.inject({ url: '/api/stats?from=2026-11-23&to=2026-11-24', headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(api.json()).toMatchObject({
      opened: 3,
      resolved: 1,
      responseCompliance: { met: 1, total: 3 },
      satisfaction: { count: 1, average: 5 },
      unresponded: { count: 1 },
      unresolved: { count: 2 },
    });
    expect(api.json().unresponded.longestMinutes).toBeGreaterThan(14 * 60);
    await t.say('zhang-li', 'intake', '日报');
    expect((await t.transcript('intake')).at(-1)!.text).toBe(text('error.not_allowed', { who: text('digest.readers'), what: text('digest.what.read') }));
    await t.say('huang-jun', 'leadership', '昨日日报');
    expect((await cards('leadership', '信息科日报')).at(-1)!.card!.markdown).toBe(md);
    await t.say('huang-jun', 'leadership', '日报 2026-11-23');
    expect((await cards('leadership', '信息科日报')).at(-1)!.card!.markdown).toBe(md);
    await t.say('huang-jun', 'leadership', '日报'); // today so far: nothing reported yet this morning
    const today = (await cards('leadership', '信息科日报')).at(-1)!.card!;
    expect(today.title).toBe(text('digest.card.title', { label: text('digest.label.daily'), span: '2026-11-24（截至 11:26）' }));
    expect(today.markdown).toContain(text('digest.line.tickets', { opened: 0, P1: 0, P2: 0, P3: 0, P4: 0, resolved: 0, openNow: 2 }));
  });

  it('counts a P1 nobody claimed in the day’s response figures, and shows its incident as unclaimed', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T14:00:00'));
    await t.say('li-na', 'intake', '急诊HIS全院都不能用了，电话8201');
    const [p1] = await t.bot.db.ticket.findMany();
    expect(p1!.priority).toBe('P1');
    const outage = { priority: 'P1', system: 'HIS', title: '急诊HIS全院不能用', createdAt: at('2026-11-23T14:00:00') };
    await t.bot.db.incident.createMany({
      data: [
        { ...outage, number: 'GZ-20261123-001', status: 'open' },
        { ...outage, number: 'GZ-20261123-002', status: 'claimed', claimedAt: at('2026-11-23T14:05:00') },
      ],
    });
    await t.advance(1);
    await t.advance(18 * 60 + 26); // next day 08:27: nobody claimed it for the 10 hours to midnight
    const md = (await cards('leadership', '信息科日报'))[0]!.card!.markdown!;
    expect(md).toContain(text('digest.line.response', { rate: '0%（0/1）', mean: '10 小时', open: '未响应 1 单，最长 10 小时' }));
    const incident = (number: string, state: 'unclaimed' | 'claimed') =>
      text('digest.incident', { number, system: 'HIS', priority: 'P1', status: text(`digest.incident.${state}`) });
    expect(md).toContain(text('digest.line.incidents', { list: `${incident('GZ-20261123-001', 'unclaimed')}；${incident('GZ-20261123-002', 'claimed')}` }));
    const api = await t.bot.app.inject({ url: '/api/stats?from=2026-11-23&to=2026-11-24', headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(api.json()).toMatchObject({ mttaMinutes: 600, unresponded: { count: 1, longestMinutes: 600 }, responseCompliance: { met: 0, total: 1 } });
  });

  it('counts the work still open at the end of the day as 未响应 / 未解决, even when it was reported the day before', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T21:00:00'));
    await t.say('zhang-li', 'intake', '门诊3楼打印机卡纸，资产号PC-0231');
    const [printer] = await t.bot.db.ticket.findMany();
    await t.advance(5);
    await t.say('wang-wei', 'engineers', `认领 ${printer!.number}`); // 21:05: claimed, not yet fixed
    await t.advance(55); // 22:00
    await t.say('li-na', 'intake', '急诊HIS全院都不能用了，电话8201'); // a P1 nobody claims
    await t.say('liu-yang', 'intake', '心内科电脑蓝屏，资产号PC-1100');
    const [, p1, withdrawn] = await t.bot.db.ticket.findMany({ orderBy: { id: 'asc' } });
    expect(p1!.priority).toBe('P1');
    const lines = (md: string) => md.split('\n').filter((l) => l.startsWith('**响应**') || l.startsWith('**解决**'));

    await t.advance(10 * 60); // 11-24 08:00: withdrawn, so nothing was ever owed (not even when yesterday ended)
    await t.say('liu-yang', 'intake', `撤销 ${withdrawn!.number}`);
    await t.advance(17); // 08:17: the digest of 11-23 goes out
    const yesterday = (await cards('leadership', '信息科日报 · 2026-11-23'))[0]!.card!;
    expect(lines(yesterday.markdown!)).toEqual([
      text('digest.line.response', { rate: '50%（1/2）', mean: '1 小时', open: '未响应 1 单，最长 2 小时' }),
      text('digest.line.resolution', { rate: '—', mean: '2.5 小时', open: '未解决 2 单，最长 3 小时' }),
    ]);

    await t.advance(103); // 10:00: 日报 of today so far, nothing reported this morning
    await t.say('huang-jun', 'leadership', '日报');
    const today = (await cards('leadership', '信息科日报')).at(-1)!.card!;
    expect(today.title).toBe(text('digest.card.title', { label: text('digest.label.daily'), span: '2026-11-24（截至 10:00）' }));
    expect(today.markdown).toContain(text('digest.line.tickets', { opened: 0, P1: 0, P2: 0, P3: 0, P4: 0, resolved: 0, openNow: 2 }));
    // The P1 waits 12 hours since its report at 22:00; the printer, claimed the evening before, is only unresolved.
    expect(lines(today.markdown!)).toEqual([
      text('digest.line.response', { rate: '—', mean: '—', open: '未响应 1 单，最长 12 小时' }),
      text('digest.line.resolution', { rate: '—', mean: '—', open: '未解决 2 单，最长 13 小时' }),
    ]);
    expect(today.note).toContain(text('digest.note.outstanding'));

    await t.advance(15 * 60); // 11-25 01:00: the P1 is claimed after the day ended
    await t.say('cao-yu', 'engineers', `认领 ${p1!.number}`);
    await t.advance(7 * 60 + 17); // 08:17: the digest of 11-24 goes out
    const day = (await t.transcript('leadership')).find((m) => m.card?.title === '信息科日报 · 2026-11-24')!.card!;
    expect(day.markdown).toContain(text('digest.line.response', { rate: '—', mean: '—', open: '未响应 1 单，最长 26 小时' }));
    const api = await t.bot.app.inject({ url: '/api/stats?from=2026-11-24&to=2026-11-25', headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(api.json()).toMatchObject({
      opened: 0,
      mttaMinutes: null,
      responseCompliance: { total: 0, rate: null },
      unresponded: { count: 1, longestMinutes: 26 * 60 },
      unresolved: { count: 2, longestMinutes: 27 * 60 },
    });
  });

  it('imports a roster from CSV, naming the line of each mistake', async () => {
    t = await createTestBot();
    const post = (csv: string) =>
      t.bot.app.inject({
        method: 'POST',
        url: '/api/duty/import',
        headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'text/csv' },
        payload: csv,
      });
    const bad = await post('date,shift,person\n2026-12-01,主班,王伟\n2026-12-02,早班,朱林\n12/03,夜班,张丽\n');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe(
      [
        text('duty.import.atLine', { line: 3, reason: text('duty.import.unknownShift', { shift: '早班' }) }),
        text('duty.import.atLine', { line: 4, reason: text('duty.import.badDate', { date: '12/03' }) }),
      ].join('；'),
    );
    expect(await t.bot.db.dutyAssignment.count()).toBe(0);
    const ok = await post('date,shift,person\n2026-12-01,主班,王伟\n2026-12-01,night,zhu-lin\n');
    expect(ok.json()).toEqual({ imported: 2 });
  });
});

describe('shift handover', () => {
  let t: TestBot;
  afterEach(async () => t?.close());
  const dm = (who: string) => t.transcript(`user:${who}`);
  const handoverCard = async (who: string) => (await dm(who)).filter((m) => m.card?.title.startsWith('交接班')).at(-1)!;

  it('asks the outgoing engineer at shift end, with the open work first; the incoming one accepts, or the IT director hears', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T07:00:00'));
    await t.advance(1);
    await t.advance(50); // the roster is filled
    await t.say('li-na', 'intake', '急诊HIS全院都不能用了，电话8201');
    await t.say('zhang-li', 'intake', '请问怎么设置打印机默认纸张，不急，资产号PR-0102');
    await t.advance(10 * 60); // 17:31: the day shift (钱博) hands over to the night shift (朱林)
    let card = await handoverCard('qian-bo');
    expect(card.card!.title).toBe(text('handover.card.title', { day: '2026-11-23', shift: '白班' }));
    expect(card.card!.fields.find((f) => f.label === text('handover.field.to'))!.value).toBe('朱林');
    const work = card.card!.markdown!.split('\n');
    expect(work[0]).toBe('**待完成工作（2）**');
    expect(work[1]).toMatch(/^P1 IT-\d{8}-\d{4} 急诊HIS全院都不能用了｜待认领｜时限 /);
    expect(work[2]).toMatch(/^P4 /);

    const submit = card.card!.form!.submits[0]!;
    expect((await t.click(card.id, 'zhu-lin', submit.action, submit.value, {})).outcome).toBe('refused');
    await t.click(card.id, 'qian-bo', submit.action, submit.value, { spares: '备用机 3 台，1 台借给门诊 2 楼', tools: '12 件', notes: '急诊 HIS 故障请跟进' });
    const accept = await handoverCard('zhu-lin');
    expect(accept.card!.fields).toContainEqual({ label: '备用机', value: '备用机 3 台，1 台借给门诊 2 楼' });
    await t.click(accept.id, 'zhu-lin', 'handover.accept', accept.card!.buttons[0]!.value);
    expect((await t.bot.db.handover.findFirstOrThrow({ where: { shiftId: 'day' } })).status).toBe('accepted');
    card = await handoverCard('qian-bo');
    expect(card.card!.fields[0]).toEqual({ label: '状态', value: '已交接' });

    // The night shift ends at 08:00; its handover is submitted but nobody accepts it within 30 minutes.
    await t.advance(14 * 60 + 30); // 11-24 08:01
    const night = await handoverCard('zhu-lin');
    await t.click(night.id, 'zhu-lin', 'handover.submit', night.card!.form!.submits[0]!.value, { notes: '夜间无新故障' });
    await t.advance(31);
    expect((await dm('huang-jun')).at(-1)!.text).toMatch(/^交接班未确认：2026-11-23 夜班由 朱林 交出，.+ 超时未确认接班。$/);
    await t.say('huang-jun', 'engineers', '交接记录');
    const log = (await t.transcript('engineers')).at(-1)!.card!.text!;
    expect(log).toContain('2026-11-23 白班｜钱博 → 朱林｜已交接');
    expect(log).toContain('2026-11-23 夜班｜朱林 → ');
    expect(log).toContain('超时未接');
  });
});

describe('registers as xlsx', () => {
  it('exports the fault register with masked personal data, by API and from the simulator', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await t.say('zhang-li', 'intake', '门诊3楼打印机卡纸打不出患者王小明的处方，资产号PC-0231，电话13812345678');
    const number = (await t.bot.db.ticket.findFirstOrThrow()).number;
    await t.say('wang-wei', 'engineers', `认领 ${number}`);
    await t.say('wang-wei', 'engineers', `备件 ${number} 搓纸轮×1`);
    await t.say('wang-wei', 'engineers', `解决 ${number} 更换搓纸轮`);

    await t.say('wang-wei', 'engineers', '导出 故障台账 2026-11');
    const link = (await t.transcript('engineers')).at(-1)!.text!;
    expect(link).toBe(text('report.export.ready', { period: '2026-11', path: '/simulator/api/reports/fault-register.xlsx?month=2026-11' }));
    const viaSimulator = await t.bot.app.inject({ url: '/simulator/api/reports/fault-register.xlsx?month=2026-11' });
    const viaApi = await t.bot.app.inject({
      url: '/api/reports/fault-register.xlsx?from=2026-11-01&to=2026-12-01',
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(viaApi.statusCode).toBe(200);
    expect(viaApi.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(viaSimulator.rawPayload as never);
    const sheet = book.getWorksheet('故障处理登记台账')!;
    expect(sheet.rowCount).toBe(2);
    const row = sheet.getRow(2).values as unknown[];
    expect(row.slice(1, 4)).toEqual([number, '11-23 09:00', '门诊部']);
    expect(String(row[8])).toBe('门诊3楼打印机卡纸打不出患者王*的处方，资产号PC-0231，电话138****5678');
    expect(row.slice(12, 17)).toEqual(['王伟', expect.stringMatching(/^11-23 09:0\d$/), '更换搓纸轮', '搓纸轮×1', '已解决待确认']);
    expect((await t.bot.app.inject({ url: '/api/reports/fault-register.xlsx?month=2026-11' })).statusCode).toBe(401);
    expect((await t.bot.app.inject({ url: '/api/reports/nothing.xlsx?month=2026-11', headers: { authorization: `Bearer ${API_TOKEN}` } })).statusCode).toBe(
      404,
    );
    await t.close();
  });
});

describe('two simulated weeks', () => {
  // Days of simulated time, every due moment on the way played in turn: longer than most tests.
  it('posts the roster and sends each daily reminder exactly once a day, and imports an xlsx roster', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const t = await createTestBot({}, undefined, at('2026-11-23T07:00:00'));
    await t.advance(1);
    for (let hour = 0; hour < 14 * 24; hour += 3) await t.advance(180);
    const engineers = await t.transcript('engineers');
    expect(engineers.filter((m) => m.card?.title.startsWith('信息科值班表'))).toHaveLength(14);
    expect(engineers.filter((m) => m.card?.title === '📋 备份登记')).toHaveLength(14);
    expect(engineers.filter((m) => m.card?.title.startsWith('📋 下科室巡查'))).toHaveLength(2 * 11);
    expect(await t.bot.db.scheduledFire.count({ where: { outcome: 'skipped' } })).toBe(0);
    expect((await t.transcript('leadership')).filter((m) => m.card?.title.startsWith('信息科周报'))).toHaveLength(2);

    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('排班');
    sheet.addRow(['日期', '班次', '值班人']);
    sheet.addRow([new Date('2026-12-20T00:00:00Z'), '主班', '邓超']);
    const res = await t.bot.app.inject({
      method: 'POST',
      url: '/api/duty/import',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      payload: Buffer.from(await book.xlsx.writeBuffer()),
    });
    expect(res.json()).toEqual({ imported: 1 });
    expect(await t.bot.db.dutyAssignment.findUnique({ where: { date_shiftId: { date: '2026-12-20', shiftId: 'main' } } })).toMatchObject({
      personId: 'deng-chao',
      source: 'import',
    });
    await t.close();
  }, 60_000);
});
