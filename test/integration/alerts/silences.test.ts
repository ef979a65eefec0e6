import { afterEach, describe, expect, it } from 'vitest';
import type { SimMessage } from '../../../adapters/simulator/transcript.js';
import { t as text } from '../../../bot/i18n/zh.js';
import { fieldOf, monitoredBot, perChat, sentSince, type MonitoredBot } from '../../helpers/alert-incidents.js';

/** 20:00 on a working Tuesday: tonight's change window runs from 22:00. */
const EVENING = new Date('2026-11-24T20:00:00+08:00');

describe('alerts inside an approved change’s window', () => {
  let t: MonitoredBot;
  afterEach(async () => t?.close());

  const submitOf = (m: SimMessage, label: string) => {
    const b = [...(m.card?.form?.submits ?? []), ...(m.card?.buttons ?? [])].find((x) => x.label === label);
    if (!b) throw new Error(`no ${label} on ${m.card?.title}`);
    return b;
  };
  const lastCard = async (chat: string, fragment: string) => (await t.transcript(chat)).filter((m) => m.card?.title.includes(fragment)).at(-1)!;

  /** 钱博 asks for a normal change of HIS tonight 22:00–02:00; the IT director approves it; the window opens. */
  async function changeTonight(systems = 'HIS 数据库') {
    await t.say('qian-bo', 'engineers', '申请 变更');
    const form = await lastCard('engineers', '填写');
    const submitted = await t.click(form.id, 'qian-bo', 'approval.submit', submitOf(form, '提交申请').value, {
      title: 'HIS 数据库升级',
      reason: '数据库版本停止维护',
      content: 'Oracle 19c 升级补丁',
      risk: '升级期间 HIS 不可用',
      plan: '停应用、备份、升级、验证',
      rollback: '恢复备份',
      test: '测试环境验证通过',
      systems,
      departments: '',
      start: '2026-11-24 22:00',
      end: '2026-11-25 02:00',
      level: 'normal',
      emergency: 'no',
      implementer: 'qian-bo',
    });
    const number = /SQ-\d{8}-\d{3}/.exec(submitted.toast?.text ?? '')![0];
    const card = (await t.transcript('user:huang-jun')).filter((m) => m.card?.title.includes(number)).at(-1)!;
    await t.click(card.id, 'huang-jun', 'approval.decide', submitOf(card, '同意').value, { comment: '' });
    await t.advance(2 * 60 + 1); // 22:01
    const change = await t.bot.db.approval.findUniqueOrThrow({ where: { number } });
    expect(change).toMatchObject({ status: 'approved', phase: 'awaiting_backup' });
    return change;
  }

  it('silences an alert of the changed system that starts inside the window: recorded on the change, no incident, nobody paged', async () => {
    t = await monitoredBot(undefined, EVENING);
    const change = await changeTonight();
    const before = t.sent().length;

    expect(await t.alert({ fingerprint: 'his-db', startsAt: 2 * 60 + 5, summary: 'HIS database down' })).toMatchObject({ new: 1 });
    expect(await t.bot.db.alert.findFirstOrThrow()).toMatchObject({ state: 'silenced', changeId: change.id, incidentId: null });
    expect(await t.bot.db.incident.count()).toBe(0);
    await t.advance(30);
    expect(sentSince(t, before)).toEqual([]);

    // The change keeps it: in its audit trail, and on its card in the engineers' group (redrawn, not sent again).
    const audit = await t.bot.db.auditLog.findMany({ where: { action: 'change.alert_silenced' } });
    expect(audit).toMatchObject([{ entityType: 'approval', entityId: change.number, actorId: null }]);
    expect(audit[0]!.after).toMatchObject({ source: 'generic', system: 'his', summary: 'HIS database down' });
    const card = await lastCard('engineers', change.number);
    expect(fieldOf(card, text('change.field.alerts'))).toBe(text('change.alerts.silenced', { n: 1 }));

    // Its resolve and the same delivery again change nothing more.
    await t.alert({ fingerprint: 'his-db', startsAt: 2 * 60 + 5, summary: 'HIS database down' });
    await t.alert({ fingerprint: 'his-db', status: 'resolved', startsAt: 2 * 60 + 5, endsAt: 2 * 60 + 40, summary: 'HIS database down' });
    await t.alert({ fingerprint: 'his-app', startsAt: 2 * 60 + 41, severity: 'warning', summary: 'HIS application restarts' });
    expect(fieldOf(await lastCard('engineers', change.number), text('change.field.alerts'))).toBe(text('change.alerts.silenced', { n: 2 }));
    expect(await t.bot.db.auditLog.count({ where: { action: 'change.alert_silenced' } })).toBe(2);
    expect(await t.bot.db.incident.count()).toBe(0);
    expect(sentSince(t, before)).toEqual([]);
  });

  it('still pages what the change does not cover: another system, an alert that began before the window, and HIS once the change is verified', async () => {
    t = await monitoredBot(undefined, EVENING);
    const change = await changeTonight();
    const before = t.sent().length;

    // LIS is not in the change.
    await t.alert({ fingerprint: 'lis', system: 'LIS', startsAt: 2 * 60 + 5, summary: 'LIS interface down' });
    expect(await t.bot.db.incident.findFirstOrThrow()).toMatchObject({ system: 'LIS', origin: 'monitoring' });
    // HIS, but firing since before the window opened: not the change's doing.
    await t.alert({ fingerprint: 'his-early', startsAt: 110, summary: 'HIS disk almost full' });
    expect(await t.bot.db.incident.count({ where: { system: 'HIS' } })).toBe(1);
    expect(await t.bot.db.alert.count({ where: { state: 'silenced' } })).toBe(0);
    const engineers = perChat(sentSince(t, before))['engineers'];
    expect(engineers).toBe(2);

    // The implementer confirms the backup and reports the change verified: an alert of HIS after that pages.
    let card = await lastCard('engineers', change.number);
    await t.click(card.id, 'qian-bo', 'change.backup', submitOf(card, '备份已完成').value);
    card = await lastCard('engineers', change.number);
    await t.click(card.id, 'qian-bo', 'change.verify', submitOf(card, '验证通过').value, { comment: 'HIS 登录、挂号验证正常' });
    await t.alert({ fingerprint: 'his-after', startsAt: 2 * 60 + 30, summary: 'HIS login failures' });
    const row = await t.bot.db.alert.findFirstOrThrow({ where: { fingerprint: 'his-after' } });
    expect(row).toMatchObject({ state: 'paged', changeId: null });
    expect(row.incidentId).not.toBeNull();
    expect(fieldOf(await lastCard('engineers', change.number), text('change.field.alerts'))).toBeUndefined();
  });
});
