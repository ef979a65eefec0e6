import { randomUUID } from 'node:crypto';
import { CronExpressionParser } from 'cron-parser';
import type { Tx } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { transact } from '../db/transact.js';
import type { Metrics } from '../metrics.js';
import { inUnitOfWork, type Services } from '../services.js';
import { earliest, Timer } from './timer.js';

export interface Job {
  /** Unique and stable: `reminder.backup-register`, `digest.daily`, … */
  name: string;
  /** minute hour day month weekday, in the hospital's time zone. */
  cron: string;
  /** Calls the domain, in the unit of work that claims the fire. */
  run(services: Services, fireAt: Date, tx: Tx): Promise<void>;
}

/** Fire times of a cron rule in (after, until]. */
export function firesBetween(cron: string, after: Date, until: Date, timeZone: string): Date[] {
  const it = CronExpressionParser.parse(cron, { currentDate: after, tz: timeZone });
  const fires: Date[] = [];
  for (;;) {
    const next = it.next().toDate();
    if (next > until) return fires;
    fires.push(next);
    if (fires.length > 10_000) return fires;
  }
}

/** The first fire of a cron rule after `after`. */
export function nextFire(cron: string, after: Date, timeZone: string): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timeZone }).next().toDate();
}

/**
 * Persisted recurring jobs. The process is only woken (at the next fire, by the poll, by the
 * simulator's clock); what is due comes from each job's last handled fire in the database. A fire
 * is claimed by inserting its (job, fire time) row in the same transaction that runs it, so with
 * several instances it runs once. After downtime the policy is "catch up once": only the newest missed fire runs; older
 * ones are recorded as skipped, with a log line.
 */
export class Scheduler extends Timer {
  private readonly instance = randomUUID();
  private jobs: Job[] = [];
  metrics?: Pick<Metrics, 'fired'>;

  register(...jobs: Job[]): void {
    this.jobs.push(...jobs);
  }

  /** The jobs of another organisation file, from the next run on (a run in progress finishes with the ones it had). */
  replaceJobs(jobs: Job[]): void {
    this.jobs = [...jobs];
  }

  /** The next fire of any job after `now`. */
  async nextDue(now: Date): Promise<Date | undefined> {
    const fires = this.jobs.map((job) => {
      try {
        return nextFire(job.cron, now, this.deps.timeZone);
      } catch {
        return undefined; // a bad rule is logged when its turn comes
      }
    });
    return earliest(...fires);
  }

  protected async work(): Promise<void> {
    for (const job of this.jobs) {
      try {
        await this.runDue(job);
      } catch (err) {
        // A database hiccup or a bad rule stops this job's turn, not the bot; the next wake retries.
        this.log.error({ err, job: job.name }, 'scheduled job could not run');
      }
    }
  }

  private async runDue(job: Job): Promise<void> {
    const now = this.deps.clock.now();
    const state = await this.db.jobState.findUnique({ where: { job: job.name } });
    if (!state) {
      // A new job starts from now: nothing from before it existed is due.
      await transact(this.db, async (tx) => {
        if (!(await tx.jobState.findUnique({ where: { job: job.name } }))) {
          await tx.jobState.create({ data: { job: job.name, lastFireAt: now } });
        }
      });
      return;
    }
    const fires = firesBetween(job.cron, state.lastFireAt, now, this.deps.timeZone);
    if (fires.length === 0) return;
    const latest = fires.at(-1)!;
    const missed = fires.slice(0, -1);
    try {
      await inUnitOfWork(this.db, this.deps, async (services, tx) => {
        // Another instance ran this fire already (seen again when a conflicting claim is retried).
        if (await tx.scheduledFire.findUnique({ where: { job_fireAt: { job: job.name, fireAt: latest } } })) {
          await tx.jobState.update({ where: { job: job.name }, data: { lastFireAt: latest } });
          return;
        }
        // Every row goes in or the claim throws (a fire taken by another instance): the catch below.
        await tx.scheduledFire.createMany({
          data: [
            ...missed.map((fireAt) => ({ job: job.name, fireAt, claimedBy: this.instance, claimedAt: now, outcome: 'skipped' })),
            { job: job.name, fireAt: latest, claimedBy: this.instance, claimedAt: now, outcome: 'ran' },
          ],
        });
        await tx.jobState.update({ where: { job: job.name }, data: { lastFireAt: latest } });
        if (missed.length > 0) this.log.warn({ job: job.name, skipped: missed.length, ran: latest.toISOString() }, 'missed fires skipped: catching up once');
        await job.run(services, latest, tx);
        this.metrics?.fired(job.name, (now.getTime() - latest.getTime()) / 1000, missed.length);
      });
    } catch (err) {
      // Another instance claimed the fire first (unique key), or the job failed: its transaction changed nothing.
      if (isUniqueViolation(err, 'ScheduledFire')) {
        await this.db.jobState.update({ where: { job: job.name }, data: { lastFireAt: latest } }).catch(() => undefined);
        return;
      }
      this.log.error({ err, job: job.name, fireAt: latest.toISOString() }, 'scheduled job failed');
    }
  }
}
