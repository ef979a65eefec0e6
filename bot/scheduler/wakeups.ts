import type { FastifyBaseLogger } from 'fastify';
import { scheduleJob, type Job as PlannedWake } from 'node-schedule';
import type { Db } from '../db/client.js';
import type { Metrics } from '../metrics.js';
import type { ServiceDeps } from '../services.js';
import { ApprovalWatcher } from './approvals.js';
import { DeadlineWatcher } from './deadlines.js';
import { DirectorySyncWatcher } from './directory-sync.js';
import type { PlatformDirectories } from '../people/lookup.js';
import { FollowUpWatcher } from './follow-ups.js';
import { WakeLag } from './lag.js';
import { Scheduler, type Job } from './scheduler.js';
import { earliest, type Timer } from './timer.js';

/** How soon after a commit that asks for it the wake-ups run. */
const SOON_MS = 1_000;

export interface WakeupsDeps {
  db: Db;
  services: ServiceDeps;
  log: FastifyBaseLogger;
  /** The persisted recurring jobs (roster, handovers, reminders, digests). */
  jobs: Job[];
  metrics?: Pick<Metrics, 'fired'>;
  /** The safety net: how often the process wakes even when nothing is known to be due. */
  pollMs?: number;
  /** The platforms' directories, read by the directory imports (同步通讯录, the daily job). */
  directories?: PlatformDirectories;
}

/**
 * Everything time does in the bot, in one place: the persisted jobs, the tickets' deadlines, the
 * approvals' reminders and phases, the reminders' and handovers' follow-ups. Every time itself
 * lives in the database; this only wakes the process. After each run node-schedule is set for the
 * earliest moment anything is known to fall due, so a reminder fires on its minute; a slow poll is
 * the safety net for what changed since (a new ticket's deadline) and for steps that failed.
 *
 * The moments are the bot's clock, which the simulator can move: a wake is planned that far ahead
 * in real time, and after a move the simulator runs `tick()` itself (its settle), which plans again.
 */
export class Wakeups {
  readonly scheduler: Scheduler;
  readonly deadlines: DeadlineWatcher;
  readonly approvals: ApprovalWatcher;
  readonly followUps: FollowUpWatcher;
  readonly directorySync: DirectorySyncWatcher;
  /** How late the runs start against the wakes they serve (the readiness check's scheduler lag). */
  readonly lag = new WakeLag();
  private readonly timers: Timer[];
  private readonly pollMs: number;
  private running: Promise<void> | undefined;
  private started = false;
  private poll: NodeJS.Timeout | undefined;
  private planned: PlannedWake | undefined;
  private soonTimer: NodeJS.Timeout | undefined;

  constructor(private readonly d: WakeupsDeps) {
    const { db, services, log } = d;
    this.scheduler = new Scheduler(db, services, log);
    this.scheduler.register(...d.jobs);
    this.scheduler.metrics = d.metrics;
    this.deadlines = new DeadlineWatcher(db, services, log);
    this.approvals = new ApprovalWatcher(db, services, log);
    this.followUps = new FollowUpWatcher(db, services, log);
    // After the scheduler: the daily directory job's request runs in the same wake.
    this.directorySync = new DirectorySyncWatcher(db, services, log, d.directories);
    this.timers = [this.scheduler, this.deadlines, this.approvals, this.followUps, this.directorySync];
    this.pollMs = d.pollMs ?? 60_000;
  }

  /**
   * Runs every timer once, in order: what is due now happens. One run at a time: a wake during a
   * run joins it. Never rejects. Once started, the next wake is planned at the end of the run.
   */
  tick(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Wakes now, then at every planned moment and on every poll, until `stop`. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.lag.expect('poll', Date.now() + this.pollMs);
    this.poll = setInterval(() => {
      void this.tick();
      this.lag.expectNext('poll', Date.now() + this.pollMs);
    }, this.pollMs);
    this.poll.unref();
    void this.tick();
  }

  /**
   * What was just committed may be due at once (a P1 to page, a priority raised): a run within a
   * second, however many events ask for it meanwhile, so a storm of reports costs one run a second.
   */
  soon(): void {
    if (!this.started || this.soonTimer) return;
    this.lag.expectNext('soon', Date.now() + SOON_MS);
    this.soonTimer = setTimeout(() => {
      this.soonTimer = undefined;
      void this.tick();
    }, SOON_MS);
    this.soonTimer.unref();
  }

  /** No more wakes; resolves once the run in progress (if any) has finished. */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.soonTimer);
    this.soonTimer = undefined;
    clearInterval(this.poll);
    this.poll = undefined;
    this.planned?.cancel();
    this.planned = undefined;
    this.lag.forget();
    await this.idle();
  }

  /** Resolves once the run in progress, if any, has finished; starts none. */
  async idle(): Promise<void> {
    await this.running;
  }

  private async run(): Promise<void> {
    this.lag.started();
    for (const timer of this.timers) await timer.tick();
    if (this.started) await this.plan();
  }

  /** The earliest moment after now (the bot's clock) that something is known to fall due. */
  async nextDue(): Promise<Date | undefined> {
    const now = this.d.services.clock.now();
    const moments: (Date | undefined)[] = [];
    for (const timer of this.timers) moments.push(await timer.nextDue(now));
    return earliest(...moments);
  }

  /** Sets node-schedule for the earliest moment after now that something falls due. */
  private async plan(): Promise<void> {
    const { clock } = this.d.services;
    let next: Date | undefined;
    try {
      next = await this.nextDue();
    } catch (err) {
      // The poll still wakes the process; the next run plans again.
      this.d.log.warn({ err }, 'could not plan the next wake-up');
      return;
    }
    if (!this.started) return;
    this.planned?.cancel();
    this.planned = undefined;
    if (!next) {
      this.lag.expectNext('planned', undefined);
      return;
    }
    // The bot's clock may run ahead of the system's (the simulator): wait as long as it has to go.
    const at = new Date(Date.now() + Math.max(next.getTime() - clock.now().getTime(), 1));
    this.planned = scheduleJob(at, () => void this.tick()) ?? undefined;
    this.lag.expectNext('planned', this.planned ? at.getTime() : undefined);
  }
}
