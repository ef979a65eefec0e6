import { afterEach, describe, expect, it } from 'vitest';
import { t as text } from '../../bot/i18n/zh.js';
import type { SimMessage } from '../../adapters/simulator/transcript.js';
import { API_TOKEN, createTestBot, type TestBot } from '../helpers/bot.js';
import { importRegister } from '../helpers/repairs.js';

/** 2026-12-02 10:00 in the hospital: a Wednesday, in working hours. */
const NOW = new Date('2026-12-02T02:00:00Z');
const DAY = 24 * 60 * 60_000;
const REGISTER = [
  '资产编号,类型,型号,科室,位置,使用人,购置日期,保修截止,厂商,厂商联系方式',
  'PC-0231,台式机,联想启天 M720,门诊部,门诊3楼212诊室,张丽,2024-07-01,2027-06-30,联想,400-990-8888',
  'PC-0450,台式机,戴尔 OptiPlex 7090,检验科,医技楼2楼检验科前台,周敏,2021-01-10,2024-01-09,戴尔,400-884-6661',
].join('\n');

const fieldsOf = (m: SimMessage) => Object.fromEntries(m.card!.fields.map((f) => [f.label, f.value]));

describe('a report naming an asset of the register', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const register = (csv = REGISTER) => importRegister(t, csv);
  const cards = async (chat: string, number: string) => (await t.transcript(chat)).filter((m) => m.card?.title.includes(number));
  const newest = async () => t.bot.db.ticket.findFirstOrThrow({ orderBy: { id: 'desc' } });

  it('shows the engineers its model, its warranty, the vendor’s service contact and its repairs, and the reporter none of the vendor', async () => {
    t = await createTestBot({}, undefined, NOW);
    await register();
    // Two earlier reports on the same machine within 90 days, and one before them that no longer counts.
    for (const daysAgo of [120, 40, 5]) {
      await t.bot.db.ticket.create({
        data: {
          number: `IT-2026${String(daysAgo).padStart(4, '0')}-0001`,
          status: 'closed',
          closeReason: 'confirmed',
          priority: 'P3',
          title: '电脑蓝屏',
          description: '电脑蓝屏',
          reporterId: 'zhang-li',
          assetNumber: 'PC-0231',
          responseDueAt: new Date(NOW.getTime() - daysAgo * DAY),
          sourcePlatform: 'simulator',
          sourceChatId: 'intake',
          createdAt: new Date(NOW.getTime() - daysAgo * DAY),
        },
      });
    }

    await t.say('zhang-li', 'intake', '电脑又蓝屏了，开不了机，资产号PC0231');
    const ticket = await newest();
    expect(ticket).toMatchObject({ assetNumber: 'PC-0231', departmentId: 'outpatient', location: '门诊3楼212诊室' });
    const [dispatch] = await cards('engineers', ticket.number);
    expect(fieldsOf(dispatch!)).toMatchObject({
      资产号: 'PC-0231',
      [text('asset.card.model')]: '台式机 联想启天 M720',
      [text('asset.card.warranty')]: '保修至 2027-06-30',
      [text('asset.card.vendor')]: '联想 400-990-8888',
      [text('asset.card.history')]: '该设备近 90 天第 3 次报修',
      位置: '门诊3楼212诊室',
    });
    // The reporter's card names the machine, but neither the vendor nor the warranty.
    const [intake] = await cards('intake', ticket.number);
    expect(fieldsOf(intake!)).toMatchObject({ [text('asset.card.model')]: '台式机 联想启天 M720' });
    expect(JSON.stringify(await t.transcript('intake'))).not.toContain('400-990-8888');
    expect(fieldsOf(intake!)[text('asset.card.warranty')]).toBeUndefined();

    // Claimed, the card is redrawn and still counts this report as the third.
    await t.say('wang-wei', 'engineers', `认领 ${ticket.number}`);
    const [redrawn] = await cards('engineers', ticket.number);
    expect(fieldsOf(redrawn!)).toMatchObject({ 状态: '处理中', [text('asset.card.history')]: '该设备近 90 天第 3 次报修' });
  });

  it('fills the department and the place from the register when the report does not say them', async () => {
    t = await createTestBot({}, undefined, NOW);
    await register();
    // Someone the organisation file does not list, whose department nobody knows yet.
    const res = await t.bot.app.inject({
      method: 'POST',
      url: '/simulator/api/messages',
      payload: { chatId: 'intake', userId: 'xu-ning', userName: '徐宁', text: '前台电脑蓝屏了，开不了机，资产号PC-0450，电话8433' },
    });
    expect(res.statusCode).toBe(200);
    const ticket = await newest();
    expect(ticket).toMatchObject({ departmentId: 'laboratory', location: '医技楼2楼检验科前台' });
    const api = await t.bot.app.inject({ url: `/api/tickets/${ticket.number}`, headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(api.json()).toMatchObject({ department: { id: 'laboratory', name: '检验科' } });
    expect(api.json().events[0]).toMatchObject({ type: 'created', data: { fromAsset: ['department', 'location'] } });
    // Out of warranty: the engineers see so, and no vendor.
    const [dispatch] = await cards('engineers', ticket.number);
    const fields = fieldsOf(dispatch!);
    expect(fields[text('asset.card.warranty')]).toBe('已过保');
    expect(fields[text('asset.card.vendor')]).toBeUndefined();
    expect(fields[text('asset.card.history')]).toBe('该设备近 90 天第 1 次报修');

    // A place or a department the report names wins over the register.
    await t.say('liu-yang', 'intake', '心内科住院部5楼护士站的电脑蓝屏，资产号PC-0450');
    expect(await newest()).toMatchObject({ departmentId: 'cardiology', location: '住院部5楼护士站' });
  });

  it('flags an asset number the register does not hold to the engineers, and still takes the report', async () => {
    t = await createTestBot({}, undefined, NOW);
    // An empty register flags nothing: the hospital may not keep one.
    await t.say('li-na', 'intake', '急诊2楼分诊台电脑蓝屏，资产号PC-9999');
    const before = await newest();
    expect(fieldsOf((await cards('engineers', before.number))[0]!)[text('asset.card.register')]).toBeUndefined();

    await register();
    await t.say('zhou-min', 'intake', '检验科电脑蓝屏，资产号PC-9998，电话8401');
    const ticket = await newest();
    expect(ticket).toMatchObject({ assetNumber: 'PC-9998', status: 'open', departmentId: 'laboratory' });
    const [dispatch] = await cards('engineers', ticket.number);
    expect(fieldsOf(dispatch!)[text('asset.card.register')]).toBe('资产编号 PC-9998 未在资产台账中');
    const [intake] = await cards('intake', ticket.number);
    expect(fieldsOf(intake!)[text('asset.card.register')]).toBeUndefined();
    expect(JSON.stringify(await t.transcript('intake'))).not.toContain('未在资产台账中');
  });
});
