import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

/** The bot running as `npm start` runs it, in its own process group. */
export interface BotProcess {
  child: ChildProcess;
  exited: Promise<void>;
  url: string;
  output(): string;
}

/** Every bot process a test file started, so `killAll` can end them whatever happened. */
const running = new Set<ChildProcess>();

/** A started bot process as far as its output goes: where it listens, what it wrote, when it exits. */
export interface Listening {
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * Collects a spawned bot's stdout and stderr and waits (30 s at most) for its `listening at` line;
 * throws with what it wrote when it exits or never listens (`what` names it in the error).
 */
export async function untilListening(child: ChildProcess, what = 'the bot'): Promise<Listening> {
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = Date.now();
  let port: string | undefined;
  while (!port && Date.now() - started < 30_000 && child.exitCode === null) {
    port = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
    if (!port) await new Promise((r) => setTimeout(r, 50));
  }
  if (!port) throw new Error(`${what} did not start:\n${out}`);
  return { url: `http://127.0.0.1:${port}`, output: () => out, exited };
}

/** Starts the bot with `env` (on top of a bare PATH and HOME), in its own process group, and waits for it to listen. */
export async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const child = spawn(tsx, ['bot/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  const { url, output, exited } = await untilListening(child);
  return { child, exited: exited.then(() => undefined), url, output };
}

/** tsx runs the bot in a child node process: the whole process group goes. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

export function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends every bot process still running (for afterAll). */
export function killAll(): void {
  for (const child of running) killGroup(child);
}
