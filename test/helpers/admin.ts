import { spawn } from 'node:child_process';
import path from 'node:path';
import { runAdmin } from '../../bot/admin/cli.js';
import { sampleOrgFile } from './db.js';

const root = path.resolve(import.meta.dirname, '../..');

/** What a run of the admin command line printed, and how it ended. */
export interface AdminRun {
  code: number;
  /** stdout, one line per entry. */
  out: string[];
  /** stderr, one line per entry. */
  err: string[];
}

/**
 * Runs `helpdesk <argv…>` in this process, as bot/admin/main.ts does, with only `env` (the sample
 * organisation file unless it names another) and `cwd` as its working directory.
 */
export async function admin(argv: string[], env: Record<string, string> = {}, cwd = root): Promise<AdminRun> {
  const run: AdminRun = { code: -1, out: [], err: [] };
  run.code = await runAdmin(argv, {
    env: { ORG_FILE: sampleOrgFile, ...env },
    cwd,
    out: (line) => run.out.push(line),
    err: (line) => run.err.push(line),
    now: () => new Date(),
  });
  return run;
}

/** What scripts/build.mjs says when the bin rebuilds a stale dist/ first (sources edited since the last build). */
const BUILD_LINES = /^(building dist\/|built dist\/ in |warning: .*TypeScript)/;

/**
 * Runs `node bin/helpdesk.mjs <argv…>` as a child process with only `env` (and PATH, HOME) in `cwd`;
 * stderr without the lines of a rebuild of dist/.
 */
export function helpdeskProcess(
  argv: string[],
  env: Record<string, string> = {},
  cwd = root,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(root, 'bin/helpdesk.mjs'), ...argv], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr: stderr
          .split(/(?<=\n)/)
          .filter((line) => !BUILD_LINES.test(line))
          .join(''),
      }),
    );
  });
}
