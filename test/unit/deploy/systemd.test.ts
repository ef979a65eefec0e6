import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUnit, projectFile, readmeStartCommand } from '../../helpers/deploy-files.js';

const unit = parseUnit(projectFile('deploy/helpdesk.service'));
const service = unit.get('Service')!;
const one = (key: string) => {
  const values = service.get(key) ?? [];
  expect(values, key).toHaveLength(1);
  return values[0]!;
};
/** The unit's own Environment= settings (the settings file may override them). */
const environment = new Map((service.get('Environment') ?? []).map((e) => e.split('=', 2) as [string, string]));

describe('deploy/helpdesk.service', () => {
  it('parses into the sections systemd expects', () => {
    expect([...unit.keys()]).toEqual(['Unit', 'Service', 'Install']);
    expect(unit.get('Install')!.get('WantedBy')).toEqual(['multi-user.target']);
    expect(unit.get('Unit')!.get('After')?.join(' ')).toMatch(/network-online\.target/);
  });

  it('starts the README start command with an absolute node in an absolute working directory', () => {
    const [node, ...args] = one('ExecStart').split(/\s+/);
    const [command, ...rest] = readmeStartCommand();
    expect(path.isAbsolute(node!)).toBe(true);
    expect(path.basename(node!)).toBe(command);
    expect(args).toEqual(rest);
    expect(path.isAbsolute(one('WorkingDirectory'))).toBe(true);
  });

  it('runs as a dedicated user, with the settings from a file', () => {
    expect(['root', '0']).not.toContain(one('User'));
    expect(one('Group')).toBe(one('User'));
    expect(path.isAbsolute(one('EnvironmentFile').replace(/^-/, ''))).toBe(true);
    // A missing settings file stops the start instead of running without credentials.
    expect(one('EnvironmentFile').startsWith('-')).toBe(false);
    expect(environment.get('NODE_ENV')).toBe('production');
  });

  it('restarts after a failure, stops within a time limit, and reloads the organisation file with HUP', () => {
    expect(one('Restart')).toBe('on-failure');
    // Longer than the 10 s the bot gives running work after SIGTERM.
    expect(Number.parseInt(one('TimeoutStopSec'), 10)).toBeGreaterThan(10);
    expect(one('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
  });

  it('is hardened, and the one place it may write is where its database and files are', () => {
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('ProtectHome')).toBe('yes');
    expect(one('PrivateTmp')).toBe('yes');
    expect(one('CapabilityBoundingSet')).toBe('');
    // Node's JIT compiler needs writable, executable memory.
    expect(service.get('MemoryDenyWriteExecute') ?? []).not.toContain('yes');
    // A system call left out of the filter fails with an error; it does not kill the bot mid-work.
    if (service.has('SystemCallFilter')) expect(one('SystemCallErrorNumber')).toBe('EPERM');
    const writable = one('ReadWritePaths').split(/\s+/);
    const database = environment.get('DATABASE_URL')!;
    expect(database).toMatch(/^file:\//);
    const dataDir = environment.get('DATA_DIR')!;
    for (const dir of [path.dirname(database.slice('file:'.length)), dataDir]) {
      expect(
        writable.some((w) => dir === w || dir.startsWith(`${w}/`)),
        dir,
      ).toBe(true);
    }
    expect(`/var/lib/${one('StateDirectory')}`).toBe(dataDir);
  });
});
