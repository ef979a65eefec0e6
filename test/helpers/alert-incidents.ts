import type { SimMessage } from '../../adapters/simulator/transcript.js';
import { alertsToken, postAlert } from './alerts.js';
import { createTestBot, type TestBot } from './bot.js';
import type { Directory } from '../../bot/org/directory.js';

/** 10:00 on a working Tuesday in the hospital: nothing scheduled falls due before the 17:23 duty log. */
export const START = new Date('2026-11-24T10:00:00+08:00');

/** A time `minutes` after START, as the sender writes it. */
export const after = (minutes: number) => new Date(START.getTime() + minutes * 60_000).toISOString();

export interface MonitoredBot extends TestBot {
  /** Posts one alert in the generic JSON format; throws unless the bot accepted it (200). */
  alert(alert: GenericAlert): Promise<{ received: number; new: number; updated: number; duplicate: number }>;
  /** What a post set in motion, done: the wake-ups run (pages, questions) and the outbox is sent. */
  settle(): Promise<void>;
  /** Every message the bot has sent so far, in every chat (groups and direct chats), in order. */
  sent(): SimMessage[];
}

export interface GenericAlert {
  fingerprint: string;
  status?: 'firing' | 'resolved';
  system?: string;
  severity?: string;
  summary?: string;
  /** Minutes after the bot's start (START unless told otherwise). */
  startsAt: number;
  endsAt?: number;
}

/** The whole bot over a fresh database at START, with a token of the `alerts` scope for posting. */
export async function monitoredBot(directory?: Directory, startAt = START): Promise<MonitoredBot> {
  const t = await createTestBot({}, directory, startAt);
  const token = await alertsToken(t);
  const minutesAfter = (minutes: number) => new Date(startAt.getTime() + minutes * 60_000).toISOString();
  const settle = async () => {
    await t.bot.wakeups.tick();
    await t.bot.outbox.drain();
  };
  return {
    ...t,
    settle,
    async alert(a) {
      const body = {
        fingerprint: a.fingerprint,
        status: a.status ?? 'firing',
        system: a.system ?? 'HIS',
        severity: a.severity ?? 'critical',
        summary: a.summary ?? 'HIS database responding slowly',
        startsAt: minutesAfter(a.startsAt),
        ...(a.endsAt !== undefined ? { endsAt: minutesAfter(a.endsAt) } : {}),
      };
      const res = await postAlert(t, 'generic', body, token);
      if (res.statusCode !== 200) throw new Error(`alert ${a.fingerprint} → ${res.statusCode} ${res.body}`);
      await settle();
      return res.json();
    },
    sent() {
      const transcript = t.bot.simulator!.transcript;
      const all: SimMessage[] = [];
      for (let n = 1; ; n++) {
        const m = transcript.get(`sim-${transcript.prefix}-${n}`);
        if (!m) return all.filter((x) => x.from === 'bot');
        all.push(m);
      }
    },
  };
}

/** How many messages the bot sent to each chat, of `messages`. */
export function perChat(messages: SimMessage[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of messages) counts[m.chatId] = (counts[m.chatId] ?? 0) + 1;
  return counts;
}

/** The messages sent after the first `before` (a count taken earlier with `sent().length`). */
export const sentSince = (t: MonitoredBot, before: number) => t.sent().slice(before);

/** A card's field by its label. */
export const fieldOf = (m: SimMessage | undefined, label: string) => m?.card?.fields.find((f) => f.label === label)?.value;
