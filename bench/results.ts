/**
 * The benchmark's figures: each recorded with its unit, the baseline it is read against and its
 * goal; printed as a table at the end and written to bench/results.json.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './bot.js';
import { round } from './load.js';

interface Row {
  name: string;
  value: string;
  baseline: string;
  goal: string;
  met: string;
}

export class BenchResults {
  private readonly values: Record<string, unknown> = {};
  private readonly rows: Row[] = [];
  /** Lines said under the table (what was not measured, and why). */
  readonly notes: string[] = [];

  report(name: string, value: number | null, unit: string, baseline?: string, goal?: { ok: (v: number) => boolean; text: string }) {
    const digits = value !== null && Math.abs(value) < 1 ? 4 : 2;
    this.values[name] = value === null ? null : round(value, digits);
    this.rows.push({
      name,
      value: value === null ? 'n/a' : `${round(value, digits)} ${unit}`.trim(),
      baseline: baseline ?? '',
      goal: goal?.text ?? '',
      met: !goal || value === null ? '' : goal.ok(value) ? 'yes' : 'NO',
    });
  }

  /** Prints the table and the notes, and writes bench/results.json with the run's settings. */
  write(run: { mode: string; load: object; seconds: number }): void {
    const { rows, notes } = this;
    const columns = ['name', 'value', 'baseline', 'goal', 'met'] as const;
    const widths = columns.map((k) => Math.max(k.length, ...rows.map((r) => [...r[k]].length)));
    const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(Math.max(0, widths[i]! - [...c].length))).join('  ');
    console.log(`\n${line([...columns])}`);
    for (const r of rows) console.log(line(columns.map((k) => r[k])));
    for (const n of notes) console.log(`note: ${n}`);
    const output = {
      ...this.values,
      mode: run.mode,
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.release()}` },
      load: run.load,
      baselines: Object.fromEntries(rows.map((r) => [r.name, r.baseline])),
      goals: Object.fromEntries(rows.filter((r) => r.goal).map((r) => [r.name, { goal: r.goal, met: r.met === '' ? null : r.met === 'yes' }])),
      notes,
      seconds: run.seconds,
    };
    writeFileSync(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify(output, null, 2)}\n`);
    console.log(`\nwrote bench/results.json in ${output.seconds} s`);
  }
}
