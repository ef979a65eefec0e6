import Database from 'better-sqlite3';
import { rssMb, type BotProcess } from './bot.js';
import { closedLoop, openLoop } from './load.js';

/** A signed report as the storm sends it, with the message id its ticket must carry. */
export interface StormRequest {
  body: string;
  headers: Record<string, string>;
  messageId: string;
}

/**
 * Sends the storm's reports at `rate` a second, then delivers what was not acknowledged again as
 * Feishu would, and reads the bot's database for what became of them: tickets lost or doubled,
 * incidents formed. The bot's resident memory is sampled throughout.
 */
export async function runStorm(bot: BotProcess, storm: StormRequest[], opts: { rate: number; deadlineMs: number }) {
  let peak = rssMb(bot.child.pid!);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(bot.child.pid!))), 50);
  const acked = new Set<string>();
  const ackedMs: number[] = [];
  let shed = 0;
  const deliver = async (i: number) => {
    const t0 = performance.now();
    const status = await bot.http.request('POST', '/feishu/events', storm[i]!.body, storm[i]!.headers, opts.deadlineMs).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) acked.add(storm[i]!.messageId);
    if (status === 503) shed++;
    return { ok: status === 200, ms: performance.now() - t0 };
  };
  const stormRun = await openLoop(opts.rate, storm.length, async (i) => {
    const { ok, ms } = await deliver(i);
    if (ok) ackedMs.push(ms);
    return ok;
  });
  const ackedInStorm = acked.size;
  // Feishu delivers what was not acknowledged again (15 s, 5 min, …): here at once, a few at a time.
  let redelivered = 0;
  for (let pass = 0; pass < 5 && acked.size < storm.length; pass++) {
    const missing = storm.map((_, i) => i).filter((i) => !acked.has(storm[i]!.messageId));
    redelivered += missing.length;
    await closedLoop(8, 60_000, async (k) => (k < missing.length ? (await deliver(missing[k]!)).ok : false), missing.length);
  }
  await new Promise((r) => setTimeout(r, 1000));
  clearInterval(sampler);
  const stormDb = new Database(bot.dbFile!, { readonly: true });
  const bySource = stormDb.prepare('SELECT "sourceMessageId" AS id, COUNT(*) AS n FROM "Ticket" GROUP BY "sourceMessageId"').all() as {
    id: string;
    n: number;
  }[];
  const incidents = (stormDb.prepare('SELECT COUNT(*) AS n FROM "Incident"').get() as { n: number }).n;
  stormDb.close();
  const ticketsOf = new Map(bySource.map((r) => [r.id, r.n]));
  const lost = [...acked].filter((id) => !ticketsOf.has(id)).length;
  const duplicates = bySource.reduce((sum, r) => sum + Math.max(0, r.n - 1), 0);
  return { stormRun, ackedMs, ackedInStorm, acked, shed, redelivered, lost, duplicates, incidents, peak };
}
