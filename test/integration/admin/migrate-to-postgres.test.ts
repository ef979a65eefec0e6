import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { timestampOf } from '../../../bot/admin/pg-copy.js';
import { buildBot } from '../../../bot/app.js';
import { AdjustableClock } from '../../../bot/clock.js';
import { loadConfig } from '../../../bot/config.js';
import { openDatabase } from '../../../bot/db/client.js';
import { t as text } from '../../../bot/i18n/zh.js';
import { admin } from '../../helpers/admin.js';
import { API_TOKEN, buttonOf, createTestBot, HIS_OUTAGE, reportEach, type TestBot } from '../../helpers/bot.js';
import { sampleDirectory } from '../../helpers/db.js';
import { createPgDatabase, dropPgDatabase, pgDatabaseUrl, testPgUrl } from '../../helpers/pg.js';

const START = new Date('2026-11-23T02:00:00Z'); // a Monday, 10:00 at the hospital
const created: string[] = [];
afterAll(async () => {
  for (const name of created) await dropPgDatabase(testPgUrl!, name);
});

/** A day at the hospital on SQLite: reports, an outage, a claim, a request approved one step, a message given up. */
async function seeded(): Promise<TestBot> {
  const t = await createTestBot({}, undefined, START, { database: 'sqlite' });
  await t.say('zhang-li', 'intake', '门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话8123');
  const dispatch = await t.card('engineers', '新报修 IT-');
  await t.click(dispatch.id, 'wang-wei', 'ticket.claim', buttonOf(dispatch, '认领').value);
  await reportEach(t, HIS_OUTAGE);
  await t.bot.app.inject({
    method: 'POST',
    url: '/simulator/api/messages',
    payload: { chatId: 'intake', userId: 'visitor-1', userName: '访客', text: '收费处自助机黑屏了' },
  });
  await t.say('zhang-li', 'intake', '申请 权限');
  const form = (await t.transcript('intake')).filter((m) => m.card?.title.includes('填写')).at(-1)!;
  const submit = form.card!.form!.submits.find((b) => b.label === '提交申请')!;
  const submitted = await t.click(form.id, 'zhang-li', 'approval.submit', submit.value, {
    person: 'zhang-li',
    system: 'nurse-ws',
    action: 'create',
    permissions: '护士站 医嘱执行',
    reason: '新入职',
  });
  const number = /SQ-\d{8}-\d{3}/.exec(submitted.toast?.text ?? '')![0];
  const head = (await t.transcript('user:chen-jing')).find((m) => m.card?.title.includes(number))!;
  await t.click(head.id, 'chen-jing', 'approval.decide', buttonOf(head, '同意').value, { comment: '同意' });
  await t.advance(20);
  const row = await t.bot.db.outbox.findFirstOrThrow({ where: { chatId: 'engineers' } });
  await t.bot.db.outbox.update({ where: { id: row.id }, data: { status: 'dead', lastError: 'Feishu 230002' } });
  return t;
}

/** Every row of every table, each value as JavaScript reads it, sorted: the same on both sides when the copy is whole. */
async function tablesOf(sqliteFile: string, url: string) {
  const client = new pg.Client({
    connectionString: url,
    // `timestamp` columns as their text (UTC), not read as local times.
    types: { getTypeParser: (oid: number, format?: string) => (oid === 1114 ? (v: string) => v : pg.types.getTypeParser(oid, format as never)) },
  });
  await client.connect();
  const sqlite = new Database(sqliteFile, { readonly: true });
  try {
    const tables = sqlite
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`)
      .pluck()
      .all() as string[];
    const out: Record<string, { sqlite: unknown[]; postgres: unknown[] }> = {};
    for (const table of tables) {
      const types = new Map(
        (await client.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1`, [table])).rows.map((r) => [
          r.column_name,
          r.data_type,
        ]),
      );
      const normal = (row: Record<string, unknown>, from: 'sqlite' | 'postgres') =>
        Object.fromEntries(
          Object.entries(row).map(([column, v]) => {
            const type = types.get(column) as string;
            if (v === null) return [column, null];
            if (type.startsWith('timestamp')) return [column, from === 'sqlite' ? timestampOf(v) : new Date(`${String(v).replace(' ', 'T')}Z`).toISOString()];
            if (type === 'boolean') return [column, from === 'sqlite' ? v !== 0 : v];
            if (type === 'jsonb') return [column, from === 'sqlite' ? JSON.parse(v as string) : v];
            return [column, v];
          }),
        );
      const sort = (rows: unknown[]) => rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      out[table] = {
        sqlite: sort((sqlite.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]).map((r) => normal(r, 'sqlite'))),
        postgres: sort((await client.query(`SELECT * FROM "${table}"`)).rows.map((r) => normal(r, 'postgres'))),
      };
    }
    return out;
  } finally {
    sqlite.close();
    await client.end();
  }
}

describe.skipIf(!testPgUrl)('helpdesk migrate-to-postgres', () => {
  it('copies every row of every table, keeps the ticket counters, and PostgreSQL numbers the next ticket on', async () => {
    const t = await seeded();
    const file = t.url.slice('file:'.length);
    const name = await createPgDatabase(testPgUrl!, 'admin_test');
    created.push(name);
    const url = pgDatabaseUrl(testPgUrl!, name);
    try {
      // A bot still holding the SQLite database: nothing is copied.
      const held = await admin(['migrate-to-postgres', '--from', t.url, '--to', url]);
      expect(held.err).toEqual([text('admin.failed', { reason: text('admin.pgcopy.sourceHeld', { file }) })]);
      await t.bot.stop();
      await t.bot.db.$disconnect();

      const run = await admin(['migrate-to-postgres', '--from', t.url, '--to', url]);
      expect(run.err).toEqual([]);
      expect(run.code).toBe(0);
      const tables = await tablesOf(file, url);
      expect(Object.keys(tables).length).toBeGreaterThanOrEqual(30);
      for (const [table, rows] of Object.entries(tables)) expect(rows.postgres, table).toEqual(rows.sqlite);
      for (const table of ['Ticket', 'Incident', 'Approval', 'ApprovalDecision', 'Outbox', 'AuditLog', 'Sequence', 'TicketEvent', 'Person', 'InboundEvent'])
        expect(tables[table]!.sqlite.length, table).toBeGreaterThan(0);
      expect(run.out.at(-1)).toBe(
        text('admin.pgcopy.done', { tables: Object.keys(tables).length, rows: Object.values(tables).reduce((n, r) => n + r.sqlite.length, 0), url }),
      );

      // Copying again into a database that now holds data is refused, and changes nothing.
      const again = await admin(['migrate-to-postgres', '--from', t.url, '--to', url]);
      expect(again.code).toBe(1);
      const filled = Object.keys(tables)
        .filter((table) => tables[table]!.postgres.length > 0)
        .sort();
      expect(again.err).toEqual([text('admin.failed', { reason: text('admin.pgcopy.notEmpty', { tables: filled.join('、') }) })]);
      expect(await tablesOf(file, url)).toEqual(tables);

      // The bot on PostgreSQL: the next report gets the next number of the day and the next id.
      const sqlite = new Database(file, { readonly: true });
      const last = sqlite.prepare('SELECT MAX(id) AS id, MAX(number) AS number FROM "Ticket"').get() as { id: number; number: string };
      const lastAudit = (sqlite.prepare('SELECT MAX(id) AS id FROM "AuditLog"').get() as { id: number }).id;
      sqlite.close();
      const db = await openDatabase(url);
      const bot = buildBot({
        config: loadConfig({ DATABASE_URL: url, SIMULATOR: 'on', API_TOKEN }),
        db,
        directory: sampleDirectory(),
        clock: new AdjustableClock(new Date(START.getTime() + 2 * 60 * 60_000)),
        logger: false,
        holidayNotices: false,
      });
      try {
        await bot.app.ready();
        const res = await bot.app.inject({
          method: 'POST',
          url: '/simulator/api/messages',
          payload: { chatId: 'intake', userId: 'liu-yang', text: '心内科护士站的电脑蓝屏了，资产号PC-0777' },
        });
        expect(res.statusCode).toBe(200);
        const ticket = await db.ticket.findFirstOrThrow({ where: { assetNumber: 'PC-0777' } });
        const seq = Number(last.number.slice(-4)) + 1;
        expect(ticket.number).toBe(`${last.number.slice(0, -4)}${String(seq).padStart(4, '0')}`);
        expect(ticket.id).toBe(last.id + 1);
        expect((await db.auditLog.findFirstOrThrow({ where: { entityId: ticket.number } })).id).toBeGreaterThan(lastAudit);
      } finally {
        await bot.stop();
        await db.$disconnect();
      }
    } finally {
      await t.close();
    }
  }, 90_000);

  it('refuses a target that is not PostgreSQL, or a SQLite database not migrated', async () => {
    const noTarget = await admin(['migrate-to-postgres', '--from', 'file:/nonexistent/bot.db']);
    expect(noTarget.code).toBe(2);
    expect((await admin(['migrate-to-postgres', '--to', 'file:x.db'])).code).toBe(2);
    const missing = await admin(['migrate-to-postgres', '--from', 'file:/nonexistent/bot.db', '--to', testPgUrl!]);
    expect(missing.err).toEqual([text('admin.failed', { reason: text('admin.db.missing', { file: '/nonexistent/bot.db' }) })]);
  });
});
