import { afterEach, describe, expect, it } from 'vitest';
import { buildBot, type Bot } from '../../bot/app.js';
import { AdjustableClock } from '../../bot/clock.js';
import { loadConfig, type Config } from '../../bot/config.js';
import { openDatabase, type Db } from '../../bot/db/client.js';
import { Directory } from '../../bot/org/directory.js';
import { freshDatabase, type TestDatabase } from '../helpers/db.js';
import { cardAction, feishuEnv, messageEvent, signedRequest } from '../helpers/feishu-events.js';
import { FeishuOpenApi } from '../helpers/feishu-openapi.js';
import { feishuDirectory, FEISHU_CHAT, OPEN_ID } from '../helpers/feishu-org.js';
import { testPgUrl } from '../helpers/pg.js';

/**
 * Several bot instances behind a load balancer, sharing one PostgreSQL database and one Feishu
 * app: each instance is a whole app with its own connection pool, outbox worker and scheduler.
 */
describe.skipIf(!testPgUrl)('two bot instances on one PostgreSQL database', () => {
  const REPORTS = [
    '门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话8123',
    '住院部5楼护士站电脑蓝屏了，开不了机，资产号PC-1102，电话8345',
    '放射科PACS看不了片子，一直转圈，电话8456',
    '药房扫码枪扫不出来，资产号SC-0012，电话8567',
    '检验科LIS打印条码乱码，电话8678',
    '财务科网络断了，电话8789',
  ];
  let feishu: FeishuOpenApi;
  let database: TestDatabase;
  let second: Db;
  let clock: AdjustableClock;
  let a: Bot;
  let b: Bot;
  let config: Config;

  async function boot(startAt = new Date('2026-11-24T02:00:00Z'), directory = feishuDirectory()) {
    feishu = new FeishuOpenApi();
    await feishu.start();
    database = await freshDatabase(directory, 'postgres');
    second = await openDatabase(database.url);
    clock = new AdjustableClock(startAt);
    config = loadConfig({
      DATABASE_URL: database.url,
      DATA_DIR: database.dir,
      SIMULATOR: 'off',
      ...feishuEnv(feishu.url),
    });
    a = buildBot({ config, db: database.db, directory, clock, logger: false });
    b = buildBot({ config, db: second, directory, clock, logger: false });
    await Promise.all([a.app.ready(), b.app.ready()]);
  }

  afterEach(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await second?.$disconnect();
    await database?.drop();
    await feishu?.close();
  });

  const post = (bot: Bot, request: { body: string; headers: Record<string, string> }) =>
    bot.app.inject({ method: 'POST', url: '/feishu/events', headers: request.headers, payload: request.body });
  const report = (bot: Bot, text: string, messageId?: string) =>
    post(bot, signedRequest(messageEvent({ from: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, text, mentionBot: feishu.botOpenId, messageId })));
  const drainBoth = async () => {
    // Both workers at once, and again until neither finds anything: every row goes out exactly once.
    while ((await Promise.all([a.outbox.drain(), b.outbox.drain()])).some((n) => n > 0));
  };

  it('sees a group bound or unbound from chat on one instance at once on the other', async () => {
    const { org } = feishuDirectory();
    org.people.find((p) => p.id === 'huang-jun')!.ids = { feishu: { open_id: 'ou_huangjun' } };
    await boot(undefined, new Directory(org));
    const say = (bot: Bot, from: string, text: string) =>
      post(bot, signedRequest(messageEvent({ from, chatId: 'oc_ward', text, mentionBot: feishu.botOpenId })));
    await say(b, OPEN_ID['zhang-li'], REPORTS[0]!);
    expect(await database.db.ticket.count()).toBe(0);
    await say(a, 'ou_huangjun', '绑定 报修群');
    await say(b, OPEN_ID['zhang-li'], REPORTS[1]!);
    expect(await database.db.ticket.findFirstOrThrow()).toMatchObject({ sourceChatId: 'oc_ward' });
    await say(b, 'ou_huangjun', '解绑');
    await say(a, OPEN_ID['zhang-li'], REPORTS[2]!);
    expect(await database.db.ticket.count()).toBe(1);
  });

  it('handles an event once when it reaches both instances at once: the same tickets as one instance makes', async () => {
    await boot();
    const events = REPORTS.map((text, i) =>
      signedRequest(messageEvent({ from: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, text, mentionBot: feishu.botOpenId, messageId: `om_twice_${i}` })),
    );
    for (const event of events) {
      const answers = await Promise.all([post(a, event), post(b, event)]);
      expect(answers.map((r) => r.statusCode)).toEqual([200, 200]);
    }
    expect(await database.db.inboundEvent.count()).toBe(REPORTS.length);
    const tickets = (db: Db) => db.ticket.findMany({ orderBy: { number: 'asc' }, select: { number: true, description: true, priority: true } });
    const both = await tickets(database.db);
    expect(new Set(both.map((t) => t.number)).size).toBe(both.length);

    // Each event once, to one instance on a database of its own.
    const alone = await freshDatabase(feishuDirectory(), 'postgres');
    const single = buildBot({ config, db: alone.db, directory: feishuDirectory(), clock, logger: false });
    try {
      for (const event of events) expect((await post(single, event)).statusCode).toBe(200);
      expect(both).toEqual(await tickets(alone.db));
      expect(both.length).toBeGreaterThanOrEqual(4);
    } finally {
      await single.stop();
      await alone.drop();
    }
  });

  it('lets one of two engineers claiming at once on different instances win, and tells the other', async () => {
    await boot();
    expect((await report(a, REPORTS[0]!)).statusCode).toBe(200);
    await drainBoth();
    const [dispatch] = feishu.cardsIn(FEISHU_CHAT.engineers);
    const value = dispatch!.content.body.elements.at(-1).columns[0].elements[0].behaviors[0].value;
    const click = (bot: Bot, engineer: 'wang-wei' | 'qian-bo') =>
      post(bot, signedRequest(cardAction({ operator: OPEN_ID[engineer], chatId: FEISHU_CHAT.engineers, messageId: dispatch!.id, value })));
    const [wang, qian] = (await Promise.all([click(a, 'wang-wei'), click(b, 'qian-bo')])).map((r) => r.json());
    const toasts = [wang.toast, qian.toast];
    const winners = toasts.filter((t) => t.type === 'success');
    const losers = toasts.filter((t) => t.type !== 'success');
    expect(winners).toHaveLength(1);
    expect(winners[0].content).toMatch(/^已认领 IT-/);
    expect(losers).toHaveLength(1);
    expect(losers[0].content).toMatch(/已被(王工|钱工)认领|已由(王工|钱工)认领|(王工|钱工).*认领/);
    const ticket = await database.db.ticket.findFirstOrThrow();
    expect(ticket.status).toBe('claimed');
    expect(await database.db.ticketEvent.count({ where: { type: 'claimed' } })).toBe(1);
  });

  it('sends every outbox row once, in order per chat, with both workers draining', async () => {
    await boot();
    const answers = await Promise.all(REPORTS.map((text, i) => report(i % 2 ? a : b, text)));
    expect(answers.map((r) => r.statusCode)).toEqual(REPORTS.map(() => 200));
    const queued = await database.db.outbox.count({ where: { op: 'send' } });
    expect(queued).toBeGreaterThanOrEqual(REPORTS.length * 2);
    await drainBoth();
    expect(await database.db.outbox.count({ where: { status: { not: 'sent' } } })).toBe(0);
    expect(feishu.sent).toHaveLength(queued);
    // One reply card per ticket in the intake group, in the order the tickets were numbered.
    const tickets = await database.db.ticket.findMany({ orderBy: { id: 'asc' }, select: { number: true } });
    const intakeTitles = feishu.cardsIn(FEISHU_CHAT.intake).map((m) => m.content.header.title.content as string);
    expect(intakeTitles.map((t) => t.match(/IT-\d{8}-\d{4}/)![0])).toEqual(tickets.map((t) => t.number));
  });

  it('runs every scheduled fire once', async () => {
    // 2026-11-24 07:00 in Shanghai; a day later every daily job (roster post, handovers, digests, reminders) is due.
    await boot(new Date('2026-11-23T23:00:00Z'));
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    expect(await database.db.jobState.count()).toBeGreaterThan(3);
    clock.advance(24 * 60);
    await Promise.all([a.scheduler.tick(), b.scheduler.tick(), a.scheduler.tick(), b.scheduler.tick()]);
    const fires = await database.db.scheduledFire.findMany({ where: { outcome: 'ran' } });
    expect(fires.length).toBeGreaterThan(3);
    expect(new Set(fires.map((f) => f.claimedBy)).size).toBeGreaterThanOrEqual(1);

    // The same day on one instance, on a database of its own, queues exactly the same messages.
    const alone = await freshDatabase(feishuDirectory(), 'postgres');
    try {
      const singleClock = new AdjustableClock(new Date('2026-11-23T23:00:00Z'));
      const single = buildBot({
        config: loadConfig({ DATABASE_URL: alone.url, DATA_DIR: alone.dir, SIMULATOR: 'off' }),
        db: alone.db,
        directory: feishuDirectory(),
        clock: singleClock,
        logger: false,
      });
      await single.scheduler.tick();
      singleClock.advance(24 * 60);
      await single.scheduler.tick();
      const texts = async (db: Db) =>
        (await db.outbox.findMany({ where: { op: 'send' }, select: { chatId: true, payload: true } }))
          .map((r) => `${r.chatId} ${JSON.stringify(r.payload).replace(/"(at|createdAt|id)":[^,}]*/g, '')}`)
          .sort();
      const once = await texts(alone.db);
      expect(once.length).toBeGreaterThan(0);
      expect(await texts(database.db)).toEqual(once);
      expect(await database.db.scheduledFire.count()).toBe(await alone.db.scheduledFire.count());
      await single.stop();
    } finally {
      await alone.drop();
    }
  });
});
