import { isLoopbackHost, type Config } from './config.js';
import { isPostgres } from './db/url.js';
import type { OtherInstance } from './instances.js';
import { configuredPlatforms } from './platforms.js';

/** How long a bearer token should be at least (32 random characters, e.g. `openssl rand -base64 32`). */
const STRONG_TOKEN_CHARS = 32;

/** What the configuration alone cannot say: read from the database at start. */
export interface StartFacts {
  /** Whether a stored API token is usable (not revoked). */
  storedTokens: boolean;
  /** Other bots that wrote to this database lately (SQLite only). */
  otherInstances: OtherInstance[];
}

/** A setting unsafe for where the bot runs, and what to do about it: one warning line each. */
export interface UnsafeSetting {
  setting: string;
  message: string;
}

/** The host part of a URL, or undefined when it is not one. */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/**
 * Every setting that is unsafe in the context the bot runs in (listening beyond loopback, in
 * production, with several instances). The WeCom callbacks need no warning: the configuration
 * refuses a callback token without its EncodingAESKey, and serves no callback without them.
 */
export function unsafeSettings(config: Config, facts: StartFacts): UnsafeSetting[] {
  const out: UnsafeSetting[] = [];
  const warn = (setting: string, message: string) => out.push({ setting, message });
  const exposed = !config.loopback;
  const where = `the server listens on ${config.HOST}, beyond this machine`;
  if (config.simulator && exposed) {
    warn('SIMULATOR', `the simulator is on while ${where}: anyone who reaches it can post as any person and move the bot's clock (set SIMULATOR=off)`);
  }
  if (exposed && config.NODE_ENV !== 'production') warn('NODE_ENV', `NODE_ENV is ${config.NODE_ENV} while ${where}: set NODE_ENV=production`);
  if (exposed && !config.API_TOKEN && !facts.storedTokens) {
    warn(
      'API_TOKEN',
      `no API_TOKEN and no stored API token while ${where}: the REST API and the register downloads answer 503 until one is set (token create)`,
    );
  }
  for (const name of ['API_TOKEN', 'METRICS_TOKEN'] as const) {
    const token = config[name];
    if (token && token.length < STRONG_TOKEN_CHARS) {
      warn(name, `${name} is only ${token.length} characters: use at least ${STRONG_TOKEN_CHARS} random characters (openssl rand -base64 32)`);
    }
  }
  if (exposed && !config.METRICS_TOKEN) warn('METRICS_TOKEN', `GET /metrics is open to anyone who reaches it while ${where}: set METRICS_TOKEN`);
  if (config.FEISHU_APP_ID && config.FEISHU_MODE === 'http') {
    if (!config.FEISHU_ENCRYPT_KEY) {
      warn('FEISHU_ENCRYPT_KEY', 'Feishu events arrive over HTTP without FEISHU_ENCRYPT_KEY: their signatures are not checked, so forged events are taken');
    }
    if (!config.FEISHU_VERIFICATION_TOKEN) {
      warn('FEISHU_VERIFICATION_TOKEN', 'Feishu events arrive over HTTP without FEISHU_VERIFICATION_TOKEN: the token Feishu puts in each event is not checked');
    }
  }
  for (const name of ['FEISHU_DOMAIN', 'WECOM_API_BASE'] as const) {
    const url = config[name];
    const host = hostOf(url);
    if (url.startsWith('http://') && host && !isLoopbackHost(host)) {
      warn(name, `${name} is plain http:// to ${host}: the app secret and access tokens cross the network unencrypted`);
    }
  }
  if (isPostgres(config.DATABASE_URL)) {
    const host = hostOf(config.DATABASE_URL);
    const tls = /[?&]sslmode=(require|verify-ca|verify-full)\b/.test(config.DATABASE_URL) || /[?&]ssl=true\b/.test(config.DATABASE_URL);
    if (host && !isLoopbackHost(host) && !host.startsWith('/') && !tls) {
      warn(
        'DATABASE_URL',
        `DATABASE_URL reaches PostgreSQL at ${host} without TLS: add sslmode=require (or verify-full) so the password and the data are encrypted`,
      );
    }
  } else if (facts.otherInstances.length > 0) {
    const seen = facts.otherInstances.map((o) => `pid ${o.pid} on ${o.host}`).join(', ');
    warn('DATABASE_URL', `another bot uses this SQLite database (${seen}): SQLite serves one instance; run several on PostgreSQL`);
  }
  if (configuredPlatforms(config).length === 0) {
    warn(
      'platforms',
      'no chat platform is configured and the simulator is off: nobody can report to the bot and nothing it writes reaches anyone (set FEISHU_APP_ID and FEISHU_APP_SECRET, the WECOM_ settings, WECHATY_PUPPET, or SIMULATOR=on)',
    );
  }
  if ((config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace') && (exposed || config.NODE_ENV === 'production')) {
    warn('LOG_LEVEL', `LOG_LEVEL=${config.LOG_LEVEL} writes what people send and what the platforms answer to the log: use info`);
  }
  return out;
}
