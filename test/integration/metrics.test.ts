import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestBot, type TestBot } from '../helpers/bot.js';
import { messageEvent, signedRequest } from '../helpers/feishu-events.js';
import { createFeishuTestBot } from '../helpers/feishu-bot.js';
import type { FeishuOpenApi } from '../helpers/feishu-openapi.js';
import { FEISHU_CHAT, OPEN_ID } from '../helpers/feishu-org.js';
import { sample } from '../helpers/prometheus.js';

const REPORT = '门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话8123';

describe('GET /metrics', () => {
  let feishu: FeishuOpenApi;
  let t: TestBot;

  async function boot(env: Record<string, string> = {}) {
    ({ feishu, t } = await createFeishuTestBot(env));
  }
  afterEach(async () => {
    await t.close();
    await feishu.close();
  });

  const scrape = async (headers: Record<string, string> = {}) => t.bot.app.inject({ url: '/metrics', headers });
  const report = (event = messageEvent({ from: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, text: REPORT, mentionBot: feishu.botOpenId })) => {
    const request = signedRequest(event);
    return t.bot.app.inject({ method: 'POST', url: '/feishu/events', headers: request.headers, payload: request.body });
  };

  describe('open to scrapers', () => {
    beforeEach(async () => boot());

    it('counts the event, the ticket, the outbox rows waiting and the sends', async () => {
      const before = await scrape();
      expect(before.statusCode).toBe(200);
      expect(before.headers['content-type']).toContain('text/plain');
      expect(sample(before.body, 'helpdesk_events_received_total', { platform: 'feishu', kind: 'message' })).toBe(0);
      expect(before.body).toContain('process_resident_memory_bytes');

      // Feishu is busy: both messages wait in the outbox for a minute.
      feishu.fail({ kind: 'rate-limit', resetSeconds: 60 }, { kind: 'rate-limit', resetSeconds: 60 });
      const event = messageEvent({ from: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, text: REPORT, mentionBot: feishu.botOpenId });
      expect((await report(event)).statusCode).toBe(200);
      expect((await report(event)).statusCode).toBe(200); // Feishu delivers again
      await t.bot.outbox.drain();
      t.clock.advance(2);

      const queued = (await scrape()).body;
      expect(sample(queued, 'helpdesk_events_received_total', { platform: 'feishu', kind: 'message' })).toBe(2);
      expect(sample(queued, 'helpdesk_events_deduplicated_total', { platform: 'feishu' })).toBe(1);
      expect(sample(queued, 'helpdesk_tickets_created_total', { priority: 'P3' })).toBe(1);
      expect(sample(queued, 'helpdesk_event_duration_seconds_count', { platform: 'feishu', kind: 'message', outcome: 'handled' })).toBe(1);
      expect(sample(queued, 'helpdesk_outbox_pending')).toBe(2);
      expect(sample(queued, 'helpdesk_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(120);
      expect(sample(queued, 'helpdesk_outbox_sends_total', { platform: 'feishu', op: 'send', result: 'retry' })).toBe(2);
      expect(sample(queued, 'helpdesk_outbox_send_errors_total', { platform: 'feishu', code: '99991400' })).toBe(2);

      await t.bot.outbox.drain();
      const sent = (await scrape()).body;
      expect(sample(sent, 'helpdesk_outbox_sends_total', { platform: 'feishu', op: 'send', result: 'sent' })).toBe(2);
      expect(sample(sent, 'helpdesk_outbox_pending')).toBe(0);
      expect(sample(sent, 'helpdesk_outbox_oldest_pending_age_seconds')).toBe(0);
      expect(feishu.sent).toHaveLength(2);
    });

    it('counts failed sends by the platform error code', async () => {
      feishu.fail({ kind: 'server-error' });
      await report();
      await t.bot.outbox.drain();
      const text = (await scrape()).body;
      expect(sample(text, 'helpdesk_outbox_send_errors_total', { platform: 'feishu', code: '1500' })).toBe(1);
      expect(sample(text, 'helpdesk_outbox_sends_total', { platform: 'feishu', op: 'send', result: 'retry' })).toBe(1);
    });

    it('counts scheduled fires and how late they ran', async () => {
      await t.bot.scheduler.tick(); // jobs start from now
      t.clock.advance(3 * 24 * 60); // three days: the daily digest is due, two of its fires were missed
      await t.bot.scheduler.tick();
      const text = (await scrape()).body;
      expect(sample(text, 'helpdesk_scheduler_fires_total', { job: 'digest.daily', outcome: 'ran' })).toBe(1);
      expect(sample(text, 'helpdesk_scheduler_fires_total', { job: 'digest.daily', outcome: 'skipped' })).toBe(2);
      expect(sample(text, 'helpdesk_scheduler_lag_seconds_count', { job: 'digest.daily' })).toBe(1);
    });

    it('keeps each app’s metrics apart', async () => {
      const second = await createTestBot({ SIMULATOR: 'on' });
      try {
        await report();
        const mine = (await scrape()).body;
        const theirs = (await second.bot.app.inject({ url: '/metrics' })).body;
        expect(sample(mine, 'helpdesk_events_received_total', { platform: 'feishu', kind: 'message' })).toBe(1);
        expect(sample(theirs, 'helpdesk_events_received_total', { platform: 'feishu', kind: 'message' })).toBe(0);
      } finally {
        await second.close();
      }
    });
  });

  describe('with METRICS_TOKEN', () => {
    const token = 'metrics-token-0123456789';
    beforeEach(async () => boot({ METRICS_TOKEN: token }));

    it('answers only with the bearer token', async () => {
      expect((await scrape()).statusCode).toBe(401);
      expect((await scrape({ authorization: 'Bearer wrong-token-0123456789' })).statusCode).toBe(401);
      const ok = await scrape({ authorization: `Bearer ${token}` });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('helpdesk_events_received_total');
    });
  });
});
