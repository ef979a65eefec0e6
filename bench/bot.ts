import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { ENCRYPT_KEY, VERIFICATION_TOKEN } from '../test/helpers/feishu-events.js';
import { HttpClient } from './load.js';

export const ROOT = path.resolve(import.meta.dirname, '..');
/**
 * The checkout whose bot is measured: this one, or `BENCH_BOT_ROOT` (another checkout of the
 * project, e.g. the main branch, to measure before and after in the same conditions).
 */
export const BOT_ROOT = path.resolve(process.env.BENCH_BOT_ROOT || ROOT);

/**
 * How the bot is run: as `npm start` runs it (`node dist/bot/main.js`, built first when stale),
 * or, when dist/ cannot be built (no TypeScript installed), from the sources through tsx.
 */
export function botCommand(): { args: string[]; compiled: boolean } {
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: BOT_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status === 0 && existsSync(path.join(BOT_ROOT, 'dist/bot/main.js'))) return { args: ['dist/bot/main.js'], compiled: true };
  return { args: ['--import', 'tsx', 'bot/main.ts'], compiled: false };
}
let command: ReturnType<typeof botCommand> | undefined;
export const API_TOKEN = 'bench-api-token-0123456789';
export const INTAKE_CHATS = 50;
export const intakeChat = (i: number) => `oc_bench_intake_${String((i % INTAKE_CHATS) + 1).padStart(2, '0')}`;
export const ENGINEERS_CHAT = 'oc_bench_engineers';
export const LEADERSHIP_CHAT = 'oc_bench_leadership';
export const openId = (personId: string) => `ou_${personId.replaceAll('-', '_')}`;

export interface OrgPerson {
  id: string;
  department: string;
  roles: string[];
}

/** The sample hospital with Feishu ids for everyone, 50 intake groups, and the engineers' and leadership groups. */
export function writeBenchOrg(dir: string): { file: string; reporters: OrgPerson[]; engineers: OrgPerson[]; leaders: OrgPerson[] } {
  const org = parse(readFileSync(path.join(ROOT, 'config/organisation.yaml'), 'utf8'));
  for (const person of org.people) person.ids = { feishu: { open_id: openId(person.id) } };
  const chats = [];
  for (const chat of org.chats) {
    if (chat.purpose === 'intake') {
      chats.push({ ...chat, ids: { feishu: intakeChat(0) } });
      for (let i = 1; i < INTAKE_CHATS; i++)
        chats.push({ id: `${chat.id}-${i + 1}`, name: `${chat.name}${i + 1}`, purpose: 'intake', ids: { feishu: intakeChat(i) } });
    } else chats.push({ ...chat, ids: { feishu: chat.purpose === 'engineers' ? ENGINEERS_CHAT : LEADERSHIP_CHAT } });
  }
  org.chats = chats;
  const file = path.join(dir, 'organisation.yaml');
  writeFileSync(file, stringify(org));
  const people = org.people as OrgPerson[];
  return {
    file,
    reporters: people.filter((p) => p.department !== 'it' && p.roles.includes('reporter')),
    engineers: people.filter((p) => p.roles.includes('it_engineer')),
    leaders: people.filter((p) => p.roles.includes('leadership')),
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Resident set size of a process now, from /proc (Linux), in MB. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

export interface BotProcess {
  child: ChildProcess;
  url: string;
  http: HttpClient;
  dir: string;
  dbFile: string | undefined;
  log: string;
  coldStartMs: number;
  /** SQL statements sent to SQLite so far (only with `countStatements`): data statements and transaction control. */
  statements(): Promise<{ data: number; control: number }>;
  /**
   * Waits for the log line that says the start-up work deferred past `/healthz` is done, and gives
   * its time since spawn; NaN when no such line came within `timeoutMs` (a bot that defers nothing).
   */
  startupDone(timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The bot under test as its own process (`node dist/bot/main.js`, as `npm start` runs it; see
 * botCommand), Feishu over HTTP against the stand-in, on `databaseUrl` (default: a copy of the
 * migrated template). `countStatements` loads bench/count-statements.mjs into it.
 */
export async function startBot(opts: {
  dir: string;
  orgFile: string;
  feishuUrl: string;
  template?: string;
  databaseUrl?: string;
  env?: Record<string, string>;
  cpuProf?: boolean;
  heapProf?: boolean;
  countStatements?: boolean;
}): Promise<BotProcess> {
  command ??= botCommand();
  const port = await freePort();
  let dbFile: string | undefined;
  let databaseUrl = opts.databaseUrl;
  if (!databaseUrl) {
    dbFile = path.join(opts.dir, 'bot.db');
    if (opts.template) copyFileSync(opts.template, dbFile);
    databaseUrl = `file:${dbFile}`;
  }
  const logFile = path.join(opts.dir, 'bot.log');
  const log = openSync(logFile, 'a');
  const profiles = path.join(ROOT, 'bench', 'profiles');
  const args = [
    ...(opts.countStatements ? ['--import', path.join(ROOT, 'bench/count-statements.mjs')] : []),
    ...(opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`] : []),
    ...(opts.heapProf ? ['--heap-prof', `--heap-prof-dir=${profiles}`] : []),
    ...command.args,
  ];
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: BOT_ROOT,
    stdio: ['ignore', log, log, ...(opts.countStatements ? (['ipc'] as const) : [])],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      ORG_FILE: opts.orgFile,
      DATA_DIR: opts.dir,
      LOG_LEVEL: 'info',
      SIMULATOR: 'off',
      API_TOKEN,
      FEISHU_APP_ID: 'cli_bench',
      FEISHU_APP_SECRET: 'bench-secret',
      FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
      FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
      FEISHU_DOMAIN: opts.feishuUrl,
      ...opts.env,
    },
  });
  let exited = false;
  child.on('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  const http = new HttpClient(url);
  for (;;) {
    if (exited) throw new Error(`the bot exited during start; see ${path.join(opts.dir, 'bot.log')}`);
    const ok = await http.request('GET', '/healthz').then(
      (r) => r.status === 200 && r.body.includes('"ok"'),
      () => false,
    );
    if (ok) break;
    if (performance.now() - started > 60_000) throw new Error('the bot did not start within 60 s');
    await new Promise((r) => setTimeout(r, 10));
  }
  const coldStartMs = performance.now() - started;
  return {
    child,
    url,
    http,
    dir: opts.dir,
    dbFile,
    log: logFile,
    coldStartMs,
    statements() {
      if (!child.send) return Promise.reject(new Error('the bot was not started with countStatements'));
      return new Promise((resolve) => {
        const onMessage = (m: any) => {
          if (!m?.statements) return;
          child.off('message', onMessage);
          resolve(m.statements);
        };
        child.on('message', onMessage);
        child.send({ countStatements: true });
      });
    },
    async startupDone(timeoutMs = 60_000) {
      for (const until = performance.now() + timeoutMs; performance.now() < until;) {
        const line = readFileSync(logFile, 'utf8')
          .split('\n')
          .find((l) => l.includes('"start-up work done"'));
        if (line) return Number(JSON.parse(line).sinceSpawnMs ?? NaN);
        if (exited) throw new Error(`the bot exited; see ${logFile}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return NaN;
    },
    async stop() {
      http.close();
      if (exited) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      // Writing a CPU profile of a long run takes a while after the bot has stopped.
      await Promise.race([done, new Promise((r) => setTimeout(r, opts.cpuProf || opts.heapProf ? 60_000 : 10_000))]);
      if (!exited) child.kill('SIGKILL');
    },
  };
}

/** The baseline server as its own process. */
export async function startEcho(): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = fork(path.join(ROOT, 'bench/echo-server.mjs'), [], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const address = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { address: string }).address));
    child.once('exit', () => reject(new Error('the echo server exited')));
  });
  return {
    url: address,
    child,
    async stop() {
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await done;
    },
  };
}

export function tempDir(name: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `helpdesk-bench-${name}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
