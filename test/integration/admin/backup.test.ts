import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { t as text } from '../../../bot/i18n/zh.js';
import { admin } from '../../helpers/admin.js';
import { startChildBot, type ChildBot } from '../../helpers/child.js';
import { sampleDirectory } from '../../helpers/db.js';

const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-backup-'));
const live = path.join(dir, 'bot.db');
const backup = path.join(dir, 'backups', 'helpdesk-2026-11-23.db');
let bot: ChildBot | undefined;
afterAll(async () => {
  await bot?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const assetsIn = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return new Set(db.prepare('SELECT "assetNumber" FROM "Ticket"').pluck().all() as string[]);
  } finally {
    db.close();
  }
};

describe('helpdesk backup and restore (SQLite)', () => {
  it('backs up while the bot takes reports, and restores every report acknowledged before the backup began', async () => {
    bot = await startChildBot({ DATABASE_URL: `file:${live}`, DATA_DIR: dir, SIMULATOR: 'on' });
    const reporters = sampleDirectory()
      .allPeople()
      .filter((p) => p.department !== 'it')
      .map((p) => p.id);
    // Reports keep arriving, four at a time; each one answered is committed.
    const acked: { asset: string; at: number }[] = [];
    let next = 0;
    let stop = false;
    const report = async (url: string) => {
      const i = next++;
      const asset = `PC-${1000 + i}`;
      const res = await fetch(`${url}/simulator/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          chatId: 'intake',
          userId: reporters[i % reporters.length],
          text: `门诊${(i % 5) + 1}楼${200 + i}诊室打印机卡纸，打不出处方，资产号${asset}`,
        }),
      });
      if (res.ok && ((await res.json()) as { outcome: string }).outcome === 'handled') acked.push({ asset, at: performance.now() });
      return res.ok;
    };
    const senders = Array.from({ length: 4 }, async () => {
      while (!stop) await report(bot!.url);
    });
    await expect.poll(() => acked.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(20);

    const started = performance.now();
    const run = await admin(['backup', backup], { DATABASE_URL: `file:${live}` });
    const ended = performance.now();
    // The bot went on taking reports meanwhile and after.
    await expect.poll(() => acked.filter((a) => a.at > ended).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
    stop = true;
    await Promise.all(senders);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out[0]).toMatch(
      new RegExp(`^已备份到 ${backup.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}（\\d+ KB，\\d+ 张工单，最新迁移 \\d+_\\w+，用时 [\\d.]+ 秒）。$`),
    );
    // One self-contained file: no write-ahead log beside it.
    expect(readdirSync(path.dirname(backup))).toEqual([path.basename(backup)]);

    const restored = path.join(dir, 'restored', 'bot.db');
    const restore = await admin(['restore', backup, '--to', restored]);
    expect(restore.err).toEqual([]);
    expect(restore.code).toBe(0);
    const before = acked.filter((a) => a.at < started).map((a) => a.asset);
    const inRestored = assetsIn(restored);
    for (const asset of before) expect(inRestored.has(asset), asset).toBe(true);
    // A copy of one moment: what came after it is not in it.
    expect(inRestored.size).toBeLessThan(acked.length);
    expect(restore.out).toHaveLength(1);
    expect(restore.out[0]).toContain(`（${inRestored.size} 张工单，`);

    // The live database is never overwritten while the bot holds it, --force or not.
    const refused = await admin(['restore', backup], { DATABASE_URL: `file:${live}` });
    expect(refused.err).toEqual([text('admin.failed', { reason: text('admin.restore.exists', { target: live }) })]);
    const held = await admin(['restore', backup, '--force'], { DATABASE_URL: `file:${live}` });
    expect(held.code).toBe(1);
    expect(held.err).toEqual([text('admin.failed', { reason: text('admin.restore.held', { target: live }) })]);
    expect(await report(bot.url)).toBe(true);
    const all = acked.map((a) => a.asset);
    expect([...assetsIn(live)].sort()).toEqual(expect.arrayContaining(all));

    // Once the bot has stopped, --force replaces it, keeping the database it had beside it.
    expect(await bot.stop()).toBe(0);
    bot = undefined;
    const replaced = await admin(['restore', backup, '--force'], { DATABASE_URL: `file:${live}` });
    expect(replaced.code).toBe(0);
    const kept = readdirSync(dir).find((name) => name.startsWith('bot.db.before-restore-'));
    expect(replaced.out[1]).toBe(text('admin.restore.kept', { file: path.join(dir, kept!) }));
    expect([...assetsIn(path.join(dir, kept!))]).toEqual(expect.arrayContaining(all));
    expect(assetsIn(live)).toEqual(inRestored);
    expect(existsSync(`${live}-wal`)).toBe(false);
  }, 90_000);

  it('refuses a damaged backup or one of another program, and prints the pg_dump command for PostgreSQL', async () => {
    const pgUrl = 'postgresql://helpdesk:secret@db.example:5432/helpdesk?schema=public';
    const pg = await admin(['backup', 'helpdesk.dump'], { DATABASE_URL: pgUrl });
    expect(pg.code).toBe(1);
    expect(pg.out).toContain('  pg_dump --format=custom --file=helpdesk.dump "postgresql://helpdesk:***@db.example:5432/helpdesk"');
    expect(pg.out.join('\n')).not.toContain('secret');
    expect(pg.err).toEqual([text('admin.failed', { reason: text('admin.backup.postgres') })]);

    // A backup of its own: of a migrated, empty database.
    const empty = path.join(dir, 'empty.db');
    copyFileSync(inject('templateDb'), empty);
    const own = path.join(dir, 'empty-backup.db');
    expect((await admin(['backup', own], { DATABASE_URL: `file:${empty}` })).code).toBe(0);

    const other = path.join(dir, 'other.db');
    new Database(other).exec('CREATE TABLE t (x)');
    const target = path.join(dir, 'x.db');
    const foreign = await admin(['restore', other, '--to', target]);
    expect(foreign.err).toEqual([text('admin.failed', { reason: text('admin.sqlite.noHistory', { file: other }) })]);

    // A backup of a newer program (a migration this one lacks) is refused.
    const newer = path.join(dir, 'newer.db');
    copyFileSync(own, newer);
    new Database(newer).exec(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, started_at, applied_steps_count) VALUES ('x', 'x', '29991231000000_future', 1, 1, 1)`,
    );
    expect((await admin(['restore', newer, '--to', target])).err).toEqual([
      text('admin.failed', { reason: text('admin.sqlite.newer', { file: newer, name: '29991231000000_future' }) }),
    ]);

    // A damaged backup fails its integrity check.
    const damaged = path.join(dir, 'damaged.db');
    const bytes = readFileSync(own);
    bytes.fill(0x5a, 4096 * 3, 4096 * 6);
    writeFileSync(damaged, bytes);
    const refused = await admin(['restore', damaged, '--to', target]);
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toMatch(new RegExp(`^错误：${damaged.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (未通过完整性检查|不是可读取的 SQLite 数据库)`));
    expect(existsSync(target)).toBe(false);
  });
});
