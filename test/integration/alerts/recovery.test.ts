import { afterEach, describe, expect, it } from 'vitest';
import { t as text } from '../../../bot/i18n/zh.js';
import { RECOVERY_ACTION } from '../../../bot/incidents/alert-cards.js';
import { fieldOf, monitoredBot, perChat, sentSince, START, type MonitoredBot } from '../../helpers/alert-incidents.js';
import { buttonOf } from '../../helpers/bot.js';

/** Minutes since START on the bot's clock (which also runs on with the wall clock, a little). */
const minutesIn = (t: MonitoredBot) => Math.floor((t.clock.now().getTime() - START.getTime()) / 60_000);

describe('an incident whose monitoring alerts have all recovered', () => {
  let t: MonitoredBot;
  afterEach(async () => t?.close());

  /** HIS's database alert fires; three people report it in two chats; 罗欣 claims the incident. */
  async function outage() {
    t = await monitoredBot();
    await t.alert({ fingerprint: 'his-db', startsAt: -3 });
    await t.say('zhang-li', 'intake', 'HIS打不开了');
    await t.say('li-na', 'intake', '急诊HIS也登不上');
    await t.say('song-jia', 'user:song-jia', '人事科HIS也进不去');
    const incident = await t.bot.db.incident.findFirstOrThrow();
    await t.say('luo-xin', 'engineers', `认领 ${incident.number}`);
    return incident;
  }

  /** The alert's current firing resolves now, as its sender says it (the firing's own start). */
  async function resolve(fingerprint = 'his-db') {
    const row = await t.bot.db.alert.findFirstOrThrow({ where: { fingerprint, status: 'firing' } });
    return t.alert({ fingerprint, status: 'resolved', startsAt: (row.firedAt.getTime() - START.getTime()) / 60_000, endsAt: minutesIn(t) });
  }

  it('asks the engineers once, settleMinutes after the last alert resolved; the click resolves it and every reporter is asked to confirm', async () => {
    const incident = await outage();
    const before = t.sent().length;

    await t.advance(2);
    await resolve();
    expect(await t.bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).toMatchObject({ alertsFiring: 0, status: 'claimed' });
    // Not settled yet (5 minutes by default): nobody is asked, nothing is said.
    await t.advance(4);
    expect(sentSince(t, before)).toEqual([]);

    await t.advance(2);
    const asked = sentSince(t, before);
    expect(perChat(asked)).toEqual({ engineers: 1 });
    const question = asked[0]!;
    expect(question.card!.title).toBe(text('incident.recovery.title', { number: incident.number, system: 'HIS' }));
    expect(question.card!.text).toBe(text('incident.recovery.text', { number: incident.number, count: 1, settle: 5 }));
    expect(question.card!.note).toBe(text('incident.recovery.note', { reports: 3 }));
    // The one who holds the outage is the one asked.
    expect(question.card!.mentions?.map((m) => m.name)).toEqual(['罗欣']);
    const button = buttonOf(question, text('incident.recovery.button'));
    expect(button.command).toBe(text('incident.recovery.command', { number: incident.number }));
    // The engineers' incident card says the alerts have recovered.
    const card = t.sent().find((m) => m.chatId === 'engineers' && m.card?.title.includes('🚨'));
    expect(fieldOf(card, text('incident.field.alerts'))).toMatch(/^已全部恢复（11-24 10:0\d），共 1 条$/);
    expect(card!.card!.markdown).toContain('🟢 已恢复');

    // Asked once: however long nobody answers.
    await t.advance(60);
    expect(sentSince(t, before)).toHaveLength(1);
    expect(await t.bot.db.auditLog.count({ where: { action: 'incident.recovery_asked' } })).toBe(1);

    // The click resolves the incident as 解决 INC-… does, and each chat's reporters get one card to confirm on.
    const clicked = await t.click(question.id, 'luo-xin', button.action, button.value);
    expect(clicked.toast?.text).toBe(text('incident.resolve.toast', { number: incident.number, n: 3 }));
    const resolved = await t.bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(resolved).toMatchObject({ status: 'resolved', solution: text('incident.recovery.solution'), assigneeId: 'luo-xin' });
    expect(await t.bot.db.ticket.count({ where: { incidentId: incident.id, status: 'resolved' } })).toBe(3);
    expect(await t.bot.db.auditLog.findFirst({ where: { action: 'incident.resolve', entityId: incident.number } })).toMatchObject({ actorId: 'luo-xin' });
    const afterClick = sentSince(t, before).slice(1);
    expect(perChat(afterClick)).toEqual({ intake: 1, 'user:song-jia': 1 });
    for (const m of afterClick) {
      expect(m.card!.title).toBe(text('incident.confirm.title', { system: 'HIS', number: incident.number }));
      expect(m.card!.text).toContain(text('incident.recovery.solution'));
    }
    expect(afterClick.find((m) => m.chatId === 'intake')!.card!.mentions?.map((m) => m.name)).toEqual(['张丽', '李娜']);
    // The question, redrawn: answered, its button gone.
    const answered = t.sent().find((m) => m.id === question.id)!;
    expect(answered.card!.title).toBe(text('incident.recovery.titleResolved', { number: incident.number, system: 'HIS' }));
    expect(answered.card!.buttons).toEqual([]);

    // A second click (another engineer, a stale card) changes nothing and says why.
    const again = await t.click(question.id, 'han-mei', button.action, button.value);
    expect(again.outcome).toBe('refused');
    expect(again.toast?.text).toContain('已解决');
    expect(sentSince(t, before)).toHaveLength(3);
  });

  it('lets a flapping alert cancel the question quietly; after the question, a re-fire only redraws its card', async () => {
    const incident = await outage();
    const before = t.sent().length;

    // Resolves, fires again within flapMinutes, twice: no question, no message at all.
    for (let i = 0; i < 2; i++) {
      await t.advance(1);
      await resolve();
      await t.advance(3);
      expect(await t.alert({ fingerprint: 'his-db', startsAt: minutesIn(t) })).toMatchObject({ updated: 1 });
    }
    await t.advance(10);
    expect(sentSince(t, before)).toEqual([]);
    expect((await t.bot.db.alert.findFirstOrThrow()).flaps).toBe(2);
    expect(await t.bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).toMatchObject({ alertsFiring: 1, confirmAskedAt: null });

    // It resolves for good: asked once.
    await resolve();
    await t.advance(6);
    expect(perChat(sentSince(t, before))).toEqual({ engineers: 1 });
    const question = sentSince(t, before)[0]!;
    const button = buttonOf(question, text('incident.recovery.button'));

    // After the question: another alert of HIS fires (a new one), and the question's card loses its button; nothing is sent.
    await t.alert({ fingerprint: 'his-app', startsAt: minutesIn(t), summary: 'HIS application server down' });
    expect(await t.bot.db.incident.count()).toBe(1);
    expect(sentSince(t, before)).toHaveLength(1);
    const firing = t.sent().find((m) => m.id === question.id)!;
    expect(firing.card!.title).toBe(text('incident.recovery.titleFiring', { number: incident.number, system: 'HIS' }));
    expect(firing.card!.buttons).toEqual([]);
    expect(firing.card!.note).toBe(text('incident.recovery.noteFiring', { settle: 5 }));
    // A click on the card as it was: refused, saying what to do instead.
    const stale = await t.click(question.id, 'luo-xin', button.action, button.value);
    expect(stale.outcome).toBe('refused');
    expect(stale.toast?.text).toBe(text('error.not_possible', { reason: text('incident.recovery.stillFiring', { number: incident.number }) }));
    expect((await t.bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe('claimed');

    // It recovers and settles again: the same card gets its button back, still no new message.
    await t.advance(2);
    await resolve('his-app');
    // Not settled yet: the card waits, without its button, and a click on it as it was is refused.
    const settling = t.sent().find((m) => m.id === question.id)!;
    expect(settling.card!.title).toBe(text('incident.recovery.titleSettling', { number: incident.number, system: 'HIS' }));
    expect(settling.card!.buttons).toEqual([]);
    const early = await t.click(question.id, 'luo-xin', button.action, button.value);
    expect(early.toast?.text).toBe(text('error.not_possible', { reason: text('incident.recovery.notSettled', { number: incident.number, settle: 5 }) }));
    await t.advance(6);
    expect(sentSince(t, before)).toHaveLength(1);
    const again = t.sent().find((m) => m.id === question.id)!;
    expect(again.card!.title).toBe(text('incident.recovery.title', { number: incident.number, system: 'HIS' }));
    expect(fieldOf(again, text('incident.field.alerts'))).toMatch(/共 2 条$/);
    const clicked = await t.click(question.id, 'luo-xin', button.action, button.value);
    expect(clicked.outcome).toBe('handled');
    expect((await t.bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe('resolved');
    expect(perChat(sentSince(t, before))).toEqual({ engineers: 1, intake: 1, 'user:song-jia': 1 });
    expect(await t.bot.db.auditLog.count({ where: { action: 'incident.recovery_asked' } })).toBe(2);
    expect(t.sent().filter((m) => m.card?.buttons.some((b) => b.action === RECOVERY_ACTION))).toEqual([]);
  });

  it('resolves an outage only monitoring saw with the click alone: there is nobody to ask', async () => {
    t = await monitoredBot();
    await t.alert({ fingerprint: 'his-db', startsAt: -3 });
    const incident = await t.bot.db.incident.findFirstOrThrow();
    await t.advance(1);
    await resolve();
    const before = t.sent().length;
    await t.advance(5);
    const [question] = sentSince(t, before);
    expect(question!.card!.note).toBe(text('incident.recovery.noteNoReports'));
    // Unclaimed: any engineer may confirm it; nobody else.
    const button = buttonOf(question!, text('incident.recovery.button'));
    const reporter = await t.click(question!.id, 'zhang-li', button.action, button.value);
    expect(reporter.toast?.text).toBe(text('error.not_it_staff', { what: text('incident.what.resolve') }));
    const clicked = await t.click(question!.id, 'wang-wei', button.action, button.value);
    expect(clicked.toast?.text).toBe(text('incident.recovery.toast', { number: incident.number }));
    expect(await t.bot.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).toMatchObject({ status: 'resolved', assigneeId: 'wang-wei' });
    expect(sentSince(t, before)).toHaveLength(1);
    expect(perChat(t.sent())['intake']).toBeUndefined();
  });
});
