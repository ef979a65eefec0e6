import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { IncomingEvent } from '../../../bot/chat/model.js';
import { WorkCalendar } from '../../../bot/calendar.js';
import { AdjustableClock } from '../../../bot/clock.js';
import { defineCommand, type Registry } from '../../../bot/commands.js';
import type { Db } from '../../../bot/db/client.js';
import type { Directory } from '../../../bot/org/directory.js';
import { Router } from '../../../bot/router.js';
import { registry } from '../../../commands/index.js';
import { freshDatabase } from '../../helpers/db.js';
import { silentLog } from '../../helpers/log.js';

let seq = 0;
function message(userId: string, chatId: string, text: string, eventId = `ev-${++seq}`): IncomingEvent {
  return {
    platform: 'simulator',
    eventId,
    kind: 'message',
    chat: { id: chatId, type: 'group' },
    user: { platformId: userId },
    text,
    mentionsBot: true,
    attachments: [],
  };
}

function click(userId: string, name: string, value: Record<string, unknown>): IncomingEvent {
  return { ...message(userId, 'engineers', ''), kind: 'action', text: undefined, action: { name, value } };
}

describe('Router', () => {
  let db: Db;
  let directory: Directory;
  let drop: () => Promise<void>;
  let woken = 0;
  const router = (reg: Registry = registry) =>
    new Router({
      db,
      directory,
      clock: new AdjustableClock(),
      timeZone: 'Asia/Shanghai',
      calendar: new WorkCalendar('Asia/Shanghai', directory.org.hospital.workingHours),
      registry: reg,
      log: silentLog,
      onCommitted: () => woken++,
    });
  const texts = async () => (await db.outbox.findMany({ orderBy: { id: 'asc' } })).map((r) => (r.payload as any).message);

  beforeEach(async () => {
    ({ db, directory, drop } = await freshDatabase());
    woken = 0;
  });
  afterEach(async () => drop());

  it('handles a redelivered message once', async () => {
    const event = message('zhang-li', 'intake', 'HIS打不开，电话8123');
    const r = router();
    expect(await r.handle(event)).toEqual({ outcome: 'handled' });
    expect(await r.handle(event)).toEqual({ outcome: 'duplicate' });
    expect(await db.ticket.count()).toBe(1);
    expect(await db.outbox.count()).toBe(2);
    expect(woken).toBe(1);
  });

  it('routes by the first word, case-insensitively, and by chat purpose otherwise', async () => {
    const r = router();
    await r.handle(message('zhang-li', 'engineers', '/HELP'));
    await r.handle(message('zhang-li', 'engineers', '打印机坏了'));
    await r.handle(message('zhang-li', 'intake', '打印机坏了，资产号PR-0001'));
    const sent = await texts();
    expect(sent[0]).toMatchObject({ type: 'card', card: { title: '信息科助手 · 使用帮助' } });
    expect(sent[1]).toMatchObject({ type: 'text', text: '请在「信息科报修群」报修；发送「帮助」查看我能做什么。' });
    expect(await db.ticket.count()).toBe(1);
  });

  it('ignores chatter in other groups that does not mention the bot', async () => {
    const event = { ...message('wang-wei', 'engineers', '中午吃什么'), mentionsBot: false };
    expect(await router().handle(event)).toEqual({ outcome: 'ignored' });
    expect(await db.outbox.count()).toBe(0);
  });

  it('lets people not in the organisation file report in the intake group, and answers them elsewhere only when addressed', async () => {
    const r = router();
    expect(await r.handle({ ...message('vendor-1', 'engineers', '明天来装机'), mentionsBot: false })).toEqual({ outcome: 'ignored' });
    expect(await r.handle(message('vendor-1', 'engineers', '明天来装机'))).toEqual({ outcome: 'refused' });
    expect((await texts()).map((m) => m.text)).toEqual(['您还未登记在本院通讯录中，暂时无法使用。请联系信息科（分机 8800）登记。']);
    expect(await db.person.count({ where: { source: 'directory' } })).toBe(0);

    // In the intake group they are remembered as a reporter and their report is a ticket, with the department asked.
    expect(await r.handle(message('vendor-1', 'intake', '打印机坏了'))).toMatchObject({ outcome: 'handled' });
    const ticket = await db.ticket.findFirstOrThrow();
    expect(ticket).toMatchObject({ reporterId: 'simulator:vendor-1', departmentId: null });
    expect(await db.personRole.findMany({ where: { personId: 'simulator:vendor-1' } })).toEqual([{ personId: 'simulator:vendor-1', role: 'reporter' }]);
    expect((await texts()).filter((m) => m.type === 'card').map((m) => m.card.title)).toContain('请问您是哪个科室的？');
  });

  it('answers a click on an unknown or malformed button with a toast and changes nothing', async () => {
    const r = router();
    expect(await r.handle(click('wang-wei', 'ticket.explode', {}))).toMatchObject({
      outcome: 'refused',
      toast: { text: '这个按钮已失效，请刷新后重试。' },
    });
    expect(await r.handle(click('wang-wei', 'ticket.claim', { ticket: 'DROP TABLE' }))).toMatchObject({ outcome: 'refused' });
    expect(await db.inboundEvent.count()).toBe(0);
  });

  it('rolls back a command that fails and apologizes once, in Chinese', async () => {
    const failing = defineCommand({
      name: 'explode',
      aliases: ['爆炸'],
      usage: '爆炸',
      args: z.object({}),
      async run(ctx) {
        await ctx.reply('this reply must not survive the rollback');
        throw new Error('database on fire');
      },
    });
    const r = router({ ...registry, commands: [failing] });
    const event = message('wang-wei', 'engineers', '爆炸');
    expect(await r.handle(event)).toEqual({ outcome: 'failed' });
    expect(await r.handle(event)).toEqual({ outcome: 'duplicate' });
    expect(await texts()).toEqual([{ type: 'text', text: '系统开小差了，请稍后再试；紧急情况请拨打信息科值班电话。' }]);
  });
});
