import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../../../bot/calendar.js';
import { AdjustableClock } from '../../../../bot/clock.js';
import type { Db } from '../../../../bot/db/client.js';
import { BotError } from '../../../../bot/errors.js';
import type { Directory } from '../../../../bot/org/directory.js';
import { inUnitOfWork, type Services } from '../../../../bot/services.js';
import { freshDatabase } from '../../../helpers/db.js';

const TZ = 'Asia/Shanghai';
const source = { platform: 'simulator' as const, chatId: 'intake', messageId: 'm-1' };

describe('TicketService', () => {
  let db: Db;
  let directory: Directory;
  let drop: () => Promise<void>;
  const clock = new AdjustableClock();

  beforeEach(async () => {
    ({ db, directory, drop } = await freshDatabase());
  });
  afterEach(async () => drop());

  /** Runs a service call in its own transaction, as the router does. */
  const inTx = <T>(fn: (s: Services) => Promise<T>) =>
    inUnitOfWork(db, { directory, clock, timeZone: TZ, calendar: new WorkCalendar(TZ, directory.org.hospital.workingHours) }, fn);
  const person = (id: string) => directory.person(id)!;
  const report = (text = '门诊3楼212诊室打印机卡纸，资产号PC-0231') =>
    inTx(async (s) => {
      const ticket = await s.tickets.report({ reporter: person('zhang-li'), text, source });
      await s.tickets.announce(ticket);
      return ticket;
    });

  it('creates the ticket, its timeline, an audit row and two cards in the outbox, all in one transaction', async () => {
    const ticket = await report();
    expect(ticket).toMatchObject({ status: 'open', priority: 'P3', itGroupId: 'systems', reporterId: 'zhang-li' });
    expect(await db.ticketEvent.findMany({ where: { ticketId: ticket.id } })).toMatchObject([{ type: 'created', actorId: 'zhang-li' }]);
    expect(await db.auditLog.findMany()).toMatchObject([{ action: 'ticket.created', entityId: ticket.number, actorId: 'zhang-li' }]);
    const outbox = await db.outbox.findMany({ orderBy: { id: 'asc' } });
    expect(outbox.map((r) => [r.chatId, r.op])).toEqual([
      ['intake', 'send'],
      ['engineers', 'send'],
    ]);
    const refs = await db.messageRef.findMany({ orderBy: { id: 'asc' } });
    expect(refs.map((r) => r.kind)).toEqual(['intake', 'dispatch']);
    expect(ticket.responseDueAt.getTime() - ticket.createdAt.getTime()).toBe(2 * 60 * 60_000);
    expect(ticket.nextEscalationAt).toEqual(ticket.responseDueAt);
  });

  it('leaves nothing behind when the transaction fails', async () => {
    await expect(
      inTx(async (s) => {
        await s.tickets.report({ reporter: person('zhang-li'), text: 'HIS打不开', source });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.ticket.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.auditLog.count()).toBe(0);
  });

  it('lets only IT staff claim', async () => {
    const { number } = await report();
    for (const who of ['zhang-li', 'chen-jing', 'jiang-hua']) {
      await expect(inTx((s) => s.work.claim(number, person(who)))).rejects.toMatchObject({ code: 'not_it_staff' });
    }
    const claimed = await inTx((s) => s.work.claim(number, person('huang-jun'))); // the IT director may claim too
    expect(claimed.assigneeId).toBe('huang-jun');
  });

  it('refuses an unknown ticket', async () => {
    await expect(inTx((s) => s.work.claim('IT-20200101-0001', person('wang-wei')))).rejects.toEqual(
      new BotError('ticket_not_found', { number: 'IT-20200101-0001' }),
    );
  });

  it('lets exactly one of two engineers claiming at once win', async () => {
    const { number } = await report();
    const results = await Promise.allSettled([inTx((s) => s.work.claim(number, person('wang-wei'))), inTx((s) => s.work.claim(number, person('qian-bo')))]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toMatchObject({ code: 'already_claimed' });
    expect(await db.ticketEvent.count({ where: { type: 'claimed' } })).toBe(1);
  });

  it('updates every card of the ticket on claim and tells the reporter', async () => {
    const { number } = await report();
    // The two cards have gone out (as the worker would have done).
    await db.outbox.updateMany({ data: { status: 'sent' } });
    await inTx((s) => s.work.claim(number, person('wang-wei')));
    const rows = await db.outbox.findMany({ orderBy: { id: 'asc' }, where: { id: { gt: 2 } } });
    expect(rows.map((r) => [r.chatId, r.op])).toEqual([
      ['intake', 'update'],
      ['engineers', 'update'],
      ['intake', 'send'],
    ]);
    expect((rows[2]!.payload as any).message).toMatchObject({
      type: 'text',
      mentions: [{ platformUserId: 'zhang-li', name: '张丽' }],
    });
  });

  it('numbers tickets per day in the hospital time zone', async () => {
    const first = await report();
    const second = await report();
    expect(second.number.slice(0, 12)).toBe(first.number.slice(0, 12));
    expect(Number(second.number.slice(-4))).toBe(Number(first.number.slice(-4)) + 1);
  });
});
