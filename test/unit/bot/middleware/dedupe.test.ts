import { describe, expect, it } from 'vitest';
import type { IncomingEvent } from '../../../../bot/chat/model.js';
import { dedupKey } from '../../../../bot/middleware/dedupe.js';

const click = (value: unknown, userId = 'ou_wangwei'): IncomingEvent =>
  ({
    platform: 'feishu',
    kind: 'action',
    eventId: `evt-${Math.random()}`,
    chat: { id: 'oc_engineers' },
    user: { platformId: userId },
    action: { name: 'ticket.claim', value },
  }) as unknown as IncomingEvent;

describe('dedupKey', () => {
  it('is the same for a repeated click whatever the delivery id and key order, and differs by person and value', () => {
    expect(dedupKey(click({ number: 'IT-20261124-0001', v: 2 }))).toBe(dedupKey(click({ v: 2, number: 'IT-20261124-0001' })));
    expect(dedupKey(click({ number: 'IT-20261124-0001' }))).not.toBe(dedupKey(click({ number: 'IT-20261124-0001' }, 'ou_qianbo')));
    expect(dedupKey(click({ number: 'IT-20261124-0001' }))).not.toBe(dedupKey(click({ number: 'IT-20261124-0002' })));
  });

  it('keeps a huge button value to a short digest that still tells values apart', () => {
    const big = (tail: string) => click({ form: 'x'.repeat(100_000) + tail });
    const key = dedupKey(big('a'));
    expect(key.length).toBeLessThanOrEqual(200);
    expect(key).toBe(dedupKey(big('a')));
    expect(key).not.toBe(dedupKey(big('b')));
  });
});
