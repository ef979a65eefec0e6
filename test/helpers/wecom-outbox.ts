import { WeComAdapter } from '../../adapters/wecom/adapter.js';
import type { Platform } from '../../bot/chat/model.js';
import type { Db } from '../../bot/db/client.js';
import { OutboxWorker } from '../../bot/outbox/worker.js';
import { FakeTime } from '../failure/fake-time.js';
import { freshDatabase } from './db.js';
import { silentLog } from './log.js';
import { WeComApiStandIn } from './wecom-api.js';
import { wecomDirectory } from './wecom-org.js';

export interface WeComOutbox {
  time: FakeTime;
  wecom: WeComApiStandIn;
  db: Db;
  worker: OutboxWorker;
  close(): Promise<void>;
}

/**
 * The outbox sending through the WeCom adapter (the self-built application, no robot) to the API
 * stand-in, all on one fake clock, over a fresh database of the WeCom organisation.
 */
export async function startWeComOutbox(): Promise<WeComOutbox> {
  const time = new FakeTime();
  const wecom = new WeComApiStandIn();
  wecom.clock = time.nowMs;
  await wecom.start();
  const { db, drop } = await freshDatabase(wecomDirectory());
  const adapter = new WeComAdapter({
    base: wecom.url,
    corpId: 'ww-hospital-corp',
    agentId: '1000002',
    secret: 'app-secret',
    robot: { mode: 'off' },
    botName: '信息科助手',
    log: silentLog,
    timeoutMs: 1000,
    now: time.nowMs,
  });
  const worker = new OutboxWorker({ db, adapters: new Map<Platform, WeComAdapter>([['wecom', adapter]]), clock: time, log: silentLog });
  return {
    time,
    wecom,
    db,
    worker,
    async close() {
      await worker.stop();
      await wecom.close();
      await drop();
    },
  };
}
