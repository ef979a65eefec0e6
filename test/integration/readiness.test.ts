import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestBot, type TestBot } from '../helpers/bot.js';
import { testDatabaseKind } from '../helpers/db.js';
import { messageEvent, signedRequest } from '../helpers/feishu-events.js';
import { createFeishuTestBot } from '../helpers/feishu-bot.js';
import type { FeishuOpenApi } from '../helpers/feishu-openapi.js';
import { FEISHU_CHAT, OPEN_ID } from '../helpers/feishu-org.js';
import { sample } from '../helpers/prometheus.js';

const MINUTE = 60_000;

describe('GET /readyz and the same figures in /metrics', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const readyz = async () => {
    const res = await t.bot.app.inject({ url: '/readyz' });
    return { status: res.statusCode, body: res.json() };
  };
  const metrics = async () => (await t.bot.app.inject({ url: '/metrics' })).body;

  it('counts the rows waiting, the age of the oldest and the dead ones of a seeded outbox', async () => {
    t = await createTestBot({}, undefined, new Date('2026-11-23T10:00:00+08:00'));
    const now = t.clock.now().getTime();
    const row = (status: string, minutesAgo: number, chatId = 'intake') => ({
      platform: 'simulator',
      chatId,
      op: 'send',
      payload: { message: { type: 'text', text: `${status} ${minutesAgo}` } },
      status,
      createdAt: new Date(now - minutesAgo * MINUTE),
      nextAttemptAt: new Date(now + 60 * MINUTE),
    });
    await t.bot.db.outbox.createMany({
      data: [
        row('sent', 90),
        row('pending', 10),
        // Being sent by an instance that went away 7 minutes ago: its lock goes stale, the row is sent again.
        { ...row('sending', 7, 'engineers'), lockedBy: 'gone', lockedAt: new Date(now - 7 * MINUTE) },
        row('pending', 5),
        row('pending', 1),
        row('dead', 30),
        row('dead', 20),
        row('sent', 2),
      ],
    });

    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      reasons: [],
      database: { provider: testDatabaseKind === 'postgres' ? 'postgresql' : 'sqlite', writable: true },
      platforms: { simulator: { ready: true, state: 'local' } },
      outbox: { waiting: 4, dead: 2 },
      scheduler: { lagSeconds: expect.any(Number) },
    });
    expect(body.outbox.oldestWaitingAgeSeconds).toBeGreaterThanOrEqual(600);
    expect(body.outbox.oldestWaitingAgeSeconds).toBeLessThan(660);

    const text = await metrics();
    expect(sample(text, 'helpdesk_ready')).toBe(1);
    expect(sample(text, 'helpdesk_database_writable')).toBe(1);
    expect(sample(text, 'helpdesk_platform_up', { platform: 'simulator' })).toBe(1);
    expect(sample(text, 'helpdesk_outbox_pending')).toBe(4);
    expect(sample(text, 'helpdesk_outbox_dead')).toBe(2);
    expect(sample(text, 'helpdesk_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(600);
    expect(text).toMatch(/^helpdesk_scheduler_wake_lag_seconds \d/m);

    // Delivered, the backlog is gone; the dead rows stay counted until someone deals with them.
    t.clock.advance(61);
    await t.bot.outbox.drain();
    expect((await readyz()).body.outbox).toEqual({ waiting: 0, oldestWaitingAgeSeconds: 0, dead: 2 });
  });

  describe.skipIf(testDatabaseKind === 'postgres')('on SQLite', () => {
    const pages = async () => Number((await t.bot.db.$queryRawUnsafe<{ page_count: bigint }[]>('PRAGMA page_count'))[0]!.page_count);

    it('is not ready while the disk is full, and ready again once there is room; /healthz stays ok', async () => {
      t = await createTestBot();
      expect((await readyz()).status).toBe(200);
      await t.bot.db.$executeRawUnsafe(`PRAGMA max_page_count = ${await pages()}`);
      for (let i = 0; ; i++) {
        const filled = await t.bot.db.$executeRawUnsafe(`INSERT INTO "Sequence" ("key", "value") VALUES ('filler-${i}-${'x'.repeat(1000)}', 0)`).catch(() => 0);
        if (filled === 0) break;
      }
      const full = await readyz();
      expect(full.status).toBe(503);
      expect(full.body.status).toBe('unavailable');
      expect(full.body.database.writable).toBe(false);
      expect(full.body.reasons[0]).toMatch(/^database not writable: no room left/);
      expect(sample(await metrics(), 'helpdesk_database_writable')).toBe(0);
      expect(sample(await metrics(), 'helpdesk_ready')).toBe(0);
      // Liveness: the process is up, a restart would not make room.
      expect((await t.bot.app.inject({ url: '/healthz' })).statusCode).toBe(200);

      await t.bot.db.$executeRawUnsafe('PRAGMA max_page_count = 1073741823');
      const back = await readyz();
      expect(back.status).toBe(200);
      expect(back.body).toMatchObject({ status: 'ok', reasons: [], database: { writable: true } });
    });

    it('is not ready while another process holds the write lock, and ready again once it lets go', async () => {
      t = await createTestBot();
      const file = (await t.bot.db.$queryRawUnsafe<{ file: string }[]>('PRAGMA database_list'))[0]!.file;
      const other = new Database(file);
      try {
        other.exec('BEGIN IMMEDIATE');
        const locked = await readyz();
        expect(locked.status).toBe(503);
        expect(locked.body.reasons[0]).toMatch(/^database not writable/);
        // The figures are read all the same (readers do not wait for a writer).
        expect(locked.body.outbox).toEqual({ waiting: 0, oldestWaitingAgeSeconds: 0, dead: 0 });
        other.exec('COMMIT');
      } finally {
        other.close();
      }
      expect((await readyz()).status).toBe(200);
    });
  });
});

describe('a platform reached over HTTP', () => {
  let feishu: FeishuOpenApi;
  let t: TestBot;
  afterEach(async () => {
    await t.close();
    await feishu.close();
  });

  it('is not ready while its last Open API call got no answer, and ready again once one does', async () => {
    ({ feishu, t } = await createFeishuTestBot());
    const readyz = async () => {
      const res = await t.bot.app.inject({ url: '/readyz' });
      return { status: res.statusCode, body: res.json() };
    };
    expect((await readyz()).body.platforms.feishu).toMatchObject({ ready: true, state: 'reachable', mode: 'http' });

    // The network between the bot and Feishu fails: every call gets no answer at all.
    feishu.failUntil(Date.now() + 10 * MINUTE, { kind: 'drop' });
    const request = signedRequest(
      messageEvent({ from: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, text: '打印机卡纸，资产号PC-0231', mentionBot: feishu.botOpenId }),
    );
    expect((await t.bot.app.inject({ method: 'POST', url: '/feishu/events', headers: request.headers, payload: request.body })).statusCode).toBe(200);
    await t.bot.outbox.drain();
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body.platforms.feishu).toMatchObject({ ready: false, state: 'unreachable' });
    expect(down.body.reasons).toEqual([expect.stringMatching(/^feishu: unreachable/)]);
    expect(down.body.outbox.waiting).toBeGreaterThan(0);

    // The network is back; the outbox tries again (after its backoff) and Feishu answers: reachable, and nothing waits.
    feishu.failUntil(0);
    t.clock.advance(1);
    await t.bot.outbox.drain();
    const up = await readyz();
    expect(up.status).toBe(200);
    expect(up.body.platforms.feishu).toMatchObject({ ready: true, state: 'reachable' });
    expect(up.body.outbox.waiting).toBe(0);
  });
});
