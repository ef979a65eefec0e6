import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../../config.js';
import { isPostgres } from '../../db/url.js';
import { t } from '../../i18n/zh.js';
import { hospitalTimeZone } from '../../organisation.js';
import { Directory } from '../../org/directory.js';
import { loadOrgFile, OrgFileError } from '../../org/load.js';
import { defineCommand } from '../command.js';
import { redactUrl } from '../database.js';

/** The platforms the environment turns on, as the operator calls them. */
function platformsOf(config: Config): string[] {
  const on = [
    config.FEISHU_APP_ID ? t('admin.check.platform.feishu') : undefined,
    config.WECOM_SECRET || config.WECOM_BOT_ID || config.WECOM_ROBOT_TOKEN ? t('admin.check.platform.wecom') : undefined,
    config.WECHATY_PUPPET ? 'Wechaty' : undefined,
    config.simulator ? t('admin.check.platform.simulator') : undefined,
  ];
  return on.filter((p): p is string => !!p);
}

/**
 * `helpdesk check [--org FILE]`: the environment and the organisation file, checked as the bot checks
 * them at start, without starting it and without opening the database. Every problem is printed as
 * `file:line:col: message` (a variable as `环境变量 NAME: message`); any problem exits 1.
 */
export default defineCommand({
  order: 10,
  usage: 'check [--org FILE]',
  summary: t('admin.check.summary'),
  details: t('admin.check.details'),
  options: { org: { type: 'string', value: 'FILE', help: t('admin.check.orgOption') } },
  async run(ctx, _args, options) {
    const problems: string[] = [];
    let config: Config | undefined;
    try {
      config = loadConfig(ctx.env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const problem of err.problems) problems.push(t('admin.check.envProblem', { problem }));
    }
    const orgFile = options.org ?? config?.ORG_FILE ?? (ctx.env.ORG_FILE || 'config/organisation.yaml');
    let directory: Directory | undefined;
    try {
      directory = new Directory(loadOrgFile(path.resolve(ctx.cwd, orgFile)));
    } catch (err) {
      if (!(err instanceof OrgFileError)) throw err;
      for (const p of err.problems) {
        const message = `${p.field ? `${p.field}: ` : ''}${p.message}`;
        problems.push(p.line > 0 ? `${orgFile}:${p.line}:${p.column}: ${message}` : t('admin.check.orgUnreadable', { file: orgFile, reason: message }));
      }
    }
    if (problems.length > 0 || !config || !directory) {
      for (const problem of problems) ctx.err(problem);
      ctx.err(t('admin.failed', { reason: t('admin.check.failed', { n: problems.length }) }));
      return 1;
    }
    const { org } = directory;
    ctx.out(
      t('admin.check.orgOk', {
        file: orgFile,
        hospital: org.hospital.name,
        departments: org.departments.length,
        people: org.people.length,
        chats: org.chats.length,
        timeZone: hospitalTimeZone(config, directory),
      }),
    );
    ctx.out(
      t('admin.check.envOk', {
        database: isPostgres(config.DATABASE_URL) ? `PostgreSQL ${redactUrl(config.DATABASE_URL)}` : `SQLite ${config.DATABASE_URL}`,
        platforms: platformsOf(config).join('、') || t('admin.check.platform.none'),
        listen: `${config.HOST}:${config.PORT}`,
      }),
    );
    return 0;
  },
});
