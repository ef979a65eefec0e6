import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { untilListening } from './bot-process.js';

const root = path.resolve(import.meta.dirname, '../..');

export interface ChildBot {
  child: ChildProcess;
  /** The base URL it listens at (127.0.0.1, a free port). */
  url: string;
  /** Everything it wrote so far, stdout and stderr. */
  output(): string;
  /** The JSON log lines it wrote so far. */
  logLines(): Record<string, unknown>[];
  exited: Promise<number | null>;
  /** SIGTERM, and its exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts bot/main.ts in one node process (tsx as a loader, so signals reach the bot itself), with
 * only the given environment (and `imports` loaded first, with --import), and waits until it listens.
 */
export async function startChildBot(env: Record<string, string>, opts: { imports?: string[] } = {}): Promise<ChildBot> {
  const imports = (opts.imports ?? []).flatMap((file) => ['--import', file]);
  const child = spawn(process.execPath, ['--import', 'tsx', ...imports, 'bot/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { url, output, exited } = await untilListening(child).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  const logLines = () =>
    output()
      .split('\n')
      .flatMap((line) => {
        try {
          return line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : [];
        } catch {
          return [];
        }
      });
  return {
    child,
    url,
    output,
    logLines,
    exited,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
