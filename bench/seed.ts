import Database from 'better-sqlite3';
import pg from 'pg';
import { ENGINEERS_CHAT, intakeChat, type OrgPerson } from './bot.js';

const COLUMNS = [
  'number',
  'status',
  'priority',
  'title',
  'description',
  'reporterId',
  'departmentId',
  'system',
  'category',
  'itGroupId',
  'assigneeId',
  'responseDueAt',
  'resolveDueAt',
  'claimedAt',
  'resolvedAt',
  'closedAt',
  'closeReason',
  'rating',
  'sourcePlatform',
  'sourceChatId',
  'sourceMessageId',
  'version',
  'createdAt',
  'updatedAt',
] as const;

const SYSTEMS = [
  ['打印机', 'hardware', 'systems'],
  ['电脑', 'hardware', 'systems'],
  ['HIS', 'software', 'application'],
  ['网络', 'network', 'network'],
  ['LIS', 'software', 'application'],
  ['PACS', 'software', 'application'],
] as const;
const PRIORITY = ['P1', 'P2', 'P3', 'P3', 'P3', 'P4'];
const MIN = 60_000;

type Row = (string | number | Date | null)[];

/** Tickets spread evenly over [from, to): most closed and rated, the newest still open or claimed. */
function* ticketRows(
  count: number,
  from: Date,
  to: Date,
  reporters: OrgPerson[],
  engineers: OrgPerson[],
  opts: { allOpen?: boolean; day?: string } = {},
): Generator<Row> {
  const span = to.getTime() - from.getTime();
  const perDay = new Map<string, number>();
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < count; i++) {
    const created = new Date(from.getTime() + Math.floor((i / count) * span));
    const day = opts.day ?? created.toISOString().slice(0, 10).replaceAll('-', '');
    const seq = (perDay.get(day) ?? 0) + 1;
    perDay.set(day, seq);
    const reporter = reporters[i % reporters.length]!;
    const engineer = engineers[i % engineers.length]!;
    const [system, category, group] = SYSTEMS[i % SYSTEMS.length]!;
    const priority = PRIORITY[i % PRIORITY.length]!;
    const respondDue = new Date(created.getTime() + 120 * MIN);
    const age = to.getTime() - created.getTime();
    const r = rand();
    const status = opts.allOpen ? 'open' : age < 2 * 86_400_000 ? (r < 0.4 ? 'open' : r < 0.7 ? 'claimed' : 'resolved') : 'closed';
    const claimed = status === 'open' ? null : new Date(created.getTime() + Math.floor(r * 240) * MIN);
    const resolved = status === 'resolved' || status === 'closed' ? new Date(created.getTime() + Math.floor(60 + r * 600) * MIN) : null;
    const closed = status === 'closed' ? new Date(resolved!.getTime() + 60 * MIN) : null;
    yield [
      `IT-${day}-${String(seq).padStart(4, '0')}`,
      status,
      priority,
      `${system}故障`,
      `门诊3楼${200 + (i % 50)}诊室${system}故障，资产号PC-${String(i % 10_000).padStart(4, '0')}`,
      reporter.id,
      reporter.department,
      system,
      category,
      group,
      status === 'open' ? null : engineer.id,
      respondDue,
      new Date(created.getTime() + 480 * MIN),
      claimed,
      resolved,
      closed,
      closed ? 'confirmed' : null,
      closed && r < 0.6 ? 1 + Math.floor(r * 8.3) : null,
      'feishu',
      intakeChat(i),
      `om_seed_${i}`,
      1,
      created,
      closed ?? resolved ?? claimed ?? created,
    ];
  }
}

const iso = (v: Row[number]) => (v instanceof Date ? v.toISOString().replace('Z', '+00:00') : v);

/** Raw multi-row INSERTs in one transaction, straight into the SQLite file (the bot is not running). */
export function seedSqlite(
  file: string,
  count: number,
  from: Date,
  to: Date,
  reporters: OrgPerson[],
  engineers: OrgPerson[],
  opts: { allOpen?: boolean; day?: string; cards?: boolean } = {},
): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  const per = 1000;
  const insert = (n: number) =>
    db.prepare(
      `INSERT INTO "Ticket" (${COLUMNS.map((c) => `"${c}"`).join(',')}) VALUES ${Array.from({ length: n }, () => `(${COLUMNS.map(() => '?').join(',')})`).join(',')}`,
    );
  const full = insert(per);
  // Indexes are built once at the end: much faster than keeping nine of them up to date row by row.
  const indexes = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Ticket' AND sql IS NOT NULL`).all() as {
    name: string;
    sql: string;
  }[];
  for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
  db.transaction(() => {
    let batch: Row[] = [];
    const flush = () => {
      if (batch.length === 0) return;
      (batch.length === per ? full : insert(batch.length)).run(...batch.flat().map(iso));
      batch = [];
    };
    for (const row of ticketRows(count, from, to, reporters, engineers, opts)) {
      batch.push(row);
      if (batch.length === per) flush();
    }
    flush();
    if (opts.cards) {
      // Each ticket's dispatch card, as already sent to the engineers' group.
      const now = iso(new Date());
      db.prepare(
        `INSERT INTO "MessageRef" ("entityType","entityId","kind","platform","chatId","messageId","createdAt","sentAt")
         SELECT 'ticket', "number", 'dispatch', 'feishu', ?, 'om_card_' || "id", ?, ? FROM "Ticket"`,
      ).run(ENGINEERS_CHAT, now, now);
    }
  })();
  for (const index of indexes) db.exec(index.sql);
  db.close();
}

/** The same rows into PostgreSQL, in one transaction. */
export async function seedPostgres(url: string, count: number, from: Date, to: Date, reporters: OrgPerson[], engineers: OrgPerson[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('TRUNCATE "Ticket" CASCADE');
    const per = 2000;
    let batch: Row[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const values = batch.map((_, r) => `(${COLUMNS.map((_, c) => `$${r * COLUMNS.length + c + 1}`).join(',')})`).join(',');
      await client.query(`INSERT INTO "Ticket" (${COLUMNS.map((c) => `"${c}"`).join(',')}) VALUES ${values}`, batch.flat());
      batch = [];
    };
    for (const row of ticketRows(count, from, to, reporters, engineers)) {
      batch.push(row);
      if (batch.length === per) await flush();
    }
    await flush();
    await client.query('COMMIT');
    await client.query('ANALYZE "Ticket"');
  } finally {
    await client.end();
  }
}
