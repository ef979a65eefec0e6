import { describe, expect, it } from 'vitest';
import { dependencyOrder, timestampOf } from '../../../../bot/admin/pg-copy.js';

describe('the SQLite → PostgreSQL copy', () => {
  it('copies each table after every table its foreign keys refer to', () => {
    const order = dependencyOrder([
      { name: 'TicketEvent', parents: ['Ticket'] },
      { name: 'Ticket', parents: ['Person', 'Department', 'Incident'] },
      { name: 'Person', parents: ['Department', 'ItGroup'] },
      { name: 'Incident', parents: [] },
      { name: 'Department', parents: [] },
      { name: 'ItGroup', parents: [] },
    ]);
    expect(order).toEqual(['Department', 'Incident', 'ItGroup', 'Person', 'Ticket', 'TicketEvent']);
    expect(() =>
      dependencyOrder([
        { name: 'A', parents: ['B'] },
        { name: 'B', parents: ['A'] },
      ]),
    ).toThrow(/cycle among A, B/);
  });

  it('reads every form SQLite keeps a time in as the same UTC instant', () => {
    const instant = '2026-11-23T02:00:00.123Z';
    expect(timestampOf('2026-11-23T02:00:00.123+00:00')).toBe(instant); // as Prisma writes it
    expect(timestampOf(Date.parse(instant))).toBe(instant); // milliseconds since the epoch
    expect(timestampOf(BigInt(Date.parse(instant)))).toBe(instant);
    expect(timestampOf('2026-11-23 02:00:00.123')).toBe(instant); // CURRENT_TIMESTAMP: UTC without a zone
    expect(timestampOf(null)).toBeNull();
    expect(() => timestampOf('yesterday')).toThrow(/not a time/);
  });
});
