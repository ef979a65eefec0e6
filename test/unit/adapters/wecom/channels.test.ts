import { describe, expect, it } from 'vitest';
import { PassiveReplies, REPLY_URL_MS, ReplyUrls } from '../../../../adapters/wecom/channels.js';
import { MemoryPlatformState } from '../../../../adapters/shared/memory-state.js';

describe('the robot’s reply URLs (fake time)', () => {
  it('offers each URL once, the one expiring first first, never one in its last minute', async () => {
    let now = 0;
    const urls = new ReplyUrls(new MemoryPlatformState(), () => now);
    await urls.add('g', 'u1');
    now = 1000;
    await urls.add('g', 'u2');
    expect((await urls.take('g'))?.url).toBe('u1');
    expect((await urls.take('g'))?.url).toBe('u2');
    expect(await urls.take('g')).toBeUndefined();

    await urls.add('g', 'u3');
    now += REPLY_URL_MS - 30_000;
    expect(await urls.take('g')).toBeUndefined();
  });

  it('takes back a URL whose send got no answer once, and gives it up the second time', async () => {
    const urls = new ReplyUrls(new MemoryPlatformState(), () => 0);
    await urls.add('g', 'u1');
    const first = (await urls.take('g'))!;
    await urls.giveBack('g', first);
    const again = (await urls.take('g'))!;
    expect(again.url).toBe('u1');
    await urls.giveBack('g', again);
    expect(await urls.take('g')).toBeUndefined();
  });

  it('forgets a URL a delivery made again brought', async () => {
    const urls = new ReplyUrls(new MemoryPlatformState(), () => 0);
    await urls.add('g', 'u1');
    await urls.add('g', 'u2');
    await urls.remove('g', 'u1');
    expect((await urls.take('g'))?.url).toBe('u2');
  });
});

describe('the robot’s passive replies', () => {
  it('carries one message per open callback, confirmed when the callback answers with it', async () => {
    const passive = new PassiveReplies();
    expect(passive.offer('g', { n: 0 })).toBeUndefined();
    const slot = passive.open('g');
    const sent = passive.offer('g', { n: 1 });
    expect(sent).toBeDefined();
    expect(passive.offer('g', { n: 2 })).toBeUndefined();
    await slot.arrived;
    expect(slot.close(true)).toEqual({ n: 1 });
    await expect(sent).resolves.toBeUndefined();
    expect(passive.offer('g', { n: 3 })).toBeUndefined();
  });

  it('hands a message back when its callback closes without answering (nothing was stored)', async () => {
    const passive = new PassiveReplies();
    const slot = passive.open('g');
    const sent = passive.offer('g', { n: 1 });
    expect(slot.close(false)).toBeUndefined();
    await expect(sent).rejects.toMatchObject({ name: 'RetryableSendError' });
  });
});
