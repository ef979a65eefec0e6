import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilListening } from '../helpers/bot-process.js';

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
  const { url, output, exited } = await untilListening(child, 'the built bot');
  return { url, output, stop: async () => (child.kill('SIGTERM'), exited) };
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

  it('compiles the admin command line, which bin/helpdesk.mjs then runs from dist/', () => {
    for (const file of ['main.js', 'cli.js', 'commands/check.js', 'commands/backup.js'])
      expect(existsSync(path.join(root, 'dist/bot/admin', file)), file).toBe(true);
    const out = execFileSync(process.execPath, ['bin/helpdesk.mjs', 'check'], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: `file:${path.join(dir, 'never', 'bot.db')}` },
      encoding: 'utf8',
    });
    expect(out).toContain('组织文件 config/organisation.yaml 无误');
    expect(existsSync(path.join(dir, 'never'))).toBe(false);
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
