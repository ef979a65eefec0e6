import { afterEach, describe, expect, it } from 'vitest';
import { transact } from '../../../../bot/db/transact.js';
import { insertTicket, newestTicketOf, ticketByNumber, updateTicket } from '../../../../bot/tickets/rows.js';
import { freshDatabase, type TestDatabase } from '../../../helpers/db.js';

/** A ticket's columns as a report fills them. */
const report = (number: string, createdAt: Date) => ({
  number,
  status: 'open',
  priority: 'P3',
  title: '打印机卡纸',
  description: '门诊3楼打印机卡纸',
  reporterId: 'zhang-li',
  departmentId: null,
  responseDueAt: new Date(createdAt.getTime() + 30 * 60_000),
  awaitingUntil: new Date(createdAt.getTime() + 10 * 60_000),
  sourcePlatform: 'simulator',
  sourceChatId: 'intake',
  sourceMessageId: `m-${number}`,
  createdAt,
});

describe('the hot paths’ ticket statements', () => {
  let database: TestDatabase;
  afterEach(async () => database?.drop());

  it('store a ticket exactly as Prisma reads it back, times compared alike', async () => {
    database = await freshDatabase();
    const { db } = database;
    const at = new Date('2026-11-23T01:02:03.456Z');
    const written = await transact(db, (tx) => insertTicket(tx, report('IT-20261123-0001', at)));
    const read = await db.ticket.findUniqueOrThrow({ where: { number: 'IT-20261123-0001' } });
    expect(written).toEqual(read);
    expect(read.createdAt).toEqual(at);
    // A time written here and one written by Prisma order the same way in a query.
    expect(await db.ticket.count({ where: { createdAt: { gte: new Date(at.getTime() + 1) } } })).toBe(0);
    expect(await db.ticket.count({ where: { createdAt: { gte: at } } })).toBe(1);
    const waiting = (after: Date) =>
      transact(db, (tx) => newestTicketOf(tx, { reporterId: 'zhang-li', platform: 'simulator', chatId: 'intake', statuses: ['open'], awaitingAfter: after }));
    expect((await waiting(at))?.number).toBe('IT-20261123-0001');
    expect(await waiting(new Date(at.getTime() + 11 * 60_000))).toBeNull();
  });

  it('change a ticket only while nobody changed it since it was read', async () => {
    database = await freshDatabase();
    const { db } = database;
    const ticket = await transact(db, (tx) => insertTicket(tx, report('IT-20261123-0002', new Date())));
    const claimed = await transact(db, (tx) =>
      updateTicket(tx, ticket.id, ticket.version, { status: 'claimed', assigneeId: 'luo-xin', escalationLevel: { increment: 1 } }),
    );
    expect(claimed).toMatchObject({ status: 'claimed', assigneeId: 'luo-xin', escalationLevel: 1, version: ticket.version + 1 });
    // A second click read the ticket before the first changed it: nothing changes.
    expect(await transact(db, (tx) => updateTicket(tx, ticket.id, ticket.version, { assigneeId: 'wang-qiang' }))).toBeNull();
    expect(await transact(db, (tx) => ticketByNumber(tx, 'IT-20261123-0002'))).toMatchObject({ assigneeId: 'luo-xin', version: ticket.version + 1 });
  });
});
