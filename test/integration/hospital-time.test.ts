import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../bot/calendar.js';
import { openDatabase } from '../../bot/db/client.js';
import { Directory } from '../../bot/org/directory.js';
import { loadOrgFile, parseOrg } from '../../bot/org/load.js';
import { Deadlines } from '../../bot/tickets/deadline.js';
import { localDate } from '../../bot/time.js';
import { API_TOKEN, createTestBot, type TestBot } from '../helpers/bot.js';
import { startChildBot } from '../helpers/child.js';
import { sampleOrgFile } from '../helpers/db.js';

// The host runs on UTC, as many servers do: the hospital keeps its own time.
const processZone = process.env.TZ;
process.env.TZ = 'UTC';
afterAll(() => {
  process.env.TZ = processZone;
});

const REPORT = '门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话8123';

describe('the hospital’s time zone, whatever the process’s', () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('numbers tickets and sets deadlines in Asia/Shanghai on a host set to UTC', async () => {
    expect(new Date('2026-11-23T00:00:00').toISOString()).toBe('2026-11-23T00:00:00.000Z');
    // Monday 01:00 in the hospital, still Sunday 17:00 in UTC.
    t = await createTestBot({}, undefined, new Date('2026-11-23T01:00:00+08:00'));
    await t.say('zhang-li', 'intake', REPORT);
    const ticket = (await t.bot.db.ticket.findFirst())!;
    expect(ticket.number).toBe('IT-20261123-0001');
    expect(ticket.priority).toBe('P3');
    // The next working day's end is Monday's (17:30 in the hospital), not Tuesday 01:30 as it would be in UTC.
    expect(ticket.resolveDueAt!.toISOString()).toBe('2026-11-23T09:30:00.000Z');
    expect((await t.bot.app.inject({ url: '/simulator/api/clock' })).json()).toMatchObject({ timeZone: 'Asia/Shanghai' });
  });

  it('takes the zone of the organisation file, and HOSPITAL_TZ over it', async () => {
    const tokyo = () => new Directory(parseOrg(readFileSync(sampleOrgFile, 'utf8').replace('timeZone: Asia/Shanghai', 'timeZone: Asia/Tokyo')));
    // 00:30 on Monday in Tokyo is 23:30 on Sunday in Shanghai.
    const at = new Date('2026-11-23T00:30:00+09:00');
    t = await createTestBot({}, tokyo(), at);
    await t.say('zhang-li', 'intake', REPORT);
    expect((await t.bot.db.ticket.findFirst())!.number).toBe('IT-20261123-0001');
    await t.close();
    t = await createTestBot({ HOSPITAL_TZ: 'Asia/Shanghai' }, tokyo(), at);
    await t.say('zhang-li', 'intake', REPORT);
    expect((await t.bot.db.ticket.findFirst())!.number).toBe('IT-20261122-0001');
  });
});

describe('the bot started on a host whose TZ is not the hospital’s', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-tz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const org = loadOrgFile(sampleOrgFile);
  const deadlines = (zone: string) => new Deadlines(new WorkCalendar(zone, org.hospital.workingHours, org.hospital.calendar), org.tickets);

  it.each(['UTC', 'UTC+8', 'CST-8'])(
    'keeps hospital time with TZ=%s: ticket numbers, deadlines, and no failing jobs',
    async (tz) => {
      const url = `file:${path.join(dir, `${tz}.db`)}`;
      const bot = await startChildBot({ TZ: tz, DATABASE_URL: url, DATA_DIR: dir, API_TOKEN, LOG_LEVEL: 'info' });
      try {
        const post = async (route: string, payload: object): Promise<any> => {
          const res = await fetch(`${bot.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
          expect(res.status, await res.clone().text()).toBe(200);
          return res.json();
        };
        // To the next 17:00 UTC, when the hospital's day (Asia/Shanghai) is already the next one.
        const now = new Date(((await (await fetch(`${bot.url}/simulator/api/clock`)).json()) as any).now);
        const target = new Date(now);
        target.setUTCHours(17, 0, 0, 0);
        if (target <= now) target.setUTCDate(target.getUTCDate() + 1);
        const clock = await post('/simulator/api/clock', { advanceMinutes: (target.getTime() - now.getTime()) / 60_000 });
        expect(clock.timeZone).toBe('Asia/Shanghai');
        expect((await post('/simulator/api/messages', { chatId: 'intake', userId: 'zhang-li', text: REPORT })).outcome).toBe('handled');
        const { tickets } = (await (await fetch(`${bot.url}/api/tickets`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).json()) as any;
        expect(tickets).toHaveLength(1);
        const created = new Date(tickets[0].createdAt);
        expect(tickets[0].number).toBe(`IT-${localDate(created, 'Asia/Shanghai').replaceAll('-', '')}-0001`);
        expect(localDate(created, 'Asia/Shanghai')).not.toBe(localDate(created, 'UTC'));
        expect(new Date(tickets[0].responseDueAt)).toEqual(deadlines('Asia/Shanghai').responseDue('P3', created));
        const errors = bot.logLines().filter((l) => typeof l.level === 'number' && l.level >= 50);
        expect(errors, bot.output()).toEqual([]);
        expect(bot.logLines().find((l) => l.timeZone)).toMatchObject({ timeZone: 'Asia/Shanghai' });
      } finally {
        expect(await bot.stop()).toBe(0);
      }
      const db = await openDatabase(url);
      try {
        const ticket = (await db.ticket.findFirst())!;
        expect(ticket.resolveDueAt).toEqual(deadlines('Asia/Shanghai').resolveDue('P3', ticket.createdAt));
        expect(ticket.resolveDueAt).not.toEqual(deadlines('UTC').resolveDue('P3', ticket.createdAt));
      } finally {
        await db.$disconnect();
      }
    },
    90_000,
  );
});
