import { messageEvent, signedRequest } from '../test/helpers/feishu-events.js';
import { API_TOKEN, LEADERSHIP_CHAT, type BotProcess } from './bot.js';
import { percentile } from './load.js';

/**
 * How long `/api/stats` for the last 30 days and a leader's 日报 take, each the median of `runs`
 * after one run that is not counted.
 */
export async function statsTimes(bot: BotProcess, opts: { now: Date; runs: number; leaderOpenId: string; botOpenId: string }) {
  const { now } = opts;
  const day = (d: Date) => d.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  const query = `/api/stats?from=${day(new Date(now.getTime() - 30 * 86_400_000))}&to=${day(new Date(now.getTime() + 86_400_000))}`;
  const times: number[] = [];
  for (let i = 0; i < opts.runs + 1; i++) {
    const s = performance.now();
    const res = await bot.http.request('GET', query, undefined, { authorization: `Bearer ${API_TOKEN}` });
    if (res.status !== 200) throw new Error(`/api/stats → ${res.status} ${res.body.slice(0, 200)}`);
    if (i > 0) times.push(performance.now() - s);
  }
  const digest: number[] = [];
  for (let i = 0; i < opts.runs + 1; i++) {
    const req = signedRequest(messageEvent({ from: opts.leaderOpenId, chatId: LEADERSHIP_CHAT, text: '日报', mentionBot: opts.botOpenId }));
    const s = performance.now();
    const ok = await bot.http.request('POST', '/feishu/events', req.body, req.headers).then((r) => r.status === 200);
    if (!ok) throw new Error('the digest request failed');
    if (i > 0) digest.push(performance.now() - s);
  }
  return { stats: percentile(times, 50), digest: percentile(digest, 50) };
}
