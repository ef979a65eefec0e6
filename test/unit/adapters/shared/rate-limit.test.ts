import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../../adapters/shared/rate-limit.js';

describe('RateLimiter (fake time)', () => {
  it('lets at most `limit` calls per window and key through, in arrival order', async () => {
    let now = 0;
    const limiter = new RateLimiter(
      5,
      1000,
      () => now,
      async (ms) => void (now += ms),
    );
    const granted: { key: string; at: number; i: number }[] = [];
    await Promise.all(Array.from({ length: 12 }, (_, i) => limiter.acquire('chat-a').then(() => granted.push({ key: 'a', at: now, i }))));
    expect(granted.map((g) => g.i)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const times = granted.map((g) => g.at);
    for (let i = 5; i < times.length; i++) expect(times[i]! - times[i - 5]!).toBeGreaterThanOrEqual(1000);
    await limiter.acquire('chat-b');
    expect(now).toBe(times.at(-1)); // another key does not wait
  });

  it('tryTake takes a free slot, or says how long until one frees without taking it', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 60_000, () => now);
    expect(limiter.tryTake('hook')).toBe(0);
    now = 10_000;
    expect(limiter.tryTake('hook')).toBe(0);
    now = 15_000;
    expect(limiter.tryTake('hook')).toBe(45_000);
    expect(limiter.tryTake('other')).toBe(0);
    now = 60_000;
    expect(limiter.tryTake('hook')).toBe(0);
    expect(limiter.tryTake('hook')).toBe(10_000);
  });

  it('untilFree says when several more calls fit, taking nothing', () => {
    let now = 0;
    const limiter = new RateLimiter(3, 60_000, () => now);
    expect(limiter.untilFree('member', 3)).toBe(0);
    limiter.tryTake('member');
    now = 20_000;
    limiter.tryTake('member');
    now = 30_000;
    expect(limiter.untilFree('member')).toBe(0);
    expect(limiter.untilFree('member', 2)).toBe(30_000);
    expect(limiter.untilFree('member', 3)).toBe(50_000);
    // More than the limit at once waits as long as the whole window needs, never for ever.
    expect(limiter.untilFree('member', 9)).toBe(50_000);
    expect(limiter.tryTake('member')).toBe(0);
    expect(limiter.untilFree('member')).toBe(30_000);
  });

  it('forgets keys whose window has passed, so one-off keys (message ids) do not pile up', () => {
    let now = 0;
    const limiter = new RateLimiter(5, 1000, () => now);
    for (let i = 0; i < 1000; i++) limiter.tryTake(`message-${i}`);
    now = 5000;
    for (let i = 0; i < 256; i++) limiter.tryTake('chat');
    expect((limiter as unknown as { calls: Map<string, number[]> }).calls.size).toBeLessThanOrEqual(1);
  });
});
