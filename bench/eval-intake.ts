/**
 * Intake quality: runs test/fixtures/intake-eval.ts through the bot's simulator HTTP API (in
 * process, app.inject) and reports how often a message becomes the right ticket.
 *
 *   npx tsx bench/eval-intake.ts [--second | --third | --fourth] [--all] [--json <file>]
 *
 * --second    the second set (test/fixtures/intake-eval-2.ts), written apart from the rules
 * --third     the third set (test/fixtures/intake-eval-3.ts), likewise, in another hospital's way of writing
 * --fourth    the fourth set (test/fixtures/intake-eval-4.ts), likewise, in a southern hospital's way of writing
 *
 * --all       list every miss (default: the first 80)
 * --json FILE also write the figures as JSON
 *
 * Exits 0 (it is a measurement) whatever the figures; 1 when the bot cannot be started, 2 for a bad
 * argument.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { intakeEval2 } from '../test/fixtures/intake-eval-2.js';
import { intakeEval3 } from '../test/fixtures/intake-eval-3.js';
import { intakeEval4 } from '../test/fixtures/intake-eval-4.js';
import { intakeEval, type EvalCase } from '../test/fixtures/intake-eval.js';
import { startHarness, type Harness } from './eval-intake/harness.js';
import { evaluate, FIELDS, PRIORITIES, type CaseResult, type summarise, type Tally } from './eval-intake/score.js';

const DEFAULT_MISSES = 80;

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
    else if (a === '--fourth') args.set = intakeEval4;
    else if (a === '--json') {
      const file = argv[++i];
      if (!file) throw new Error('--json needs a file name');
      args.json = file;
    } else if (a?.startsWith('--json=')) args.json = a.slice('--json='.length);
    else throw new Error(`unknown argument: ${a} (use --second, --third, --fourth, --all, --json <file>)`);
  }
  return args;
}

// ── the bot ──────────────────────────────────────────────────────────────────────────────────

// ── report ───────────────────────────────────────────────────────────────────────────────────

const pct = (t: Tally) => (t.accuracy === null ? '   –  ' : `${(t.accuracy * 100).toFixed(1).padStart(5)}%`);

/** Display width: CJK and full-width characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|\p{Extended_Pictographic}/u.test(ch) ? 2 : 1;
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
