import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Platform } from '../chat/model.js';
import type { DirectoryListing } from '../chat/ports.js';
import type { Db } from '../db/client.js';
import { t } from '../i18n/zh.js';
import type { PlatformDirectories } from '../people/lookup.js';
import { EVERY_PLATFORM } from '../people/sync.js';
import { inUnitOfWork, type ServiceDeps } from '../services.js';
import { Timer } from './timer.js';

/** A run that has not finished in this long (its instance stopped) is taken up again. */
const STALE_MS = 15 * 60_000;

/**
 * Runs the directory imports asked for (同步通讯录, the daily job): each request is claimed once,
 * the platform's directory is read outside any transaction (page by page, however long it takes),
 * then applied in one unit of work (`DirectorySyncService.apply`).
 */
export class DirectorySyncWatcher extends Timer {
  private readonly instance = randomUUID();

  constructor(
    db: Db,
    deps: ServiceDeps,
    log: FastifyBaseLogger,
    private readonly directories: PlatformDirectories | undefined,
  ) {
    super(db, deps, log);
  }

  protected async work(): Promise<void> {
    const now = this.deps.clock.now();
    const stale = new Date(now.getTime() - STALE_MS);
    const due = await this.db.directorySync.findMany({
      where: { OR: [{ status: 'requested' }, { status: 'running', startedAt: { lt: stale } }] },
      orderBy: { id: 'asc' },
      take: 10,
    });
    for (const sync of due) {
      // Claimed by one instance: the row moves on only from the state it was read in.
      const claimed = await this.db.directorySync.updateMany({
        where: { id: sync.id, status: sync.status, startedAt: sync.startedAt },
        data: { status: 'running', lockedBy: this.instance, startedAt: now },
      });
      if (claimed.count !== 1) continue;
      const running = { ...sync, status: 'running', lockedBy: this.instance, startedAt: now };
      if (sync.platform === EVERY_PLATFORM) {
        const platforms = this.directories?.platforms() ?? [];
        await this.inUnit({ sync: sync.id }, 'directory sync could not be planned', (s) => s.directorySync.expand(running, platforms));
        continue;
      }
      const platform = sync.platform as Platform;
      let listing: DirectoryListing;
      try {
        if (!this.directories?.has(platform)) throw new Error(`${platform} has no directory`);
        listing = await this.directories.read(platform);
      } catch (err) {
        this.log.warn({ err: (err as Error).message, platform }, 'the platform directory could not be read');
        await this.inUnit({ sync: sync.id }, 'directory sync failure not recorded', (s) => s.directorySync.failed(running, t('people.sync.unreachable')));
        continue;
      }
      try {
        await inUnitOfWork(this.db, this.deps, (s) => s.directorySync.apply(running, listing));
        this.log.info({ platform, users: listing.users.length, departments: listing.departments.length }, 'directory synced');
      } catch (err) {
        this.log.error({ err, platform }, 'directory sync could not be applied');
        await this.inUnit({ sync: sync.id }, 'directory sync failure not recorded', (s) => s.directorySync.failed(running, t('people.sync.unreachable')));
      }
    }
    // A daily request expanded into one per platform runs on the next wake (at once: it is due now).
    if (due.some((s) => s.platform === EVERY_PLATFORM)) await this.work();
  }

  /** A request is run on the wake its commit asks for (and the daily job's in the same run); only a stalled run is due later. */
  async nextDue(now: Date): Promise<Date | undefined> {
    const running = await this.db.directorySync.aggregate({ where: { status: 'running' }, _min: { startedAt: true } });
    const started = running._min.startedAt;
    return started ? new Date(Math.max(now.getTime(), started.getTime() + STALE_MS)) : undefined;
  }
}
