import { userInfo } from 'node:os';
import path from 'node:path';
import { SystemClock } from '../clock.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { t } from '../i18n/zh.js';
import { Organisation } from '../organisation.js';
import { Directory } from '../org/directory.js';
import { loadOrgFile, OrgFileError } from '../org/load.js';
import type { ServiceDeps } from '../services.js';
import { AdminError, type AdminContext } from './command.js';

export interface LoadedOrganisation {
  config: Config;
  directory: Directory;
  /** The organisation file in force for units of work: its directory, time zone and calendar, on the system clock. */
  services: ServiceDeps;
}

/**
 * The environment and the organisation file, as the bot reads them at start. A mistake in either is
 * a failure that points at `helpdesk check`, which lists every problem with its line.
 */
export function loadOrganisation(ctx: AdminContext): LoadedOrganisation {
  let config: Config;
  try {
    config = loadConfig(ctx.env);
  } catch (err) {
    if (err instanceof ConfigError) throw new AdminError(t('admin.org.badEnv', { n: err.problems.length, first: err.problems[0] ?? '' }));
    throw err;
  }
  const file = path.resolve(ctx.cwd, config.ORG_FILE);
  let directory: Directory;
  try {
    directory = new Directory(loadOrgFile(file));
  } catch (err) {
    if (err instanceof OrgFileError) throw new AdminError(t('admin.org.badFile', { file: config.ORG_FILE, n: err.problems.length }));
    throw err;
  }
  const organisation = new Organisation(config, directory);
  return { config, directory, services: organisation.live({ clock: new SystemClock() }) };
}

/** Who the audit log names for what a command changes: the operating-system account that ran it. */
export function commandLineActor(ctx: AdminContext): string {
  let user = ctx.env.USER || ctx.env.LOGNAME || '';
  if (!user) {
    try {
      user = userInfo().username;
    } catch {
      user = 'unknown';
    }
  }
  return `cli:${user}`;
}
