/**
 * Intake quality: runs test/fixtures/intake-eval.ts through the bot's simulator HTTP API (in
 * process, app.inject) and reports how often a message becomes the right ticket.
 *
 *   npx tsx bench/eval-intake.ts [--second | --third] [--all] [--json <file>]
 *
 * --second    the second set (test/fixtures/intake-eval-2.ts), written apart from the rules
 * --third     the third set (test/fixtures/intake-eval-3.ts), likewise, in another hospital's way of writing
 *
 * --all       list every miss (default: the first 80)
 * --json FILE also write the figures as JSON
 *
 * Exits 0 (it is a measurement) whatever the figures; 1 when the bot cannot be started, 2 for a bad
 * argument.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildBot, type Bot } from '../bot/app.js';
import { AdjustableClock } from '../bot/clock.js';
import { loadConfig } from '../bot/config.js';
import { openDatabase, type Db } from '../bot/db/client.js';
import { migrateDatabase } from '../bot/db/migrate.js';
import { Directory } from '../bot/org/directory.js';
import { loadOrgFile } from '../bot/org/load.js';
import { syncOrganisation } from '../bot/org/sync.js';
import { intakeEval2 } from '../test/fixtures/intake-eval-2.js';
import { intakeEval3 } from '../test/fixtures/intake-eval-3.js';
import { intakeEval, type EvalCase, type EvalPriority } from '../test/fixtures/intake-eval.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const ORG_FILE = path.join(ROOT, 'config/organisation.yaml');
const API_TOKEN = 'eval-intake-token-0123456789abcdef';
const CHAT = 'intake';
const START = new Date('2026-11-23T08:30:00+08:00');
const GAP_MINUTES = 40;
const DEFAULT_MISSES = 80;
const PRIORITIES: EvalPriority[] = ['P1', 'P2', 'P3', 'P4'];

interface ApiTicket {
  number: string;
  status: string;
  priority: string;
  system: string | null;
  systemId?: string | null;
  assetNumber: string | null;
  phone: string | null;
  createdAt: string;
}

interface Args {
  all: boolean;
  /** The cases: test/fixtures/intake-eval.ts, or with --second test/fixtures/intake-eval-2.ts. */
  set: EvalCase[];
  json?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { all: false, set: intakeEval };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--all') args.all = true;
    else if (a === '--second') args.set = intakeEval2;
    else if (a === '--third') args.set = intakeEval3;
    else if (a === '--json') {
      const file = argv[++i];
      if (!file) throw new Error('--json needs a file name');
      args.json = file;
    } else if (a?.startsWith('--json=')) args.json = a.slice('--json='.length);
    else throw new Error(`unknown argument: ${a} (use --all, --json <file>)`);
  }
  return args;
}

// ── the bot ──────────────────────────────────────────────────────────────────────────────────

interface Harness {
  bot: Bot;
  db: Db;
  directory: Directory;
  dir: string;
  close(): Promise<void>;
}

async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'eval-intake-'));
  let db: Db | undefined;
  let bot: Bot | undefined;
  const close = async () => {
    try {
      if (bot) await bot.stop();
    } finally {
      try {
        if (db) await db.$disconnect();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  };
  try {
    const url = `file:${path.join(dir, 'eval.db')}`;
    const config = loadConfig({
      DATABASE_URL: url,
      DATA_DIR: dir,
      ORG_FILE,
      API_TOKEN,
      SIMULATOR: 'on',
      LOG_LEVEL: 'silent',
    });
    process.env.TZ = config.TZ;
    const directory = new Directory(loadOrgFile(config.ORG_FILE));
    await migrateDatabase(config.DATABASE_URL);
    db = await openDatabase(config.DATABASE_URL);
    await syncOrganisation(db, directory);
    bot = buildBot({ config, db, directory, clock: new AdjustableClock(START), logger: false });
    await bot.app.ready();
    return { bot, db, directory, dir, close };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}

class Api {
  constructor(private readonly bot: Bot) {}

  private async post(url: string, payload: object): Promise<unknown> {
    const res = await this.bot.app.inject({ method: 'POST', url, payload });
    if (res.statusCode !== 200) throw new Error(`POST ${url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    return res.json();
  }

  say(userId: string, text: string) {
    return this.post('/simulator/api/messages', { chatId: CHAT, userId, text });
  }

  advance(minutes: number) {
    return this.post('/simulator/api/clock', { advanceMinutes: minutes });
  }

  async tickets(): Promise<ApiTicket[]> {
    const res = await this.bot.app.inject({
      method: 'GET',
      url: '/api/tickets?limit=500',
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    if (res.statusCode !== 200) throw new Error(`GET /api/tickets → ${res.statusCode} ${res.body.slice(0, 200)}`);
    return (res.json() as { tickets: ApiTicket[] }).tickets;
  }
}

// ── scoring ──────────────────────────────────────────────────────────────────────────────────

type Field = 'priority' | 'system' | 'asset' | 'phone' | 'chatterNoTicket' | 'followupNoSecondTicket' | 'reportOneTicket';
const FIELDS: { key: Field; label: string }[] = [
  { key: 'priority', label: 'priority' },
  { key: 'system', label: 'system' },
  { key: 'asset', label: 'asset' },
  { key: 'phone', label: 'phone' },
  { key: 'chatterNoTicket', label: 'chatter-no-ticket' },
  { key: 'followupNoSecondTicket', label: 'followup-no-second-ticket' },
  { key: 'reportOneTicket', label: 'report-one-ticket' },
];

interface Actual {
  tickets: number;
  priority?: string;
  system?: string | null;
  asset?: string | null;
  phone?: string | null;
  error?: string;
}

interface CaseResult {
  index: number;
  case: EvalCase;
  actual: Actual;
  checks: Partial<Record<Field, boolean>>;
  passed: boolean;
}

/** The organisation file's system id for the ticket's system (display name), null when it has none. */
function systemIdOf(ticket: ApiTicket, directory: Directory): string | null {
  if (ticket.systemId) return ticket.systemId;
  const name = ticket.system;
  if (!name) return null;
  const systems = directory.org.systems;
  const found =
    systems.find((s) => s.name === name) ??
    systems.find((s) => s.name.toLowerCase() === name.toLowerCase()) ??
    systems.find((s) => s.id === name.toLowerCase());
  return found ? found.id : `?${name}`;
}

function score(index: number, c: EvalCase, actual: Actual): CaseResult {
  const checks: CaseResult['checks'] = {};
  if (c.kind === 'chatter') checks.chatterNoTicket = actual.tickets === 0;
  if (c.kind === 'report') checks.reportOneTicket = actual.tickets === 1;
  if (c.kind === 'followup') checks.followupNoSecondTicket = actual.tickets === 1;
  const e = c.expect;
  if (e && c.kind !== 'chatter') {
    const has = actual.tickets > 0;
    checks.priority = has && actual.priority === e.priority;
    checks.system = has && actual.system === e.system;
    if (e.asset !== undefined) checks.asset = has && (actual.asset ?? null) === e.asset;
    if (e.phone !== undefined && e.phone !== null) checks.phone = has && actual.phone === e.phone;
  }
  const passed = !actual.error && Object.values(checks).every(Boolean);
  return { index, case: c, actual, checks, passed };
}

async function runCase(api: Api, directory: Directory, index: number, c: EvalCase): Promise<CaseResult> {
  const actual: Actual = { tickets: 0 };
  let fresh: ApiTicket[] = [];
  try {
    await api.advance(GAP_MINUTES);
    const before = new Set((await api.tickets()).map((t) => t.number));
    await api.say(c.from, c.text);
    if (c.kind === 'followup' && c.followUp !== undefined) {
      await api.advance(GAP_MINUTES);
      await api.say(c.from, c.followUp);
    }
    fresh = (await api.tickets())
      .filter((t) => !before.has(t.number))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.number.localeCompare(b.number));
    actual.tickets = fresh.length;
    const first = fresh[0];
    if (first) {
      actual.priority = first.priority;
      actual.system = systemIdOf(first, directory);
      actual.asset = first.assetNumber ?? null;
      actual.phone = first.phone ?? null;
    }
  } catch (err) {
    actual.error = (err as Error).message;
  }
  // End what this case opened, so the next case starts clean: 好了 closes the sender's latest active ticket.
  for (let i = 0; i < fresh.length; i++) {
    try {
      await api.say(c.from, '好了');
    } catch {
      break;
    }
  }
  return score(index, c, actual);
}

// ── report ───────────────────────────────────────────────────────────────────────────────────

interface Tally {
  correct: number;
  total: number;
  accuracy: number | null;
}

const tally = (correct: number, total: number): Tally => ({ correct, total, accuracy: total ? correct / total : null });
const pct = (t: Tally) => (t.accuracy === null ? '   –  ' : `${(t.accuracy * 100).toFixed(1).padStart(5)}%`);

/** Display width: CJK and full-width characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|\p{Extended_Pictographic}/u.test(ch) ? 2 : 1;
  return w;
}
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));
const clip = (s: string, n: number) => {
  let out = '';
  for (const ch of s) {
    if (width(out + ch) > n - 1) return `${out}…`;
    out += ch;
  }
  return out;
};

function describeExpected(c: EvalCase): string {
  if (c.kind === 'chatter' || !c.expect) return 'no ticket';
  const e = c.expect;
  const parts = [e.priority, e.system ?? 'no system'];
  if (e.asset !== undefined) parts.push(`asset ${e.asset ?? '—'}`);
  if (e.phone) parts.push(`phone ${e.phone}`);
  parts.push(c.kind === 'followup' ? '1 ticket after follow-up' : '1 ticket');
  return parts.join(' / ');
}

function describeActual(r: CaseResult): string {
  const a = r.actual;
  if (a.error) return `error: ${a.error}`;
  if (a.tickets === 0) return 'no ticket';
  const parts = [a.priority ?? '?', a.system ?? 'no system'];
  if (r.case.expect?.asset !== undefined) parts.push(`asset ${a.asset ?? '—'}`);
  if (r.case.expect?.phone) parts.push(`phone ${a.phone ?? '—'}`);
  parts.push(`${a.tickets} ticket${a.tickets === 1 ? '' : 's'}`);
  return parts.join(' / ');
}

function summarise(results: CaseResult[]) {
  const fields = Object.fromEntries(
    FIELDS.map(({ key }) => {
      const scored = results.filter((r) => r.checks[key] !== undefined);
      return [key, tally(scored.filter((r) => r.checks[key]).length, scored.length)];
    }),
  ) as Record<Field, Tally>;

  const confusion: Record<string, Record<string, number>> = {};
  for (const expected of PRIORITIES) {
    confusion[expected] = Object.fromEntries([...PRIORITIES, 'none'].map((p) => [p, 0]));
  }
  for (const r of results) {
    const expected = r.case.kind === 'chatter' ? undefined : r.case.expect?.priority;
    if (!expected) continue;
    const actual = r.actual.tickets > 0 && PRIORITIES.includes(r.actual.priority as EvalPriority) ? r.actual.priority! : 'none';
    confusion[expected]![actual]! += 1;
  }

  const tagNames = new Set<string>();
  for (const r of results) for (const t of r.case.tags ?? []) tagNames.add(t);
  const tags = Object.fromEntries(
    [...tagNames].sort().map((tag) => {
      const withTag = results.filter((r) => r.case.tags?.includes(tag));
      return [tag, tally(withTag.filter((r) => r.passed).length, withTag.length)];
    }),
  );
  const kinds = Object.fromEntries(
    (['report', 'chatter', 'followup'] as const).map((kind) => {
      const ofKind = results.filter((r) => r.case.kind === kind);
      return [kind, tally(ofKind.filter((r) => r.passed).length, ofKind.length)];
    }),
  );
  return { fields, confusion, tags, kinds, cases: tally(results.filter((r) => r.passed).length, results.length) };
}

function print(results: CaseResult[], summary: ReturnType<typeof summarise>, args: Args, seconds: number): void {
  const out: string[] = [];
  out.push(`Intake evaluation: ${results.length} cases in ${seconds.toFixed(1)} s`, '');
  out.push('Per field');
  for (const { key, label } of FIELDS) {
    const t = summary.fields[key];
    out.push(`  ${pad(label, 28)}${pct(t)}  ${String(t.correct).padStart(4)} / ${t.total}`);
  }
  out.push(`  ${pad('cases fully right', 28)}${pct(summary.cases)}  ${String(summary.cases.correct).padStart(4)} / ${summary.cases.total}`);
  for (const [kind, t] of Object.entries(summary.kinds)) {
    out.push(`    ${pad(kind, 26)}${pct(t)}  ${String(t.correct).padStart(4)} / ${t.total}`);
  }

  out.push('', 'Priority confusion (rows expected, columns actual; "none" = no ticket)');
  out.push(`  ${pad('', 6)}${[...PRIORITIES, 'none'].map((p) => p.padStart(6)).join('')}`);
  for (const expected of PRIORITIES) {
    const row = summary.confusion[expected]!;
    out.push(`  ${pad(expected, 6)}${[...PRIORITIES, 'none'].map((p) => String(row[p]).padStart(6)).join('')}`);
  }

  out.push('', 'Per tag (cases fully right)');
  for (const [tag, t] of Object.entries(summary.tags)) {
    out.push(`  ${pad(tag, 28)}${pct(t)}  ${String(t.correct).padStart(4)} / ${t.total}`);
  }

  const misses = results.filter((r) => !r.passed);
  out.push('', `Misses (${misses.length})`);
  const shown = args.all ? misses : misses.slice(0, DEFAULT_MISSES);
  for (const r of shown) {
    const text = r.case.followUp !== undefined ? `${r.case.text} ⏎ ${r.case.followUp}` : r.case.text;
    const failed = Object.entries(r.checks)
      .filter(([, ok]) => !ok)
      .map(([k]) => FIELDS.find((f) => f.key === k)?.label ?? k)
      .join(',');
    out.push(
      `  #${String(r.index).padEnd(4)}${pad(r.case.kind, 9)}${pad(clip(text, 46), 47)}expected ${describeExpected(r.case)}  |  actual ${describeActual(r)}${failed ? `  [${failed}]` : ''}`,
    );
  }
  if (shown.length < misses.length) out.push(`  … ${misses.length - shown.length} more (--all shows them all)`);
  console.log(out.join('\n'));
}

// ── main ─────────────────────────────────────────────────────────────────────────────────────

/** Runs the cases through a bot of its own (or the given one, which it then stops) and scores them. */
export async function evaluate(cases: EvalCase[], given?: Harness) {
  const harness = given ?? (await startHarness());
  const results: CaseResult[] = [];
  try {
    const api = new Api(harness.bot);
    for (const [index, c] of cases.entries()) {
      results.push(await runCase(api, harness.directory, index, c));
      if (process.stderr.isTTY) process.stderr.write(`\r${index + 1} / ${cases.length}`);
    }
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  } finally {
    await harness.close().catch((err: unknown) => console.error('stopping the bot failed:', err));
  }
  return { results, summary: summarise(results) };
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  let harness: Harness;
  try {
    harness = await startHarness();
  } catch (err) {
    console.error('The bot did not start:', err);
    return 1;
  }
  const began = Date.now();
  const { results, summary } = await evaluate(args.set, harness);
  const seconds = (Date.now() - began) / 1000;
  print(results, summary, args, seconds);
  if (args.json) {
    const figures = {
      cases: results.length,
      seconds,
      fields: summary.fields,
      overall: summary.cases,
      kinds: summary.kinds,
      confusion: summary.confusion,
      tags: summary.tags,
      misses: results
        .filter((r) => !r.passed)
        .map((r) => ({
          index: r.index,
          kind: r.case.kind,
          from: r.case.from,
          text: r.case.text,
          followUp: r.case.followUp,
          expected: r.case.kind === 'chatter' ? null : r.case.expect,
          actual: r.actual,
          failed: Object.entries(r.checks)
            .filter(([, ok]) => !ok)
            .map(([k]) => k),
        })),
    };
    writeFileSync(args.json, `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`\nFigures written to ${args.json}`);
  }
  return 0;
}

// Run as a script (npm run eval:intake), not when a test imports evaluate().
if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
