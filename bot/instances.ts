import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from './db/client.js';

/** How often a running bot says so in the database, and how long that stands. */
const BEAT_EVERY_MS = 30_000;
const STANDS_FOR_MS = 90_000;
const KEY = 'instance:';

/** Another bot process seen writing to the same database lately. */
export interface OtherInstance {
  host: string;
  pid: number;
  startedAt: string;
}

/** Whether a process of this host is still running (a row of ours from before a restart is not another bot). */
function alive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A row per running bot in the database (PlatformState `instance:<id>`, renewed every 30 s, standing
 * 90 s), so a bot starting on a SQLite file another bot uses can say so: SQLite serves one instance.
 * Wall-clock times: the simulator's clock has no say in which processes run.
 */
export class InstanceHeartbeat {
  private readonly key = `${KEY}${randomUUID()}`;
  private readonly startedAt = new Date().toISOString();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly db: Db) {}

  /** The other bots that wrote their row within the last 90 s. */
  async others(): Promise<OtherInstance[]> {
    const rows = await this.db.platformState.findMany({ where: { key: { startsWith: KEY }, expiresAt: { gt: new Date() } } });
    const here = hostname();
    return rows.flatMap((row) => {
      if (row.key === this.key) return [];
      try {
        const seen = JSON.parse(row.value) as OtherInstance;
        return seen.host === here && !alive(seen.pid) ? [] : [seen];
      } catch {
        return [];
      }
    });
  }

  /** Writes this bot's row now and every 30 s until `stop`; a failed write is tried at the next beat. */
  async start(): Promise<void> {
    await this.beat().catch(() => undefined);
    this.timer = setInterval(() => void this.beat().catch(() => undefined), BEAT_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.db.platformState.deleteMany({ where: { key: this.key } }).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    const value = JSON.stringify({ host: hostname(), pid: process.pid, startedAt: this.startedAt } satisfies OtherInstance);
    const expiresAt = new Date(Date.now() + STANDS_FOR_MS);
    await this.db.platformState.upsert({ where: { key: this.key }, create: { key: this.key, value, expiresAt }, update: { value, expiresAt } });
  }
}
