import { buildBot, type Bot } from '../../bot/app.js';
import { AdjustableClock } from '../../bot/clock.js';
import { loadConfig } from '../../bot/config.js';
import type { SimMessage } from '../../adapters/simulator/transcript.js';
import type { EventResult } from '../../bot/chat/model.js';
import type { AlertIncidents } from '../../bot/alerts/types.js';
import type { Directory } from '../../bot/org/directory.js';
import { freshDatabase } from './db.js';

export const API_TOKEN = 'test-token-0123456789abcdef';

export interface TestBot {
  bot: Bot;
  /** The database's URL (a SQLite file or a PostgreSQL database), for what runs beside the bot. */
  url: string;
  clock: AdjustableClock;
  /** Posts a message through the simulator API, as a person in a chat. */
  say(userId: string, chatId: string, text: string): Promise<EventResult & { messageId: string }>;
  /** Clicks a card button through the simulator API. */
  click(messageId: string, userId: string, action: string, value: Record<string, unknown>, form?: Record<string, unknown>): Promise<EventResult>;
  /** Moves the bot's clock through the simulator API (deadlines fire, the outbox drains). */
  advance(minutes: number): Promise<void>;
  transcript(chatId: string): Promise<SimMessage[]>;
  /** The newest card in a chat whose title contains `title`. */
  card(chatId: string, title: string): Promise<SimMessage>;
  close(): Promise<void>;
}

/** The whole app (simulator on) over a fresh database, driven through HTTP with app.inject. */
export async function createTestBot(
  env: Record<string, string> = {},
  directory?: Directory,
  startAt?: Date,
  options: { holidayNotices?: boolean; database?: 'sqlite' | 'postgres'; alertIncidents?: AlertIncidents } = {},
): Promise<TestBot> {
  const database = await freshDatabase(directory, options.database);
  const config = loadConfig({ DATABASE_URL: database.url, DATA_DIR: database.dir, API_TOKEN, SIMULATOR: 'on', ...env });
  const clock = new AdjustableClock(startAt);
  // A year without holiday data is told only where a test asks: most run on the wall clock, which reaches such years.
  const bot = buildBot({
    config,
    db: database.db,
    directory: database.directory,
    clock,
    logger: false,
    holidayNotices: options.holidayNotices ?? false,
    alertIncidents: options.alertIncidents,
  });
  await bot.app.ready();
  const post = async (url: string, payload: object) => {
    const res = await bot.app.inject({ method: 'POST', url, payload });
    if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const transcript = async (chatId: string) => (await bot.app.inject({ url: `/simulator/api/chats/${chatId}/messages` })).json() as SimMessage[];
  return {
    bot,
    url: database.url,
    clock,
    say: (userId, chatId, text) => post('/simulator/api/messages', { chatId, userId, text }),
    click: (messageId, userId, action, value, form) => post('/simulator/api/actions', { messageId, userId, action, value, form }),
    advance: async (minutes) => void (await post('/simulator/api/clock', { advanceMinutes: minutes })),
    transcript,
    async card(chatId, title) {
      const found = (await transcript(chatId)).filter((m) => m.card?.title.includes(title)).at(-1);
      if (!found) throw new Error(`no card "${title}" in ${chatId}`);
      return found;
    },
    async close() {
      await bot.stop();
      await database.drop();
    },
  };
}

/** The button (or form submit) of a card with this label; throws when the card has none. */
export function buttonOf(m: SimMessage, label: string) {
  const b = [...(m.card?.buttons ?? []), ...(m.card?.form?.submits ?? [])].find((x) => x.label === label);
  if (!b) throw new Error(`no button ${label} on ${m.card?.title}`);
  return b;
}

/** Three departments report the HIS outage in the intake group: enough to open an incident. */
export const HIS_OUTAGE: readonly (readonly [person: string, said: string])[] = [
  ['zhang-li', 'HIS打不开了'],
  ['li-na', 'HIS登不上了'],
  ['liu-yang', 'HIS报错了'],
];

/** Each person sends their report in `chat`, one after the other. */
export async function reportEach(t: TestBot, reports = HIS_OUTAGE, chat = 'intake'): Promise<void> {
  for (const [who, said] of reports) await t.say(who, chat, said);
}
