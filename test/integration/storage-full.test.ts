import { afterEach, describe, expect, it } from 'vitest';
import { t as text } from '../../bot/i18n/zh.js';
import { buttonOf, createTestBot, type TestBot } from '../helpers/bot.js';

describe.skipIf(process.env.TEST_DB === 'postgres')('a full database', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const pages = async () => Number((await t.bot.db.$queryRawUnsafe<{ page_count: bigint }[]>('PRAGMA page_count'))[0]!.page_count);
  const post = (url: string, payload: object) => t.bot.app.inject({ method: 'POST', url, payload });
  const report = (userId: string, said: string) => post('/simulator/api/messages', { chatId: 'intake', userId, text: said });

  it('stores nothing, says so, and takes the same report once space is back, without a restart', async () => {
    t = await createTestBot({}, undefined, new Date('2026-11-23T10:00:00+08:00'));
    await t.say('zhang-li', 'intake', '门诊3楼212诊室打印机卡纸，资产号PC-0231，电话8123');
    const card = await t.card('engineers', '新报修');
    const before = { tickets: await t.bot.db.ticket.count(), deliveries: await t.bot.db.inboundEvent.count() };

    // No page left to grow into: the bot's own connection stops taking writes.
    await t.bot.db.$executeRawUnsafe(`PRAGMA max_page_count = ${await pages()}`);
    for (let i = 0; ; i++) {
      const filled = await t.bot.db.$executeRawUnsafe(`INSERT INTO "Sequence" ("key", "value") VALUES ('filler-${i}-${'x'.repeat(1000)}', 0)`).catch(() => 0);
      if (filled === 0) break;
    }
    const long = `住院部5楼护士站电脑蓝屏，重启也不行，${'病人在等，'.repeat(300)}电话8234`;
    const refused = await report('li-na', long);
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ outcome: 'retry' });
    // A click is answered at once, asking to click again; nothing changes.
    const click = await post('/simulator/api/actions', { messageId: card.id, userId: 'wang-wei', action: 'ticket.claim', value: buttonOf(card, '认领').value });
    expect(click.json()).toMatchObject({ outcome: 'retry', toast: { type: 'error', text: text('error.storage_busy') } });
    expect((await t.bot.app.inject({ url: '/readyz' })).statusCode).toBe(503);
    expect(await t.bot.db.ticket.count()).toBe(before.tickets);
    expect(await t.bot.db.inboundEvent.count()).toBe(before.deliveries);
    expect((await t.bot.db.ticket.findFirstOrThrow()).status).toBe('open');

    // Space is back: the same report and click land, once, and health says so.
    await t.bot.db.$executeRawUnsafe('PRAGMA max_page_count = 1073741823');
    expect((await report('li-na', long)).statusCode).toBe(200);
    expect((await t.bot.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    await t.click(card.id, 'wang-wei', 'ticket.claim', buttonOf(card, '认领').value);
    expect(await t.bot.db.ticket.count()).toBe(before.tickets + 1);
    expect((await t.bot.db.ticket.findFirstOrThrow({ orderBy: { id: 'asc' } })).status).toBe('claimed');
  });

  it('keeps a report with a broken character instead of dropping it', async () => {
    t = await createTestBot({}, undefined, new Date('2026-11-23T10:00:00+08:00'));
    const answer = await report('zhang-li', '门诊3楼212诊室打印机卡纸\ud800，资产号PC-0231，电话8123');
    expect(answer.statusCode).toBe(200);
    const ticket = await t.bot.db.ticket.findFirstOrThrow();
    expect(ticket.description).toContain('打印机卡纸\ufffd');
    expect(ticket.assetNumber).toBe('PC-0231');
  });
});
