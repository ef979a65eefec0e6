import { afterEach, describe, expect, it } from 'vitest';
import { t as text } from '../../../bot/i18n/zh.js';
import { admin } from '../../helpers/admin.js';
import { createTestBot, type TestBot } from '../../helpers/bot.js';

const REPORT = '门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话13812345678';

describe('helpdesk outbox', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  /** A bot whose messages to the engineers' group failed: one given up, one waiting for its next attempt. */
  async function withFailures() {
    t = await createTestBot();
    await t.say('zhang-li', 'intake', REPORT);
    await t.say('li-na', 'intake', 'PACS看不了片子，放射科这边都打不开');
    const rows = await t.bot.db.outbox.findMany({ where: { chatId: 'engineers' }, orderBy: { id: 'asc' } });
    const [dead, waiting] = [rows[0]!, rows[1]!];
    await t.bot.db.outbox.update({
      where: { id: dead.id },
      data: { status: 'dead', attempts: 10, lastError: 'Feishu 230002: the bot is not in the chat', createdAt: new Date(Date.now() - 90 * 60_000) },
    });
    await t.bot.db.outbox.update({
      where: { id: waiting.id },
      data: {
        status: 'pending',
        attempts: 3,
        lastError: 'HTTP 503',
        nextAttemptAt: new Date(Date.now() + 10 * 60_000),
        payload: { message: { type: 'text', text: '请回电报修人 13812345678' } },
      },
    });
    return { dead, waiting, env: { DATABASE_URL: t.url, USER: 'night-duty' } };
  }

  it('lists waiting and dead messages with their age, attempts and platform error', async () => {
    const { dead, waiting, env } = await withFailures();
    const run = await admin(['outbox', 'list'], env);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out[0]).toBe(text('admin.outbox.list.counts', { pending: 1, sending: 0, dead: 1 }));
    const deadAt = run.out.findIndex((line) => line.startsWith(`#${dead.id} 已放弃`));
    expect(run.out[deadAt]).toBe(`#${dead.id} 已放弃 · simulator engineers · 新消息 · 已等 1.5 小时 · 已尝试 10 次`);
    expect(run.out[deadAt + 1]).toMatch(/^ {4}内容：【卡片】新报修 IT-\d{8}-0001 · P3 中$/);
    expect(run.out[deadAt + 2]).toBe('    平台错误：Feishu 230002: the bot is not in the chat');
    const waitingAt = run.out.findIndex((line) => line.startsWith(`#${waiting.id} `));
    expect(run.out[waitingAt]).toBe(`#${waiting.id} 等待发送 · simulator engineers · 新消息 · 已等 1 分钟 · 已尝试 3 次 · 10 分钟后重试`);
    // The content is shown as the registers show it: a mobile masked.
    expect(run.out[waitingAt + 1]).toBe('    内容：请回电报修人 138****5678');
    expect(run.out[waitingAt + 2]).toBe('    平台错误：HTTP 503');

    const onlyDead = await admin(['outbox', 'list', '--dead'], env);
    expect(onlyDead.out[0]).toBe(text('admin.outbox.list.counts', { pending: 0, sending: 0, dead: 1 }));
    expect(onlyDead.out.filter((line) => line.startsWith('#'))).toHaveLength(1);
    expect((await admin(['outbox', 'list', '--chat', 'intake'], env)).out).toEqual([text('admin.outbox.list.none')]);
  });

  it('retries a dead message: due at once, attempts counted afresh, audited, and sent by the bot', async () => {
    const { dead, env } = await withFailures();
    const run = await admin(['outbox', 'retry', String(dead.id)], env);
    expect(run).toEqual({ code: 0, out: [text('admin.outbox.retry.done', { id: dead.id, platform: 'simulator', chat: 'engineers' })], err: [] });
    const row = await t.bot.db.outbox.findUniqueOrThrow({ where: { id: dead.id } });
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(row.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    const audit = await t.bot.db.auditLog.findFirstOrThrow({ where: { action: 'outbox.retry' } });
    expect(audit).toMatchObject({ actorId: 'cli:night-duty', entityType: 'outbox', entityId: String(dead.id) });
    expect(audit.before).toMatchObject({ status: 'dead', attempts: 10, lastError: 'Feishu 230002: the bot is not in the chat' });

    await t.bot.outbox.drain();
    expect((await t.bot.db.outbox.findUniqueOrThrow({ where: { id: dead.id } })).status).toBe('sent');
    // A sent message is not sent again.
    const again = await admin(['outbox', 'retry', String(dead.id)], env);
    expect(again.code).toBe(1);
    expect(again.err).toEqual([text('admin.failed', { reason: text('admin.outbox.retry.notWaiting', { id: dead.id, status: '已发送' }) })]);
  });

  it('retries every dead message at once', async () => {
    const { dead, env } = await withFailures();
    const other = await t.bot.db.outbox.findFirstOrThrow({ where: { chatId: 'intake' } });
    await t.bot.db.outbox.update({ where: { id: other.id }, data: { status: 'dead', lastError: 'gone' } });
    const run = await admin(['outbox', 'retry', '--all-dead'], env);
    expect(run.out).toEqual([text('admin.outbox.retry.doneAll', { n: 2 })]);
    expect(await t.bot.db.outbox.count({ where: { id: { in: [dead.id, other.id] }, status: 'pending' } })).toBe(2);
    expect(await t.bot.db.auditLog.count({ where: { action: 'outbox.retry' } })).toBe(1);
    expect((await admin(['outbox', 'retry', '--all-dead'], env)).out).toEqual([text('admin.outbox.list.noneDead')]);
    expect((await admin(['outbox', 'retry', '3', '--all-dead'], env)).code).toBe(2);
  });

  it('drops a message: never sent, kept with its error, and the drop is in the audit log', async () => {
    const { waiting, env } = await withFailures();
    const run = await admin(['outbox', 'drop', `#${waiting.id}`], env);
    expect(run.out).toEqual([text('admin.outbox.drop.done', { id: waiting.id, platform: 'simulator', chat: 'engineers' })]);
    await t.bot.db.outbox.update({ where: { id: waiting.id }, data: { nextAttemptAt: new Date(0) } });
    await t.bot.outbox.drain();
    expect(await t.bot.db.outbox.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({ status: 'dropped', lastError: 'HTTP 503' });
    const audit = await t.bot.db.auditLog.findFirstOrThrow({ where: { action: 'outbox.drop' } });
    expect(audit).toMatchObject({ actorId: 'cli:night-duty', entityType: 'outbox', entityId: String(waiting.id), after: { status: 'dropped' } });
    expect(audit.before).toMatchObject({ status: 'pending', platform: 'simulator', chatId: 'engineers', lastError: 'HTTP 503' });
    expect((await admin(['outbox', 'list'], env)).out.some((line) => line.startsWith(`#${waiting.id} `))).toBe(false);

    expect((await admin(['outbox', 'drop', '99999'], env)).err).toEqual([text('admin.failed', { reason: text('admin.outbox.notFound', { id: 99999 }) })]);
    expect((await admin(['outbox', 'drop', 'IT-1'], env)).code).toBe(2);
    expect((await admin(['outbox', 'drop', String(waiting.id)], env)).code).toBe(1);
  });
});
