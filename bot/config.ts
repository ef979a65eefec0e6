import { z } from 'zod';
import { DEFAULT_DATABASE_URL } from './db/url.js';
import { isTimeZone, TIME_ZONE_HINT } from './time.js';

const flag = z.enum(['on', 'off', 'true', 'false', '1', '0']).transform((v) => v === 'on' || v === 'true' || v === '1');

/** Every environment variable the bot reads (`.env.example` lists each, `test/unit/deploy/env-example.test.ts` checks it). */
export const EnvSchema = z.object({
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
  /**
   * Overrides the organisation file's `hospital.timeZone`. The process's own TZ is not the
   * hospital's: a host set to UTC keeps the hospital's time.
   */
  HOSPITAL_TZ: z.string().refine(isTimeZone, `must be ${TIME_ZONE_HINT}`).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** When set, GET /metrics asks for it as a bearer token; unset, the metrics are open to scrapers. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Where people open the bot's pages (the dashboard link sent by 看板); unset, the link is a path on this server. */
  PUBLIC_URL: z.url().optional(),
  /** Platform callbacks handled at once; more are answered 503 and the platform delivers them again. */
  MAX_INFLIGHT_CALLBACKS: z.coerce.number().int().min(1).max(100_000).default(100),
  /** How long a client may take to send a whole request, headers and body; a slower one is answered 408 and cut. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  /**
   * The simulator (web page, JSON API, movable clock, registers without a token). Unset, it is on
   * only while the server listens on a loopback address outside production; `on` turns it on anywhere.
   */
  SIMULATOR: flag.optional(),
  /** How long a SIGTERM may take: past it the process exits whatever still runs (the outbox keeps what is unsent). */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
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
  WECOM_AES_KEY: z.string().length(43, 'must be the 43-character EncodingAESKey').optional(),
  WECOM_API_BASE: z.url().default('https://qyapi.weixin.qq.com'),
  /** The smart robot's long connection (the default way to receive group messages). */
  WECOM_BOT_ID: z.string().optional(),
  WECOM_BOT_SECRET: z.string().optional(),
  WECOM_BOT_WS_URL: z.url().optional(),
  /** The smart robot's HTTP callback (POST /wecom/robot) instead of the long connection. */
  WECOM_ROBOT_TOKEN: z.string().optional(),
  WECOM_ROBOT_AES_KEY: z.string().length(43, 'must be the 43-character EncodingAESKey').optional(),
  /** Any Wechaty puppet (e.g. wechaty-puppet-service) and its token. */
  WECHATY_PUPPET: z.string().optional(),
  WECHATY_PUPPET_TOKEN: z.string().optional(),
});

const Checked = EnvSchema.superRefine((env, ctx) => {
  const together = (a: keyof typeof env, b: keyof typeof env) => {
    if (!!env[a] !== !!env[b]) ctx.addIssue({ code: 'custom', path: [env[a] ? b : a], message: `${a} and ${b} go together` });
  };
  together('FEISHU_APP_ID', 'FEISHU_APP_SECRET');
  together('WECOM_BOT_ID', 'WECOM_BOT_SECRET');
  together('WECOM_ROBOT_TOKEN', 'WECOM_ROBOT_AES_KEY');
  together('WECOM_TOKEN', 'WECOM_AES_KEY');
  if (env.WECOM_SECRET && (!env.WECOM_CORP_ID || !env.WECOM_AGENT_ID)) {
    ctx.addIssue({
      code: 'custom',
      path: [env.WECOM_CORP_ID ? 'WECOM_AGENT_ID' : 'WECOM_CORP_ID'],
      message: 'the WeCom application needs WECOM_CORP_ID, WECOM_AGENT_ID and WECOM_SECRET',
    });
  }
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config extends Omit<Env, 'SIMULATOR'> {
  simulator: boolean;
  /** Whether HOST is a loopback address: nobody beyond this machine reaches the server directly. */
  loopback: boolean;
}

/** 127.0.0.0/8, ::1 and localhost (with or without the brackets of an IPv6 literal). */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(h);
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
  const loopback = isLoopbackHost(rest.HOST);
  return { ...rest, loopback, simulator: SIMULATOR ?? (loopback && rest.NODE_ENV !== 'production') };
}
