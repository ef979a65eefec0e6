import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { t as text } from '../../../bot/i18n/zh.js';
import { helpdeskProcess } from '../../helpers/admin.js';
import { sampleOrgFile } from '../../helpers/db.js';

const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A database in a folder that does not exist: opening it would create the folder. */
const neverOpened = path.join(dir, 'no-such-folder');
const env = { DATABASE_URL: `file:${path.join(neverOpened, 'bot.db')}` };

/** The sample organisation file with one line changed, and where `mark` (in the replacement) now stands. */
function brokenCopy(name: string, find: string, replace: string, mark = replace) {
  const lines = readFileSync(sampleOrgFile, 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(find));
  lines[index] = lines[index]!.replace(find, replace);
  const file = path.join(dir, name);
  writeFileSync(file, lines.join('\n'));
  return { file, line: index + 1, column: lines[index]!.indexOf(replace) + replace.indexOf(mark) + 1 };
}

describe('helpdesk check', () => {
  it('passes a good organisation file and environment with exit code 0, without opening the database', async () => {
    const run = await helpdeskProcess(['check'], { ...env, ORG_FILE: sampleOrgFile });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`组织文件 ${sampleOrgFile} 无误`);
    expect(run.stdout).toContain('环境变量无误');
    expect(existsSync(neverOpened)).toBe(false);
  });

  it('prints file:line:col for each mistake in the organisation file and exits 1', async () => {
    const broken = brokenCopy('unknown-department.yaml', 'department: outpatient, title: 护士', 'department: icu, title: 护士', 'icu');
    const run = await helpdeskProcess(['check', '--org', broken.file], env);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toBe(`${broken.file}:${broken.line}:${broken.column}: people[0].department: unknown department "icu"`);
    expect(lines.at(-1)).toBe(text('admin.failed', { reason: text('admin.check.failed', { n: lines.length - 1 }) }));
    expect(run.stdout).toBe('');

    const syntax = brokenCopy('syntax.yaml', '{ id: zhang-li,', '{ id: [zhang-li,');
    const bad = await helpdeskProcess(['check'], { ...env, ORG_FILE: syntax.file });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(new RegExp(`^${syntax.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
    expect(existsSync(neverOpened)).toBe(false);
  });

  it('names each wrong environment variable, and a missing organisation file', async () => {
    const run = await helpdeskProcess(['check'], { ...env, API_TOKEN: 'short', FEISHU_APP_ID: 'cli_a1', ORG_FILE: path.join(dir, 'missing.yaml') });
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toContain('环境变量 API_TOKEN: must be at least 16 characters');
    expect(lines).toContain('环境变量 FEISHU_APP_SECRET: FEISHU_APP_ID and FEISHU_APP_SECRET go together');
    expect(lines).toContain(text('admin.check.orgUnreadable', { file: path.join(dir, 'missing.yaml'), reason: 'file not found' }));
    expect(existsSync(neverOpened)).toBe(false);
  });
});
