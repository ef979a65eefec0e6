import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageRef, OutgoingMessage, Platform } from '../../../../bot/chat/model.js';
import { PermanentSendError, RetryableSendError } from '../../../../bot/chat/ports.js';
import { AdjustableClock } from '../../../../bot/clock.js';
import type { Db } from '../../../../bot/db/client.js';
import { Outbox } from '../../../../bot/outbox/outbox.js';
import { OutboxWorker } from '../../../../bot/outbox/worker.js';
import { freshDatabase } from '../../../helpers/db.js';
import { silentLog } from '../../../helpers/log.js';

const text = (t: string): OutgoingMessage => ({ type: 'text', text: t });
const target = { platform: 'simulator' as const, chatId: 'intake' };

/** A platform at the boundary: records what it was sent, fails when told to. */
class FakePlatform {
  sent: { chatId: string; message: OutgoingMessage; id: string }[] = [];
  updated: { ref: MessageRef; message: OutgoingMessage }[] = [];
  failures: Error[] = [];
  async send(chatId: string, message: OutgoingMessage) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    const id = `m-${this.sent.length + 1}`;
    this.sent.push({ chatId, message, id });
    return { messageId: id };
  }
  async update(ref: MessageRef, message: OutgoingMessage) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.updated.push({ ref, message });
  }
}

describe('OutboxWorker', () => {
  let db: Db;
  let drop: () => Promise<void>;
  let platform: FakePlatform;
  let clock: AdjustableClock;
  let worker: OutboxWorker;

  beforeEach(async () => {
    ({ db, drop } = await freshDatabase());
    platform = new FakePlatform();
    clock = new AdjustableClock();
    worker = new OutboxWorker({
      db,
      adapters: new Map<Platform, FakePlatform>([['simulator', platform]]),
      clock,
      log: silentLog,
      maxAttempts: 3,
      retryForMs: 0,
    });
  });
  afterEach(async () => drop());

  const enqueue = (fn: (o: Outbox) => Promise<void>) => db.$transaction((tx) => fn(new Outbox(tx, () => clock.now())));

  it('sends rows in order and marks them sent', async () => {
    await enqueue(async (o) => {
      await o.send(target, text('一'));
      await o.send(target, text('二'));
    });
    expect(await worker.drain()).toBe(2);
    expect(platform.sent.map((s) => (s.message as any).text)).toEqual(['一', '二']);
    expect(await db.outbox.count({ where: { status: 'sent' } })).toBe(2);
    expect(await worker.drain()).toBe(0);
  });

  it('backs off after a failure, honours the platform retry-after, and gives up after the last attempt', async () => {
    await enqueue((o) => o.send(target, text('稍后')));
    platform.failures.push(new RetryableSendError('429', 30_000), new Error('socket hang up'), new Error('socket hang up'));

    expect(await worker.drain()).toBe(0);
    let row = await db.outbox.findFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: '429' });
    expect(row.nextAttemptAt.getTime() - clock.now().getTime()).toBeGreaterThan(29_000);

    expect(await worker.drain()).toBe(0); // not due yet: no hot loop
    expect(platform.sent).toHaveLength(0);

    clock.advance(1);
    await worker.drain();
    clock.advance(1);
    await worker.drain();
    row = await db.outbox.findFirstOrThrow();
    expect(row).toMatchObject({ status: 'dead', attempts: 3, lastError: 'socket hang up' });
  });

  it('keeps retrying through an outage of hours, then delivers: attempts alone do not drop a message', async () => {
    const patient = new OutboxWorker({ db, adapters: new Map<Platform, FakePlatform>([['simulator', platform]]), clock, log: silentLog, maxAttempts: 3 });
    await enqueue((o) => o.send(target, text('停机期间的消息')));
    platform.failures.push(...Array.from({ length: 40 }, () => new Error('connect ECONNREFUSED')));
    for (let minute = 0; minute < 5 * 60 && platform.failures.length > 0; minute += 5) {
      await patient.drain();
      clock.advance(5);
    }
    expect(platform.failures).toHaveLength(0);
    expect(await db.outbox.findFirstOrThrow()).toMatchObject({ status: 'pending', attempts: 40 });
    clock.advance(5);
    expect(await patient.drain()).toBe(1);
    expect(platform.sent.map((s) => (s.message as any).text)).toEqual(['停机期间的消息']);
  });

  it('gives up at once when the platform refuses a request for good', async () => {
    await enqueue((o) => o.send(target, text('坏请求')));
    platform.failures.push(new PermanentSendError('230001 message not found'));
    await worker.drain();
    expect(await db.outbox.findFirstOrThrow()).toMatchObject({ status: 'dead', attempts: 1, lastError: '230001 message not found' });
  });

  it('delivers a row once the platform recovers', async () => {
    await enqueue((o) => o.send(target, text('终会送达')));
    platform.failures.push(new Error('502'));
    await worker.drain();
    clock.advance(1);
    expect(await worker.drain()).toBe(1);
    expect(platform.sent).toHaveLength(1);
  });

  it('sends a card not yet sent as it now stands, with no update', async () => {
    const shows = { entityType: 'ticket', entityId: 'IT-0', kind: 'intake' };
    await enqueue((o) => o.send(target, text('v1'), shows));
    await enqueue((o) => o.updateShown('ticket', 'IT-0', () => text('v2')));
    await worker.drain();
    expect(platform.sent.map((s) => (s.message as any).text)).toEqual(['v2']);
    expect(platform.updated).toEqual([]);
  });

  it('updates a card in place by the message id its send returned, newest state only', async () => {
    const shows = { entityType: 'ticket', entityId: 'IT-1', kind: 'intake' };
    await enqueue((o) => o.send(target, text('v1'), shows));
    await worker.drain();
    await enqueue((o) => o.updateShown('ticket', 'IT-1', () => text('v2')));
    await enqueue((o) => o.updateShown('ticket', 'IT-1', () => text('v3')));
    await worker.drain();
    expect(platform.sent.map((s) => (s.message as any).text)).toEqual(['v1']);
    expect(platform.updated).toEqual([{ ref: { platform: 'simulator', chatId: 'intake', messageId: 'm-1' }, message: text('v3') }]);
    // One update waited and took the newest state: the platform is asked once.
    expect(await db.outbox.count({ where: { op: 'update' } })).toBe(1);
  });

  it('holds an update of a card whose send is in flight until it has been sent', async () => {
    const shows = { entityType: 'ticket', entityId: 'IT-2', kind: 'intake' };
    await enqueue((o) => o.send(target, text('v1'), shows));
    // Another instance took the send and died mid-flight; the card changes meanwhile.
    await db.outbox.updateMany({ data: { status: 'sending', lockedBy: 'dead-instance', lockedAt: clock.now() } });
    await enqueue((o) => o.updateShown('ticket', 'IT-2', () => text('v2')));
    await worker.drain();
    expect(platform.updated).toHaveLength(0);
    expect(await db.outbox.findMany({ orderBy: { id: 'asc' }, select: { op: true, status: true } })).toEqual([
      { op: 'send', status: 'sending' },
      { op: 'update', status: 'pending' },
    ]);
    clock.advance(2);
    await worker.drain();
    expect(platform.sent.map((s) => (s.message as any).text)).toEqual(['v1']);
    expect(platform.updated.map((u) => u.message)).toEqual([text('v2')]);
  });

  it('resends a row left mid-send by an instance that died', async () => {
    await enqueue((o) => o.send(target, text('孤儿')));
    await db.outbox.updateMany({ data: { status: 'sending', lockedBy: 'dead-instance', lockedAt: clock.now() } });
    expect(await worker.drain()).toBe(0);
    clock.advance(2);
    expect(await worker.drain()).toBe(1);
    expect(platform.sent).toHaveLength(1);
  });
});
