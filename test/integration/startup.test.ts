import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleOrgFile } from '../helpers/db.js';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the bot as `npm start` does, with the given environment. */
function start(env: Record<string, string>) {
  const child = spawn(tsx, ['bot/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', DATABASE_URL: `file:${path.join(dir, 'bot.db')}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

describe('npm start', () => {
  it('creates and migrates the database, then answers /healthz', async () => {
    const started = Date.now();
    const bot = start({});
    try {
      let port: string | undefined;
      while (!port && Date.now() - started < 30_000 && bot.child.exitCode === null) {
        port = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(bot.output())?.[1];
        if (!port) await new Promise((r) => setTimeout(r, 100));
      }
      expect(port, bot.output()).toBeDefined();
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await health.json()).toMatchObject({ status: 'ok', database: 'sqlite' });
    } finally {
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
    }
  });

  it('refuses a broken organisation file, naming the file, line and field', async () => {
    const file = path.join(dir, 'org.yaml');
    const text = readFileSync(sampleOrgFile, 'utf8').replace('department: radiology, title: 技师', 'department: radiolgy, title: 技师');
    writeFileSync(file, text);
    const line = text.split('\n').findIndex((l) => l.includes('radiolgy')) + 1;
    const bot = start({ ORG_FILE: file });
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toContain(`${file}:${line}:`);
    expect(bot.output()).toContain('people[8].department: unknown department "radiolgy"');
  });

  it('refuses a bad environment variable by name', async () => {
    const bot = start({ PORT: 'http' });
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toMatch(/Invalid configuration:\n\s+- PORT: /);
  });
});
