import { describe, expect, it } from 'vitest';
import type { EventResult, IncomingEvent } from '../../../bot/chat/model.js';
import { EventGate } from '../../../bot/event-gate.js';
import { t } from '../../../bot/i18n/zh.js';

const event = (kind: 'message' | 'action', id: string): IncomingEvent => ({
  platform: 'feishu',
  eventId: id,
  kind,
  chat: { id: 'oc_intake', type: 'group' },
  user: { platformId: 'ou_zhangli' },
  text: '打印机卡纸',
  mentionsBot: true,
  attachments: [],
});

describe('the gate events enter by', () => {
  it('lets the events in progress finish, and answers every later one retry without handling it', async () => {
    const handled: string[] = [];
    let finish!: () => void;
    const slow = new Promise<void>((resolve) => (finish = resolve));
    const gate = new EventGate(async (e): Promise<EventResult> => {
      handled.push(e.eventId);
      if (e.eventId === 'slow') await slow;
      return { outcome: 'handled' };
    });
    const inProgress = gate.sink(event('message', 'slow'));
    await Promise.resolve();
    gate.close();
    expect(gate.closed).toBe(true);
    expect(await gate.sink(event('message', 'late'))).toEqual({ outcome: 'retry' });
    expect(await gate.sink(event('action', 'click'))).toEqual({ outcome: 'retry', toast: { type: 'error', text: t('error.storage_busy') } });

    let idle = false;
    const waiting = gate.idle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(idle).toBe(false);
    finish();
    await waiting;
    expect(await inProgress).toEqual({ outcome: 'handled' });
    expect(handled).toEqual(['slow']);
  });

  it('holds events until what they need at start is in place', async () => {
    const handled: string[] = [];
    const gate = new EventGate(async (e) => {
      handled.push(e.eventId);
      return { outcome: 'handled' };
    });
    let ready!: () => void;
    gate.hold(new Promise<void>((resolve) => (ready = resolve)));
    const answer = gate.sink(event('message', 'early'));
    await new Promise((r) => setTimeout(r, 10));
    expect(handled).toEqual([]);
    ready();
    expect(await answer).toEqual({ outcome: 'handled' });
    expect(handled).toEqual(['early']);
  });
});
