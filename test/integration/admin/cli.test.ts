import { describe, expect, it } from 'vitest';
import { t as text } from '../../../bot/i18n/zh.js';
import { admin, helpdeskProcess } from '../../helpers/admin.js';

const COMMANDS = ['check', 'migrate', 'outbox', 'export', 'import', 'backup', 'restore', 'migrate-to-postgres'];

describe('the admin command line', () => {
  it('lists every command with what it does under --help, and explains each one', async () => {
    const help = await admin(['--help']);
    expect(help.code).toBe(0);
    const listed = help.out.filter((line) => line.startsWith('  ')).map((line) => line.trim().split(/\s+/)[0]);
    // In this order (a command added later, such as token, may stand between them).
    expect(listed.filter((name) => COMMANDS.includes(name!))).toEqual(COMMANDS);
    expect(help.out.join('\n')).toContain('DATABASE_URL');
    for (const command of COMMANDS) {
      const one = await admin([command, '--help']);
      expect(one.code, command).toBe(0);
      expect(one.out[0], command).toMatch(new RegExp(`^用法：helpdesk ${command}\\b`));
      expect(one.err).toEqual([]);
    }
    for (const [group, sub] of [
      ['outbox', 'list'],
      ['outbox', 'retry'],
      ['outbox', 'drop'],
      ['import', 'roster'],
      ['import', 'people'],
      ['import', 'assets'],
    ]) {
      const one = await admin([group!, sub!, '--help']);
      expect(one.code).toBe(0);
      expect(one.out[0]).toMatch(new RegExp(`^用法：helpdesk ${group} ${sub}\\b`));
    }
    expect((await admin(['help', 'backup'])).out.join('\n')).toContain('pg_dump');
  });

  it('answers a mistyped command or option with what is wrong and exit code 2, changing nothing', async () => {
    const typo = await admin(['chek']);
    expect(typo.code).toBe(2);
    expect(typo.err[0]).toBe(text('admin.usage.error', { message: text('admin.usage.unknownCommandNear', { command: 'chek', near: 'check' }) }));
    const unknown = await admin(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toContain('frobnicate');

    const option = await admin(['check', '--verbose']);
    expect(option.code).toBe(2);
    expect(option.err).toEqual([
      text('admin.usage.error', { message: text('admin.usage.unknownOption', { option: '--verbose' }) }),
      text('admin.usage.line', { usage: 'check [--org FILE]' }),
      text('admin.usage.hint'),
    ]);
    expect((await admin(['check', '--org'])).err[0]).toContain(text('admin.usage.needsValue', { option: '--org' }));
    expect((await admin(['outbox', 'list', '--dead=yes'])).code).toBe(2);
    expect((await admin(['outbox'])).code).toBe(2);
    expect((await admin(['outbox', 'resend', '3'])).err.slice(0, 2)).toEqual([
      text('admin.usage.error', { message: text('admin.usage.unknownCommand', { command: 'outbox resend' }) }),
      text('admin.usage.line', { usage: 'outbox list|retry|drop' }),
    ]);
    expect((await admin(['backup'])).err[0]).toBe(text('admin.usage.error', { message: text('admin.usage.missing') }));
    expect((await admin(['migrate', 'now'])).err[0]).toBe(text('admin.usage.error', { message: text('admin.usage.extra', { arg: 'now' }) }));
    expect((await admin([])).code).toBe(2);
    expect((await admin(['--version'])).code).toBe(2);
  });

  it('runs as npx helpdesk runs it, with the exit codes of the process', async () => {
    const help = await helpdeskProcess(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('migrate-to-postgres');
    const wrong = await helpdeskProcess(['outbox', 'list', '--everything']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--everything');
    const failed = await helpdeskProcess(['import', 'assets', 'assets.csv']);
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim().split('\n')).toEqual([text('admin.failed', { reason: text('admin.file.missing', { file: 'assets.csv' }) })]);
  });
});
