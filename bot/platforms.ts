/**
 * The one module of the core that knows the platform adapters: it builds the platforms the
 * configuration asks for, importing each adapter (and its SDK) only when that platform is on.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { SimulatorAdapter, SimulatorDirectory, SimulatorOptions } from '../adapters/simulator/adapter.js';
import type { Platform } from './chat/model.js';
import type { ChatAdapter } from './chat/ports.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import type { Directory } from './org/directory.js';
import type { InForce } from './organisation.js';
import { DbPlatformState } from './platform-state.js';

export type { SimulatorAdapter };

export interface PlatformContext {
  config: Config;
  db: Db;
  /** The organisation file in force: the simulator reads its people, chats and time zone at each request. */
  organisation: Pick<InForce, 'directory' | 'timeZone'>;
  clock: Clock;
  log: FastifyBaseLogger;
  /** What the simulator needs of the bot beyond its directory: settling and the clock. */
  simulator: Pick<SimulatorOptions, 'settle' | 'advanceClock'>;
  /** The outbox worker, for platforms that answer a callback with what it sends meanwhile (the WeCom robot). */
  outbox?: { drain(): Promise<unknown>; hurry(platform: Platform, chatId: string): Promise<void> };
}

/** The names of the platforms the configuration turns on, in the order they are built. */
export function configuredPlatforms(config: Config): Platform[] {
  const on: Platform[] = [];
  if (config.simulator) on.push('simulator');
  if (config.FEISHU_APP_ID && config.FEISHU_APP_SECRET) on.push('feishu');
  if (config.WECOM_CORP_ID || config.WECOM_BOT_ID || config.WECOM_ROBOT_TOKEN) on.push('wecom');
  if (config.WECHATY_PUPPET) on.push('wechaty');
  return on;
}

/** Builds every configured platform; an unconfigured platform's code is never loaded. */
export async function buildPlatforms(ctx: PlatformContext): Promise<Map<Platform, ChatAdapter>> {
  const adapters = new Map<Platform, ChatAdapter>();
  for (const platform of configuredPlatforms(ctx.config)) adapters.set(platform, await BUILDERS[platform](ctx));
  return adapters;
}

const BUILDERS: Record<Platform, (ctx: PlatformContext) => Promise<ChatAdapter>> = {
  async simulator({ organisation, clock, simulator }) {
    const { SimulatorAdapter } = await import('../adapters/simulator/adapter.js');
    // What the page shows, made again only when another organisation file is in force.
    let shown: { of: Directory; directory: SimulatorDirectory } | undefined;
    const directory = (): SimulatorDirectory => {
      const d = organisation.directory;
      if (shown?.of !== d) {
        shown = {
          of: d,
          directory: {
            people: d.allPeople().map((p) => ({ id: p.id, name: p.name, department: d.departmentName(p.department) ?? p.department, roles: p.roles })),
            chats: d.chats().map((c) => ({ id: c.id, name: c.name, purpose: c.purpose })),
          },
        };
      }
      return shown.directory;
    };
    return new SimulatorAdapter({
      botName: () => organisation.directory.botName,
      directory,
      ...simulator,
      now: () => clock.now(),
      timeZone: () => organisation.timeZone,
    });
  },

  async feishu({ config, db, organisation, clock, log }) {
    const { FeishuAdapter } = await import('../adapters/feishu/adapter.js');
    return new FeishuAdapter({
      botName: () => organisation.directory.botName,
      appId: config.FEISHU_APP_ID!,
      appSecret: config.FEISHU_APP_SECRET!,
      encryptKey: config.FEISHU_ENCRYPT_KEY,
      verificationToken: config.FEISHU_VERIFICATION_TOKEN,
      domain: config.FEISHU_DOMAIN,
      mode: config.FEISHU_MODE,
      userMatch: config.FEISHU_USER_MATCH,
      log,
      state: new DbPlatformState(db, clock),
    });
  },

  async wecom({ config, db, organisation, clock, log, outbox }) {
    const { WeComAdapter } = await import('../adapters/wecom/adapter.js');
    return new WeComAdapter({
      base: config.WECOM_API_BASE,
      corpId: config.WECOM_CORP_ID,
      agentId: config.WECOM_AGENT_ID,
      secret: config.WECOM_SECRET,
      appToken: config.WECOM_TOKEN,
      appAesKey: config.WECOM_AES_KEY,
      robot: config.WECOM_BOT_ID
        ? { mode: 'ws', botId: config.WECOM_BOT_ID, secret: config.WECOM_BOT_SECRET, wsUrl: config.WECOM_BOT_WS_URL }
        : config.WECOM_ROBOT_TOKEN
          ? { mode: 'http', token: config.WECOM_ROBOT_TOKEN, aesKey: config.WECOM_ROBOT_AES_KEY }
          : { mode: 'off' },
      botName: organisation.directory.botName,
      log,
      now: () => clock.now().getTime(),
      state: new DbPlatformState(db, clock),
      delivery: outbox && { hurry: (chatId) => outbox.hurry('wecom', chatId), settle: () => outbox.drain() },
    });
  },

  async wechaty({ config, organisation, log }) {
    const { WechatyAdapter } = await import('../adapters/wechaty/adapter.js');
    return new WechatyAdapter({ puppet: config.WECHATY_PUPPET!, token: config.WECHATY_PUPPET_TOKEN, botName: organisation.directory.botName, log });
  },
};
