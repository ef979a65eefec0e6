import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { openDatabase } from '../../bot/db/client.js';
import { groupAlive, killAll, killGroup, startBotProcess } from '../helpers/bot-process.js';
import { sampleOrgFile } from '../helpers/db.js';
import { feishuEnv, messageEvent, signedRequest } from '../helpers/feishu-events.js';
import { FeishuOpenApi } from '../helpers/feishu-openapi.js';

const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-kill-'));
const dbUrl = `file:${path.join(dir, 'bot.db')}`;
const WARDS = 20;
const REPORTS = 160;

/**
 * The sample hospital on Feishu: every reporter with an open_id and twenty ward groups taking
 * reports. The engineers' and leadership groups stay in the simulator, so the storm's Feishu
 * traffic spreads over many chats (Feishu allows 5 messages a second per chat).
 */
function orgFile(): string {
  const org = parse(readFileSync(sampleOrgFile, 'utf8'));
  for (const person of org.people) if (person.department !== 'it') person.ids = { feishu: { open_id: `ou_${person.id}` } };
  org.chats.push(
    ...Array.from({ length: WARDS }, (_, i) => ({ id: `ward-${i + 1}`, name: `${i + 1}病区报修群`, purpose: 'intake', ids: { feishu: `oc_ward_${i + 1}` } })),
  );
  // Every report is its own ticket (no incident absorbs them), so tickets can be counted per report.
  org.incidents = { ...(org.incidents ?? {}), minReports: 100_000 };
  const file = path.join(dir, 'org.yaml');
  writeFileSync(file, stringify(org));
  return file;
}

afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the bot as `npm start` does, on this test's database. */
const startBot = (env: Record<string, string>) => startBotProcess({ DATABASE_URL: dbUrl, DATA_DIR: dir, ...env });

describe('SIGKILL mid-storm', () => {
  it('keeps every acknowledged report as exactly one ticket and delivers every queued message after a restart', async () => {
    const feishu = new FeishuOpenApi();
    await feishu.start();
    const env = {
      ORG_FILE: orgFile(),
      SIMULATOR: 'on',
      LOG_LEVEL: 'info',
      ...feishuEnv(feishu.url),
    };
    const org = parse(readFileSync(env.ORG_FILE, 'utf8'));
    const reporters: string[] = org.people.filter((p: { department: string }) => p.department !== 'it').map((p: { id: string }) => `ou_${p.id}`);
    const reports = Array.from({ length: REPORTS }, (_, i) =>
      messageEvent({
        from: reporters[i % reporters.length]!,
        chatId: `oc_ward_${(i % WARDS) + 1}`,
        text: `门诊${(i % 5) + 1}楼${200 + i}诊室打印机卡纸，打不出处方，资产号PC-${1000 + i}，电话8${String(i).padStart(3, '0')}`,
        mentionBot: feishu.botOpenId,
      }),
    );
    const deliver = async (url: string, event: ReturnType<typeof messageEvent>) => {
      const request = signedRequest({ ...event, header: { ...event.header, event_id: `${event.header.event_id}-${Date.now()}` } });
      try {
        const res = await fetch(`${url}/feishu/events`, { method: 'POST', headers: request.headers, body: request.body });
        return res.ok;
      } catch {
        return false;
      }
    };

    // The storm: 160 reports from 18 people in 20 groups, 40 at a time; SIGKILL once 60 are acknowledged.
    let bot = await startBot(env);
    const acked = new Set<number>();
    let next = 0;
    let killed = false;
    const sender = async () => {
      while (next < reports.length && !killed) {
        const i = next++;
        if (await deliver(bot.url, reports[i]!)) acked.add(i);
        if (acked.size >= 60 && !killed) {
          killed = true;
          killGroup(bot.child);
        }
      }
    };
    await Promise.all(Array.from({ length: 40 }, sender));
    await bot.exited;
    await expect.poll(() => groupAlive(bot.child), { timeout: 5000 }).toBe(false);

    // What the killed process left: rows mid-send are the only ones that can go out twice.
    let db = await openDatabase(dbUrl);
    const inFlight = await db.outbox.count({ where: { platform: 'feishu', status: 'sending' } });
    const pendingAtKill = await db.outbox.count({ where: { status: { in: ['pending', 'sending'] } } });
    const ticketsAtKill = await db.ticket.findMany({ select: { sourceMessageId: true } });
    const atKill = new Set(ticketsAtKill.map((t) => t.sourceMessageId));
    for (const i of acked) expect(atKill.has(reports[i]!.event.message.message_id), `acknowledged report ${i}`).toBe(true);
    expect(atKill.size).toBe(ticketsAtKill.length);

    // Restart on the same database; Feishu delivers again what it saw no answer to, and some of
    // what it did (a retry after a lost answer).
    await db.$disconnect(); // the restart migrates the database first
    bot = await startBot(env);
    db = await openDatabase(dbUrl);
    const retries = reports.map((_, i) => i).filter((i) => !acked.has(i) || i % 10 === 0);
    const again = [...retries];
    const resender = async () => {
      for (let i = again.shift(); i !== undefined; i = again.shift()) {
        const ok = await deliver(bot.url, reports[i]!);
        expect(ok, `report ${i} after the restart`).toBe(true);
      }
    };
    await Promise.all(Array.from({ length: 20 }, resender));
    // Two minutes on: rows the dead process held mid-send are taken back and sent.
    const clock = await fetch(`${bot.url}/simulator/api/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMinutes: 2 }),
    });
    expect(clock.status).toBe(200);
    await expect.poll(() => db.outbox.count({ where: { status: { not: 'sent' } } }), { timeout: 20_000, interval: 200 }).toBe(0);

    // Every report is exactly one ticket.
    const tickets = await db.ticket.findMany({ select: { number: true, sourceMessageId: true, sourceChatId: true } });
    expect(tickets).toHaveLength(REPORTS);
    expect(new Set(tickets.map((t) => t.sourceMessageId)).size).toBe(REPORTS);
    expect(new Set(tickets.map((t) => t.number)).size).toBe(REPORTS);

    // Every ticket's card reached its group, once. A row mid-send at the kill is sent again after the
    // restart (at most one repeat per such row), with the same uuid, so Feishu shows it once.
    const cardsOf = new Map<string, number>();
    for (const m of feishu.sent) {
      const number = /IT-\d{8}-\d{4}/.exec(m.content?.header?.title?.content ?? '')?.[0];
      if (number) cardsOf.set(`${m.chatId} ${number}`, (cardsOf.get(`${m.chatId} ${number}`) ?? 0) + 1);
    }
    for (const t of tickets) expect(cardsOf.get(`${t.sourceChatId} ${t.number}`), t.number).toBeGreaterThanOrEqual(1);
    const duplicateCards = [...cardsOf.values()].reduce((sum, n) => sum + n - 1, 0);
    const feishuSends = await db.outbox.count({ where: { platform: 'feishu', op: 'send' } });
    const duplicates = feishu.sent.length - feishuSends;
    const repeats =
      feishu.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/open-apis/im/v1/messages') && r.outcome === 'ok').length - feishuSends;
    expect(duplicateCards).toBe(0);
    expect(duplicates).toBe(0);
    expect(repeats).toBeLessThanOrEqual(inFlight);
    console.info(
      `acked ${acked.size} before the kill, ${ticketsAtKill.length} tickets committed, ${pendingAtKill} rows pending (${inFlight} mid-send on Feishu); after the restart ${tickets.length} tickets, ${feishu.sent.length} Feishu messages for ${feishuSends} rows: ${repeats} sent again, ${duplicates} shown twice`,
    );

    await db.$disconnect();
    killGroup(bot.child);
    await bot.exited;
    await feishu.close();
  }, 120_000);
});
