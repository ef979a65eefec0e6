import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventResult, IncomingEvent } from '../../../../bot/chat/model.js';
import { sinkWithRedelivery } from '../../../../adapters/shared/redeliver.js';

const message: IncomingEvent = {
  platform: 'wechaty',
  eventId: 'msg-1',
  kind: 'message',
  chat: { id: 'room-1', type: 'group' },
  user: { platformId: 'u1' },
  text: 'HIS登不上了',
  mentionsBot: true,
  attachments: [],
};
const log = { warn: vi.fn(), error: vi.fn() };

describe('a message the bot could not store, on a connection that never delivers it again', () => {
  afterEach(() => vi.useRealTimers());

  it('is handed to the bot again, the same event, until it is stored', async () => {
    vi.useFakeTimers();
    const outcomes: EventResult['outcome'][] = ['retry', 'retry', 'handled'];
    const seen: string[] = [];
    const sink = sinkWithRedelivery(async (event) => (seen.push(event.eventId), { outcome: outcomes.shift()! }), log, [1_000, 5_000, 10_000]);
    expect((await sink(message)).outcome).toBe('retry');
    await vi.advanceTimersByTimeAsync(999);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(seen).toEqual(['msg-1', 'msg-1', 'msg-1']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(seen).toHaveLength(3);
  });

  it('gives up after its last attempt, saying so, and never retries a click', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const sink = sinkWithRedelivery(async () => (calls++, { outcome: 'retry' }), log, [1_000]);
    await sink(message);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(2);
    expect(log.error).toHaveBeenCalledWith(expect.objectContaining({ eventId: 'msg-1' }), expect.stringContaining('given up'));
    await sink({ ...message, eventId: 'click-1', kind: 'action', action: { name: 'ticket.claim', value: {} } });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(3);
  });
});
