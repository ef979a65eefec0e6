import { afterEach, describe, expect, it } from 'vitest';
import type { SimMessage } from '../../adapters/simulator/transcript.js';
import { buildBot, type Bot } from '../../bot/app.js';
import { AdjustableClock } from '../../bot/clock.js';
import { loadConfig } from '../../bot/config.js';
import { freshDatabase, type TestDatabase } from '../helpers/db.js';

/**
 * The simulator keeps its chats in memory and the bot keeps message ids in the database (events
 * already handled, the cards to update): after a restart over the same database, the ids must not
 * come round again.
 */
describe('the simulator after a restart over the same database', () => {
  let database: TestDatabase;
  const bots: Bot[] = [];
  afterEach(async () => {
    for (const bot of bots.splice(0)) await bot.stop();
    await database?.drop();
  });

  async function start(): Promise<Bot> {
    const config = loadConfig({ DATABASE_URL: database.url, DATA_DIR: database.dir, SIMULATOR: 'on' });
    // Both runs start their clock at the same moment, as a restarted simulator would be set.
    const bot = buildBot({
      config,
      db: database.db,
      directory: database.directory,
      clock: new AdjustableClock(new Date('2026-11-23T09:00:00+08:00')),
      logger: false,
    });
    await bot.app.ready();
    bots.push(bot);
    return bot;
  }
  const say = async (bot: Bot, userId: string, chatId: string, text: string) =>
    (await bot.app.inject({ method: 'POST', url: '/simulator/api/messages', payload: { chatId, userId, text } })).json();
  const transcript = async (bot: Bot, chatId: string) => (await bot.app.inject({ url: `/simulator/api/chats/${chatId}/messages` })).json() as SimMessage[];

  it('takes the first report after a restart as a new ticket, and a claim of an old ticket rewrites nothing of the new run', async () => {
    database = await freshDatabase();
    const before = await start();
    const first = await say(before, 'zhang-li', 'intake', '门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话8123');
    expect(first.outcome).not.toBe('duplicate');
    const old = (await database.db.ticket.findFirstOrThrow()).number;
    const oldIds = [...(await transcript(before, 'intake')), ...(await transcript(before, 'engineers'))].map((m) => m.id);
    await before.stop();
    bots.splice(0);

    const after = await start();
    const report = await say(after, 'li-na', 'intake', '急诊2楼抢救室电脑蓝屏了，开不了机，资产号PC-1102，电话8201');
    expect(report.outcome).not.toBe('duplicate');
    expect(oldIds).not.toContain(report.messageId);
    const tickets = await database.db.ticket.findMany({ orderBy: { id: 'asc' } });
    expect(tickets).toHaveLength(2);
    const fresh = tickets[1]!.number;

    const shown = async () => [...(await transcript(after, 'intake')), ...(await transcript(after, 'engineers'))];
    const newRun = await shown();
    expect(newRun.map((m) => m.id).filter((id) => oldIds.includes(id))).toEqual([]);
    await say(after, 'wang-wei', 'engineers', `认领 ${old}`);
    expect((await database.db.ticket.findUniqueOrThrow({ where: { number: old } })).status).toBe('claimed');
    // The cards of the new run still show the new ticket; the old ticket's cards were in the chats that are gone.
    const now = await shown();
    for (const message of newRun) {
      const same = now.find((m) => m.id === message.id)!;
      expect(same.card?.title ?? same.text, message.id).toBe(message.card?.title ?? message.text);
    }
    expect(now.filter((m) => m.card?.title.includes(old))).toEqual([]);
    expect(newRun.some((m) => m.card?.title.includes(fresh))).toBe(true);
  });
});
