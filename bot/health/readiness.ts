import type { Platform } from '../chat/model.js';
import type { ChatReceiver, PlatformStatus } from '../chat/ports.js';
import type { Clock } from '../clock.js';
import { providerOf, type Db, type Provider } from '../db/client.js';
import type { StorageHealth } from '../db/health.js';
import type { WakeLagFigures } from '../scheduler/lag.js';
import { outboxFigures, within, type OutboxFigures } from './figures.js';

/** How long the outbox's figures and each platform's status may take to read. */
const READ_WITHIN_MS = 2_000;
const STATUS_WITHIN_MS = 4_000;
/** Less room than this for the database to grow in (a few reports with their cards) is no room. */
export const MIN_ROOM_BYTES = 256 * 1024;

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  /** Why it is not ready (empty when it is). */
  reasons: string[];
  database: { provider: Provider; writable: boolean; failingSince?: string; error?: string; roomBytes?: number };
  platforms: Partial<Record<Platform, PlatformStatus>>;
  /** Null when the database could not be read. */
  outbox: OutboxFigures | null;
  scheduler: WakeLagFigures;
}

export interface ReadinessDeps {
  db: Db;
  storage: StorageHealth;
  /** How many bytes the database can still grow by (SQLite: its file and its disk), when that can be told. */
  room?: () => Promise<number | undefined>;
  /** The configured platforms (filled once the server is ready). */
  adapters: ReadonlyMap<Platform, Pick<ChatReceiver, 'status'>>;
  clock: Clock;
  /** How late the scheduler's wakes run. */
  lag: () => WakeLagFigures;
  /** Whether the bot has begun to stop (it takes no more events). */
  stopping: () => boolean;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Whether the bot can do its work now: the database takes a write (the storage probe), every
 * configured platform is connected or reachable, and the bot is not stopping. The report carries
 * the figures to watch beside it: the outbox's backlog and its oldest row, the dead rows, the
 * scheduler's lag, each platform's state.
 */
export class Readiness {
  private checking: Promise<ReadinessReport> | undefined;

  constructor(private readonly deps: ReadinessDeps) {}

  /** One check at a time: asked again meanwhile (the gauges of one scrape), the same check answers. */
  check(): Promise<ReadinessReport> {
    this.checking ??= this.run().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async run(): Promise<ReadinessReport> {
    const { db, storage, adapters, clock } = this.deps;
    const reasons: string[] = [];
    const [probed, room, outbox, platforms] = await Promise.all([
      storage.probe(db),
      this.deps.room ? within(this.deps.room(), READ_WITHIN_MS, 'reading the room left').catch(() => undefined) : undefined,
      within(outboxFigures(db, clock), READ_WITHIN_MS, 'reading the outbox').catch((err: unknown) => {
        reasons.push(`outbox figures could not be read: ${messageOf(err)}`);
        return null;
      }),
      Promise.all(
        [...adapters].map(async ([platform, adapter]): Promise<[Platform, PlatformStatus]> => {
          if (!adapter.status) return [platform, { ready: true, state: 'unknown' }];
          const status = await within(adapter.status(), STATUS_WITHIN_MS, 'its status').catch((err: unknown): PlatformStatus => ({
            ready: false,
            state: 'unknown',
            reason: messageOf(err),
          }));
          return [platform, status];
        }),
      ),
    ]);
    // A write of one row may still fit in a full database: no room to grow is not writable either.
    const full = room !== undefined && room < MIN_ROOM_BYTES;
    const writes = full ? { ...probed, writable: false, error: probed.error ?? `no room left to write: ${room} bytes (the disk or max_page_count)` } : probed;
    if (!writes.writable) reasons.unshift(`database not writable${writes.error ? `: ${writes.error}` : ''}`);
    for (const [platform, status] of platforms) {
      if (!status.ready) reasons.push(`${platform}: ${status.state}${status.reason ? ` (${status.reason})` : ''}`);
    }
    if (this.deps.stopping()) reasons.push('stopping: no more events are taken');
    return {
      status: reasons.length === 0 ? 'ok' : 'unavailable',
      reasons,
      database: { provider: providerOf(db), ...writes, ...(room !== undefined ? { roomBytes: room } : {}) },
      platforms: Object.fromEntries(platforms),
      outbox,
      scheduler: this.deps.lag(),
    };
  }
}
