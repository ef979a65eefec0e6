import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { openDatabase } from '../../bot/db/client.js';
import { killAll, startBotProcess } from '../helpers/bot-process.js';
import { sampleOrgFile } from '../helpers/db.js';
import { feishuEnv, messageEvent, signedRequest } from '../helpers/feishu-events.js';
import { FeishuOpenApi } from '../helpers/feishu-openapi.js';

const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-fault-'));
const file = path.join(dir, 'bot.db');

afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

/** The sample hospital with its reporters and its intake group on Feishu; every report its own ticket. */
function orgFile(): string {
  const org = parse(readFileSync(sampleOrgFile, 'utf8'));
  for (const person of org.people) if (person.department !== 'it') person.ids = { feishu: { open_id: `ou_${person.id}` } };
  org.chats.find((c: { purpose: string }) => c.purpose === 'intake').ids = { feishu: 'oc_intake' };
  org.incidents = { ...(org.incidents ?? {}), minReports: 100_000 };
  const out = path.join(dir, 'org.yaml');
  writeFileSync(out, stringify(org));
  return out;
}

describe.skipIf(process.env.TEST_DB === 'postgres')('the database locked from outside while reports arrive', () => {
  it('answers every report with its ticket or a 5xx, lands the redelivered ones once, and serves new ones without a restart', async () => {
    const feishu = new FeishuOpenApi();
    await feishu.start();
    const bot = await startBotProcess({ ORG_FILE: orgFile(), DATABASE_URL: `file:${file}`, DATA_DIR: dir, LOG_LEVEL: 'info', ...feishuEnv(feishu.url) });
    const report = (i: number) =>
      messageEvent({
        from: 'ou_zhang-li',
        chatId: 'oc_intake',
        text: `门诊3楼${210 + i}诊室打印机卡纸，资产号PC-0${300 + i}，电话812${i}`,
        mentionBot: feishu.botOpenId,
      });
    const deliver = async (event: ReturnType<typeof messageEvent>) => {
      const request = signedRequest(event);
      return (await fetch(`${bot.url}/feishu/events`, { method: 'POST', headers: request.headers, body: request.body })).status;
    };
    const readyz = async () => (await fetch(`${bot.url}/readyz`)).status;
    const healthz = async () => (await fetch(`${bot.url}/healthz`)).status;
    const db = await openDatabase(`file:${file}`);
    const ticketOf = async (event: ReturnType<typeof messageEvent>) => db.ticket.count({ where: { sourceMessageId: event.event.message.message_id } });
    expect(await readyz()).toBe(200);

    // A backup tool (another process) holds the write lock for 12 s while three people report.
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const events = [0, 1, 2].map(report);
    const answers = Promise.all(events.map(deliver));
    await new Promise((r) => setTimeout(r, 500));
    expect(await readyz()).toBe(503);
    // Alive all the same: a restart would not release the lock.
    expect(await healthz()).toBe(200);
    await new Promise((r) => setTimeout(r, 11_500));
    other.exec('COMMIT');
    other.close();
    const statuses = await answers;
    for (const [i, status] of statuses.entries()) {
      expect([200, 503], `report ${i}`).toContain(status);
      // Acknowledged means stored; refused means nothing stored, not even the dedup key.
      expect(await ticketOf(events[i]!), `report ${i}`).toBe(status === 200 ? 1 : 0);
    }
    expect(statuses).toContain(503);
    expect(await db.inboundEvent.count()).toBe(statuses.filter((s) => s === 200).length);

    // The lock gone: Feishu delivers again what was refused (and, once, something it had): each lands once.
    for (const [i, event] of events.entries()) expect(await deliver(event), `report ${i} again`).toBe(200);
    for (const event of events) expect(await ticketOf(event)).toBe(1);
    const fresh = report(3);
    expect(await deliver(fresh)).toBe(200);
    expect(await ticketOf(fresh)).toBe(1);
    expect(await readyz()).toBe(200);
    expect(await db.ticket.count()).toBe(4);

    // Stopping never hangs on work waiting for the lock: SIGTERM with a report stuck behind it.
    const lock = new Database(file);
    lock.exec('BEGIN IMMEDIATE');
    const stuck = deliver(report(4)).catch(() => 0);
    await new Promise((r) => setTimeout(r, 300));
    const stopping = Date.now();
    process.kill(-bot.child.pid!, 'SIGTERM');
    await bot.exited;
    expect(Date.now() - stopping).toBeLessThan(12_000);
    lock.exec('ROLLBACK');
    lock.close();
    expect([0, 503]).toContain(await stuck);
    await db.$disconnect();
    await feishu.close();
  }, 60_000);
});
