import type { BotProcess } from './bot.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the bot sends no more statements for a while (everything it set off is done); its count then. */
async function settle(bot: BotProcess): Promise<{ data: number; control: number }> {
  let last = await bot.statements();
  for (;;) {
    await sleep(250);
    const now = await bot.statements();
    if (now.data === last.data && now.control === last.control) return now;
    last = now;
  }
}

/**
 * Sends `n` requests one at a time, each after the last one settled, and counts the SQL statements:
 * until each is answered (its unit of work; a statement of the work it woke may slip in), and until
 * everything it set off is done.
 */
export async function countEach(bot: BotProcess, n: number, send: (k: number) => Promise<boolean>) {
  let answer = 0;
  let control = 0;
  let settled = 0;
  let ok = 0;
  await settle(bot);
  for (let k = 0; k < n; k++) {
    const before = await bot.statements();
    if (await send(k)) ok++;
    const answered = await bot.statements();
    const after = await settle(bot);
    answer += answered.data - before.data;
    control += answered.control - before.control;
    settled += after.data - before.data;
  }
  return { perAnswer: answer / n, controlPerAnswer: control / n, perSettled: settled / n, ok };
}
