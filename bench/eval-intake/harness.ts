/** A bot of its own for the intake evaluation: a scratch SQLite database, the sample hospital, the simulator. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildBot, type Bot } from '../../bot/app.js';
import { AdjustableClock } from '../../bot/clock.js';
import { loadConfig } from '../../bot/config.js';
import { openDatabase, type Db } from '../../bot/db/client.js';
import { migrateDatabase } from '../../bot/db/migrate.js';
import { Directory } from '../../bot/org/directory.js';
import { loadOrgFile } from '../../bot/org/load.js';
import { syncOrganisation } from '../../bot/org/sync.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ORG_FILE = path.join(ROOT, 'config/organisation.yaml');
const API_TOKEN = 'eval-intake-token-0123456789abcdef';
const CHAT = 'intake';
const START = new Date('2026-11-23T08:30:00+08:00');

export interface ApiTicket {
  number: string;
  status: string;
  priority: string;
  system: string | null;
  systemId?: string | null;
  assetNumber: string | null;
  phone: string | null;
  createdAt: string;
}

export interface Harness {
  bot: Bot;
  db: Db;
  directory: Directory;
  dir: string;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'eval-intake-'));
  let db: Db | undefined;
  let bot: Bot | undefined;
  const close = async () => {
    try {
      if (bot) await bot.stop();
    } finally {
      try {
        if (db) await db.$disconnect();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  };
  try {
    const url = `file:${path.join(dir, 'eval.db')}`;
    const config = loadConfig({
      DATABASE_URL: url,
      DATA_DIR: dir,
      ORG_FILE,
      API_TOKEN,
      SIMULATOR: 'on',
      LOG_LEVEL: 'silent',
    });
    const directory = new Directory(loadOrgFile(config.ORG_FILE));
    await migrateDatabase(config.DATABASE_URL);
    db = await openDatabase(config.DATABASE_URL);
    await syncOrganisation(db, directory);
    bot = buildBot({ config, db, directory, clock: new AdjustableClock(START), logger: false });
    await bot.app.ready();
    return { bot, db, directory, dir, close };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}

export class Api {
  constructor(private readonly bot: Bot) {}

  private async post(url: string, payload: object): Promise<unknown> {
    const res = await this.bot.app.inject({ method: 'POST', url, payload });
    if (res.statusCode !== 200) throw new Error(`POST ${url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    return res.json();
  }

  say(userId: string, text: string) {
    return this.post('/simulator/api/messages', { chatId: CHAT, userId, text });
  }

  advance(minutes: number) {
    return this.post('/simulator/api/clock', { advanceMinutes: minutes });
  }

  async tickets(): Promise<ApiTicket[]> {
    const res = await this.bot.app.inject({
      method: 'GET',
      url: '/api/tickets?limit=500',
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    if (res.statusCode !== 200) throw new Error(`GET /api/tickets → ${res.statusCode} ${res.body.slice(0, 200)}`);
    return (res.json() as { tickets: ApiTicket[] }).tickets;
  }
}
