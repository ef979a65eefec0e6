/**
 * `npm run bench:start [-- --runs N --idle S -- command args…]`: how long the bot takes from spawn
 * to a `/healthz` answering ok, and how much memory it holds once idle, with the defaults
 * (simulator, SQLite) on an already migrated database. The command defaults to
 * `node dist/bot/main.js` (what `npm start` runs); give another one after `--` to compare, e.g.
 * `npm run bench:start -- -- node_modules/.bin/tsx bot/main.ts`.
 *
 * Each run gets a free PORT; all runs share one temporary DATA_DIR / DATABASE_URL, migrated by a
 * first, unmeasured start. RSS is VmRSS from /proc of the started process and all its descendants
 * (a wrapper such as tsx or npm runs the bot in a child process), after `--idle` seconds; the peak
 * is the largest such sum seen while starting. Plain JavaScript, so it needs no build and no tsx.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const opts = { runs: 5, idle: 5, timeout: 60, command: ['node', 'dist/bot/main.js'] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      if (argv.length > i + 1) opts.command = argv.slice(i + 1);
      break;
    } else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--idle') opts.idle = Number(argv[++i]);
    else if (a === '--timeout') opts.timeout = Number(argv[++i]);
    else if (a === '--help' || a === '-h') {
      console.log('usage: node bench/start.mjs [--runs N] [--idle seconds] [--timeout seconds] [-- command args…]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!(opts.runs >= 1) || !(opts.idle >= 0)) throw new Error('--runs must be ≥ 1 and --idle ≥ 0');
  return opts;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Parent pid of every process, from /proc/<pid>/stat (the field after the parenthesised name). */
function parents() {
  const map = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      map.set(Number(name), ppid);
    } catch {
      // gone meanwhile
    }
  }
  return map;
}

/** The process and its descendants. */
function tree(pid) {
  const ppid = parents();
  const all = [pid];
  for (let i = 0; i < all.length; i++) for (const [p, pp] of ppid) if (pp === all[i]) all.push(p);
  return all;
}

function rssKb(pid) {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** VmRSS of the process tree: the sum, and the largest single process. */
function treeRss(pid) {
  const each = tree(pid).map(rssKb);
  return { totalMb: each.reduce((a, b) => a + b, 0) / 1024, largestMb: Math.max(0, ...each) / 1024, processes: each.length };
}

async function healthy(port) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
    if (!res.ok) return false;
    const body = await res.json();
    return body.status === 'ok';
  } catch {
    return false;
  }
}

/** Starts the command, waits for /healthz, idles, measures, stops. */
async function once(command, env, logFile, opts) {
  const port = await freePort();
  const log = openSync(logFile, 'a');
  const started = performance.now();
  const child = spawn(command[0], command.slice(1), {
    cwd: ROOT,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let peakMb = 0;
  let readyMs;
  try {
    while (readyMs === undefined) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the command exited before /healthz was ok (see ${logFile})`);
      if (performance.now() - started > opts.timeout * 1000) throw new Error(`no ok /healthz within ${opts.timeout} s (see ${logFile})`);
      peakMb = Math.max(peakMb, treeRss(child.pid).totalMb);
      if (await healthy(port)) readyMs = performance.now() - started;
      else await sleep(20);
    }
    const until = performance.now() + opts.idle * 1000;
    while (performance.now() < until) {
      peakMb = Math.max(peakMb, treeRss(child.pid).totalMb);
      await sleep(250);
    }
    const idle = treeRss(child.pid);
    return { readyMs, idleMb: idle.totalMb, largestMb: idle.largestMb, processes: idle.processes, peakMb: Math.max(peakMb, idle.totalMb) };
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    const stop = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 10_000);
    await exited;
    clearTimeout(stop);
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (n, digits = 0) => n.toFixed(digits);

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-bench-start-'));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    DATABASE_URL: `file:${path.join(dir, 'helpdesk.db')}`,
  };
  const logFile = path.join(dir, 'bot.log');
  let ok = false;
  try {
    console.log(`command: ${opts.command.join(' ')}`);
    const first = await once(opts.command, env, logFile, { ...opts, idle: 0 });
    console.log(`first start (creates and migrates the database): ${fmt(first.readyMs)} ms to /healthz ok`);
    const runs = [];
    for (let i = 0; i < opts.runs; i++) {
      const r = await once(opts.command, env, logFile, opts);
      runs.push(r);
      console.log(
        `run ${i + 1}: ${fmt(r.readyMs)} ms to /healthz ok; idle RSS ${fmt(r.idleMb, 1)} MB (${r.processes} process${r.processes === 1 ? '' : 'es'}, largest ${fmt(r.largestMb, 1)} MB); peak ${fmt(r.peakMb, 1)} MB`,
      );
    }
    console.log(
      `median of ${runs.length}: spawn → /healthz ok ${fmt(median(runs.map((r) => r.readyMs)))} ms; idle RSS ${fmt(median(runs.map((r) => r.idleMb)), 1)} MB (largest process ${fmt(median(runs.map((r) => r.largestMb)), 1)} MB); peak while starting ${fmt(median(runs.map((r) => r.peakMb)), 1)} MB`,
    );
    ok = true;
  } finally {
    if (ok) rmSync(dir, { recursive: true, force: true });
    else console.error(`kept ${dir} for its log`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
