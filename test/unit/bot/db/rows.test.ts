import { afterEach, describe, expect, it } from 'vitest';
import { transact } from '../../../../bot/db/transact.js';
import { assetByNumber, assetOnTicket, insertTicket, newestTicketOf, ticketByNumber, updateTicket } from '../../../../bot/tickets/rows.js';
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

  it('read an asset and its repairs up to a ticket in one statement, and say whether the register holds anything', async () => {
    database = await freshDatabase();
    const { db } = database;
    const day = 24 * 60 * 60_000;
    const now = new Date('2026-12-02T02:00:00Z');
    const empty = await transact(db, (tx) => assetOnTicket(tx, { id: 1, assetNumber: 'PC-0231' }, new Date(now.getTime() - 90 * day)));
    expect(empty).toMatchObject({ number: null, repairs: 0, kept: 0 });
    await db.asset.create({ data: { number: 'PC-0231', model: '联想启天 M720', warrantyUntil: '2027-06-30', vendorContact: '400-990-8888', createdAt: now } });
    const tickets = [];
    for (const [i, daysAgo] of [100, 30, 1, 0].entries()) {
      const at = new Date(now.getTime() - daysAgo * day);
      tickets.push(await transact(db, (tx) => insertTicket(tx, { ...report(`IT-20261202-000${i + 1}`, at), assetNumber: 'PC-0231' })));
    }
    const since = (t: { createdAt: Date }) => new Date(t.createdAt.getTime() - 90 * day);
    // Up to the third ticket: the 30-day-old one and itself; the newer one is not counted.
    const third = tickets[2]!;
    expect(await transact(db, (tx) => assetOnTicket(tx, third, since(third)))).toEqual({
      number: 'PC-0231',
      kind: null,
      model: '联想启天 M720',
      warrantyUntil: '2027-06-30',
      vendor: null,
      vendorContact: '400-990-8888',
      status: 'active',
      repairs: 2,
      kept: 1,
    });
    expect(await transact(db, (tx) => assetOnTicket(tx, { id: 99, assetNumber: 'PC-9999' }, now))).toMatchObject({ number: null, repairs: 0, kept: 1 });
    expect(await transact(db, (tx) => assetByNumber(tx, 'PC-0231'))).toEqual(await db.asset.findUnique({ where: { number: 'PC-0231' } }));
  });
});
