import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-built-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What `npm start` does after its prestart check: the compiled bot under plain node. */
async function startBuilt() {
  const child = spawn(process.execPath, ['dist/bot/main.js'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', DATABASE_URL: `file:${path.join(dir, 'bot.db')}`, DATA_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = Date.now();
  let port: string | undefined;
  while (!port && Date.now() - started < 30_000 && child.exitCode === null) {
    port = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
    if (!port) await new Promise((r) => setTimeout(r, 50));
  }
  if (!port) throw new Error(`the built bot did not start:\n${out}`);
  return { url: `http://127.0.0.1:${port}`, output: () => out, stop: async () => (child.kill('SIGTERM'), exited) };
}

describe('the build (npm run build, npm start)', () => {
  beforeAll(() => {
    // The prestart check: builds only when dist/ is missing or older than the sources.
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, stdio: 'pipe' });
  }, 120_000);

  it('finds dist/ up to date right after a build', () => {
    const out = execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, stdio: 'pipe', encoding: 'utf8' });
    expect(out).toBe('');
  });

  it('starts from dist/, migrating a fresh database once and skipping the migration tool afterwards', async () => {
    const first = await startBuilt();
    try {
      expect(await (await fetch(`${first.url}/healthz`)).json()).toMatchObject({ status: 'ok', database: 'sqlite', simulator: true });
      // The simulator page is read next to the compiled adapter.
      const page = await fetch(`${first.url}/simulator`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
      expect(first.output()).toContain('"migrations":"migrated"');
    } finally {
      expect(await first.stop()).toBe(0);
    }
    const second = await startBuilt();
    try {
      expect(await (await fetch(`${second.url}/healthz`)).json()).toMatchObject({ status: 'ok' });
      expect(second.output()).toContain('"migrations":"up-to-date"');
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
