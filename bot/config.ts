import { z } from 'zod';
import { DEFAULT_DATABASE_URL } from './db/url.js';

const flag = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((v) => v === 'on' || v === 'true' || v === '1');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: (SQLite) or postgresql:// (PostgreSQL)')
    .default(DEFAULT_DATABASE_URL),
  ORG_FILE: z.string().min(1).default('config/organisation.yaml'),
  /** Where files are kept (attachments); the default SQLite database lives here too. */
  DATA_DIR: z.string().min(1).default('data'),
  TZ: z.string().min(1).default('Asia/Shanghai'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** The simulator (web page, JSON API, movable clock). On by default outside production. */
  SIMULATOR: flag.optional(),
  FEISHU_APP_ID: z.string().optional(),
  FEISHU_APP_SECRET: z.string().optional(),
  FEISHU_ENCRYPT_KEY: z.string().optional(),
  FEISHU_VERIFICATION_TOKEN: z.string().optional(),
  FEISHU_DOMAIN: z.url().default('https://open.feishu.cn'),
  /** `http` (events at POST /feishu/events) or `ws` (the long connection; no public URL needed). */
  FEISHU_MODE: z.enum(['http', 'ws']).default('http'),
  /** How Feishu senders are matched to the organisation file. */
  FEISHU_USER_MATCH: z.enum(['id', 'mobile', 'email']).default('id'),
  WECOM_CORP_ID: z.string().optional(),
  WECOM_AGENT_ID: z.string().optional(),
  WECOM_SECRET: z.string().optional(),
  WECOM_TOKEN: z.string().optional(),
  WECOM_AES_KEY: z.string().optional(),
  WECOM_API_BASE: z.url().optional(),
  WECOM_BOT_ID: z.string().optional(),
  WECOM_BOT_SECRET: z.string().optional(),
});

const Checked = EnvSchema.superRefine((env, ctx) => {
  if (!!env.FEISHU_APP_ID !== !!env.FEISHU_APP_SECRET) {
    ctx.addIssue({ code: 'custom', path: [env.FEISHU_APP_ID ? 'FEISHU_APP_SECRET' : 'FEISHU_APP_ID'], message: 'FEISHU_APP_ID and FEISHU_APP_SECRET go together' });
  }
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config extends Omit<Env, 'SIMULATOR'> {
  simulator: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment; every mistake is named with its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as they do in most .env files.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Checked.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const { SIMULATOR, ...rest } = parsed.data;
  return { ...rest, simulator: SIMULATOR ?? rest.NODE_ENV !== 'production' };
}
