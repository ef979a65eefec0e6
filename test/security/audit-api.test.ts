import { afterEach, describe, expect, it } from 'vitest';
import { createToken } from '../../bot/tokens/store.js';
import { API_TOKEN, createTestBot, reportEach, type TestBot } from '../helpers/bot.js';

const at = (local: string) => new Date(`${local}+08:00`);

describe('the audit trail in the REST API', () => {
  let t: TestBot;
  afterEach(async () => t?.close());

  const get = (url: string, token: string) => t.bot.app.inject({ url, headers: { authorization: `Bearer ${token}` } });
  const reads = () => t.bot.db.auditLog.findMany({ where: { action: 'audit.read' }, orderBy: { id: 'asc' } });

  it('filters by entity, actor and period, newest first, a page at a time, and records every read it answers', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await reportEach(t);
    const incident = await t.bot.db.incident.findFirstOrThrow({ include: { tickets: { orderBy: { id: 'asc' } } } });
    const ticket = incident.tickets[0]!.number;
    const director = await createToken(t.bot.db, { name: 'it-director', scope: 'admin' });
    const rows = async (query: string) => {
      const res = await get(`/api/audit?${query}`, director.token);
      expect(res.statusCode, query).toBe(200);
      return res.json() as { rows: any[]; nextCursor: string | null };
    };

    const ofTicket = await rows(`entity=ticket:${ticket}`);
    expect(ofTicket.rows.length).toBeGreaterThan(1);
    expect(ofTicket.rows.every((r) => r.entity.type === 'ticket' && r.entity.id === ticket)).toBe(true);
    expect(ofTicket.rows.map((r) => r.action)).toContain('ticket.created');
    const ids = ofTicket.rows.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const ofIncident = await rows(`entity=incident:${incident.number}`);
    expect(ofIncident.rows.map((r) => r.action)).toContain('incident.open');
    expect(ofIncident.rows.every((r) => r.entity.id === incident.number)).toBe(true);
    const tickets = await rows('entity=ticket');
    expect(new Set(tickets.rows.map((r) => r.entity.id))).toEqual(new Set(incident.tickets.map((x) => x.number)));

    const byZhang = await rows('actor=zhang-li');
    expect(byZhang.rows.length).toBeGreaterThan(0);
    expect(byZhang.rows.every((r) => r.actor.id === 'zhang-li' && r.actor.name === '张丽')).toBe(true);
    expect(byZhang.rows.map((r) => r.entity.id)).toContain(ticket);
    expect((await rows('actor=zhang-li&entity=incident')).rows).toEqual([]);
    expect((await rows('from=2026-11-24')).rows).toEqual([]);
    expect((await rows('from=2026-11-23&to=2026-11-24&entity=ticket')).rows).toHaveLength(tickets.rows.length);

    // Pages: two rows each, following nextCursor to the end, every row once.
    const all = (await rows('entity=ticket&limit=500')).rows.map((r) => r.id);
    const paged: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { rows: any[]; nextCursor: string | null } = await rows(`entity=ticket&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.rows.length).toBeLessThanOrEqual(2);
      paged.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);

    // Every answered read is an audit row of its own, the token's name as its actor, with what was asked.
    const recorded = await reads();
    expect(recorded.length).toBe(8 + Math.ceil(all.length / 2));
    expect(recorded.every((r) => r.actorId === 'it-director' && r.entityType === 'audit')).toBe(true);
    expect(recorded[0]).toMatchObject({ entityId: `ticket:${ticket}`, after: { filters: { entity: `ticket:${ticket}` }, rows: ofTicket.rows.length } });
    expect(recorded[3]).toMatchObject({ entityId: '*', after: { filters: { actor: 'zhang-li' } } });
    // …and readable as any other: the director's own reads, newest first.
    const own = await rows('actor=it-director&entity=audit');
    expect(own.rows.map((r) => r.id)).toEqual(recorded.map((r) => r.id).reverse());
    expect(own.rows[0].actor).toEqual({ id: 'it-director', name: 'it-director' });
  });

  it('refuses a read-scope token with 403, and bad queries with 400, recording nothing', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await reportEach(t);
    const reader = await createToken(t.bot.db, { name: 'night-duty dashboard', scope: 'read' });
    const exporter = await createToken(t.bot.db, { name: 'monthly registers', scope: 'export' });
    for (const token of [reader, exporter]) {
      const refused = await get('/api/audit?entity=ticket', token.token);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error).toMatch(
        new RegExp(`^bearer token ${token.prefix} has the scope ${token.scope}, which does not cover GET /api/audit: it needs admin$`),
      );
      // The same token reads the incidents.
      expect((await get('/api/incidents', token.token)).statusCode).toBe(200);
    }
    expect((await t.bot.app.inject({ url: '/api/audit' })).statusCode).toBe(401);

    const bad: [string, RegExp][] = [
      ['entity=Ticket', /^entity: an entity type like ticket/],
      ['entity=ticket:', /^entity: /],
      ['entity=:IT-20261123-0001', /^entity: /],
      ['cursor=abc', /^cursor: the nextCursor/],
      ['cursor=0', /^cursor: /],
      ['from=2026-13-01', /^from: /],
      ['from=2026-11-24&to=2026-11-24', /^to must be after from/],
      ['limit=1000', /^limit: /],
    ];
    for (const [query, reason] of bad) {
      const res = await get(`/api/audit?${query}`, API_TOKEN);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error, query).toMatch(reason);
    }
    expect(await reads()).toEqual([]);

    // The bootstrap token reads too, and its reads are recorded under its name.
    expect((await get('/api/audit?entity=ticket', API_TOKEN)).statusCode).toBe(200);
    expect((await reads()).map((r) => r.actorId)).toEqual(['API_TOKEN']);
  });
});
