/** Scoring the intake evaluation: each case through the simulator API, each field against its label. */
import type { Directory } from '../../bot/org/directory.js';
import type { EvalCase, EvalPriority } from '../../test/fixtures/intake-eval.js';
import { Api, startHarness, type ApiTicket, type Harness } from './harness.js';

const GAP_MINUTES = 40;
export const PRIORITIES: EvalPriority[] = ['P1', 'P2', 'P3', 'P4'];

// ── scoring ──────────────────────────────────────────────────────────────────────────────────

export type Field = 'priority' | 'system' | 'asset' | 'phone' | 'chatterNoTicket' | 'followupNoSecondTicket' | 'reportOneTicket';
export const FIELDS: { key: Field; label: string }[] = [
  { key: 'priority', label: 'priority' },
  { key: 'system', label: 'system' },
  { key: 'asset', label: 'asset' },
  { key: 'phone', label: 'phone' },
  { key: 'chatterNoTicket', label: 'chatter-no-ticket' },
  { key: 'followupNoSecondTicket', label: 'followup-no-second-ticket' },
  { key: 'reportOneTicket', label: 'report-one-ticket' },
];

export interface Actual {
  tickets: number;
  priority?: string;
  system?: string | null;
  asset?: string | null;
  phone?: string | null;
  error?: string;
}

export interface CaseResult {
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

export function score(index: number, c: EvalCase, actual: Actual): CaseResult {
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

export async function runCase(api: Api, directory: Directory, index: number, c: EvalCase): Promise<CaseResult> {
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

export interface Tally {
  correct: number;
  total: number;
  accuracy: number | null;
}

export const tally = (correct: number, total: number): Tally => ({ correct, total, accuracy: total ? correct / total : null });

export function summarise(results: CaseResult[]) {
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
