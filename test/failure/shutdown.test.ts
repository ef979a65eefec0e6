import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { openDatabase } from '../../bot/db/client.js';
import { startChildBot, type ChildBot } from '../helpers/child.js';
import { sampleOrgFile } from '../helpers/db.js';
import { feishuEnv, messageEvent, signedRequest } from '../helpers/feishu-events.js';
import { FeishuOpenApi } from '../helpers/feishu-openapi.js';
import { FEISHU_CHAT, OPEN_ID } from '../helpers/feishu-org.js';

const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The sample hospital with its people and chats on Feishu. */
function orgFile(): string {
  const org = parse(readFileSync(sampleOrgFile, 'utf8'));
  for (const person of org.people) {
    const openId = OPEN_ID[person.id as keyof typeof OPEN_ID];
    if (openId) person.ids = { feishu: { open_id: openId } };
  }
  for (const chat of org.chats) chat.ids = { feishu: FEISHU_CHAT[chat.id as keyof typeof FEISHU_CHAT] };
  const out = path.join(dir, 'org.yaml');
  writeFileSync(out, stringify(org));
  return out;
}

/** Waits (10 s at most) for `check`, asked every 50 ms. */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > 10_000) throw new Error('waited 10 s in vain');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(process.env.TEST_DB === 'postgres')('SIGTERM', () => {
  let feishu: FeishuOpenApi;
  let bot: ChildBot | undefined;
  afterEach(async () => {
    if (bot?.child.exitCode === null) bot.child.kill('SIGKILL');
    bot = undefined;
    await feishu.close();
  });

  async function start(name: string, env: Record<string, string> = {}) {
    feishu = new FeishuOpenApi();
    await feishu.start();
    const file = path.join(dir, `${name}.db`);
    bot = await startChildBot({ ORG_FILE: orgFile(), DATABASE_URL: `file:${file}`, DATA_DIR: dir, LOG_LEVEL: 'info', ...feishuEnv(feishu.url), ...env });
    await until(() => bot!.logLines().some((l) => l.msg === 'start-up work done'));
    return file;
  }

  it('stops at once when nothing runs, closing the database, with exit code 0', async () => {
    await start('clean', { SHUTDOWN_TIMEOUT_MS: '5000', API_TOKEN: '0123456789abcdef' });
    // The warning at start: one line naming the setting.
    expect(bot!.logLines().filter((l) => l.setting === 'API_TOKEN')).toEqual([
      expect.objectContaining({ level: 40, msg: expect.stringMatching(/^API_TOKEN is only 16 characters/) }),
    ]);
    const stopping = Date.now();
    expect(await bot!.stop()).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(3_000);
    expect(bot!.logLines().map((l) => l.msg)).toContain('shutting down');
  });

  it('does not stay alive past SHUTDOWN_TIMEOUT_MS for a send that hangs, and keeps its message in the outbox', async () => {
    const file = await start('hung', { SHUTDOWN_TIMEOUT_MS: '2000' });
    // From now on Feishu takes every request and never answers it.
    feishu.failUntil(Date.now() + 120_000, { kind: 'stall', ms: 120_000 });
    const report = signedRequest(
      messageEvent({
        from: OPEN_ID['zhang-li'],
        chatId: FEISHU_CHAT.intake,
        text: '门诊3楼212诊室打印机卡纸，资产号PC-0231，电话8123',
        mentionBot: feishu.botOpenId,
      }),
    );
    const reported = new Date();
    const answer = await fetch(`${bot!.url}/feishu/events`, { method: 'POST', headers: report.headers, body: report.body });
    expect(answer.status).toBe(200);
    await until(() => feishu.requests.some((r) => r.outcome === 'stall'));

    const stopping = Date.now();
    const code = await bot!.stop();
    const took = Date.now() - stopping;
    expect(took).toBeLessThan(2_000 + 1_000);
    expect(code).not.toBe(0);
    expect(bot!.logLines().map((l) => l.msg)).toContain('stopped with work still running; the outbox keeps what is unsent');

    // Nothing of the report is lost: its messages wait in the outbox for the next start.
    const db = await openDatabase(`file:${file}`);
    try {
      expect(await db.ticket.count()).toBe(1);
      const rows = await db.outbox.findMany({ where: { createdAt: { gte: reported } } });
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.status).filter((s) => s !== 'pending' && s !== 'sending')).toEqual([]);
    } finally {
      await db.$disconnect();
    }
  });
});
