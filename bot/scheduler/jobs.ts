import type { Platform } from '../chat/model.js';
import type { Tx } from '../db/client.js';
import type { Directory } from '../org/directory.js';
import { servicesFor, type Services } from '../services.js';
import { Timer } from '../timer.js';
import type { Job } from './scheduler.js';
import { transact } from '../db/transact.js';

type S = Services & { tx: Tx };

/** Posts a message to an organisation chat on the platform it is bound to (its first non-simulator binding). */
async function postTo(s: S, directory: Directory, chatId: string, message: Parameters<S['outbox']['send']>[1]): Promise<void> {
  const binding = await s.tx.chatBinding.findFirst({ where: { chatId, platform: { not: 'simulator' } } });
  const target = await s.approvals.reach.chat(chatId, (binding?.platform ?? 'simulator') as Platform);
  if (target) await s.outbox.send(target, message);
}

/** What "today's duty" says in the digest. */
export async function dutyText(s: S, directory: Directory): Promise<string> {
  await s.duty.generate(s.duty.today(), 1);
  const rows = await s.duty.assignments(s.duty.today(), 1);
  if (rows.length === 0) return '暂无排班';
  return rows
    .map((r) => `${directory.org.duty.shifts.find((x) => x.id === r.shiftId)?.name ?? r.shiftId} ${directory.person(r.personId)?.name ?? r.personId}`)
    .join('，');
}

/** The recurring jobs of the organisation file: the roster post, each reminder, the digests. */
export function recurringJobs(directory: Directory): Job[] {
  const { duty, reminders, digest } = directory.org;
  const [hh, mm] = duty.postAt.split(':').map(Number);
  const engineers = directory.chatByPurpose('engineers')!.id;
  const intake = directory.chatByPurpose('intake')!.id;
  const leadership = directory.chatByPurpose('leadership')?.id;
  const jobs: Job[] = [
    {
      name: 'roster.post',
      cron: `${mm} ${hh} * * *`,
      async run(s) {
        await s.duty.generate(s.duty.today(), duty.weeksAhead);
        const card = await s.duty.rosterCard();
        for (const chat of [engineers, intake]) await postTo(s, directory, chat, card);
      },
    },
    ...duty.shifts.map((shift): Job => {
      const [eh, em] = shift.end.split(':').map(Number);
      return {
        name: `handover.${shift.id}`,
        cron: `${em} ${eh} * * *`,
        async run(s, fireAt) {
          await s.handovers.start(shift, fireAt);
        },
      };
    }),
    ...reminders.map(
      (r): Job => ({
        name: `reminder.${r.id}`,
        cron: r.schedule,
        async run(s, fireAt) {
          await s.reminders.fire(r, fireAt);
        },
      }),
    ),
  ];
  if (leadership) {
    for (const kind of ['daily', 'weekly', 'monthly'] as const) {
      jobs.push({
        name: `digest.${kind}`,
        cron: digest[kind],
        async run(s) {
          await postTo(s, directory, leadership, await s.digest.card(kind, await dutyText(s, directory)));
        },
      });
    }
  }
  return jobs;
}


/** Reminders nobody completed by their deadline (reminded once more, then the leader told), and handovers nobody accepted. */
export class ReminderWatcher extends Timer {
  protected async work(): Promise<void> {
    try {
      await this.followUp();
    } catch (err) {
      this.log.error({ err }, 'reminder and handover follow-ups failed');
    }
  }

  private async followUp(): Promise<void> {
    const late = await this.db.handover.findMany({ where: { status: 'submitted', acceptDueAt: { lte: this.deps.clock.now() } }, take: 20 });
    for (const h of late) {
      try {
        await transact(this.db, async (tx) => {
          const claimed = await tx.handover.updateMany({ where: { id: h.id, status: 'submitted' }, data: { status: 'overdue' } });
          if (claimed.count === 1) await servicesFor(tx, this.deps).handovers.overdue({ ...h, status: 'overdue' });
        });
      } catch (err) {
        this.log.error({ err, handover: h.id }, 'handover follow-up failed');
      }
    }
    const due = await this.db.reminderFire.findMany({ where: { nextCheckAt: { lte: this.deps.clock.now() }, doneAt: null }, take: 50 });
    for (const fire of due) {
      try {
        await transact(this.db, async (tx) => {
          const claimed = await tx.reminderFire.updateMany({ where: { id: fire.id, level: fire.level, doneAt: null }, data: { nextCheckAt: null } });
          if (claimed.count === 1) await servicesFor(tx, this.deps).reminders.overdue(fire);
        });
      } catch (err) {
        this.log.error({ err, fire: fire.id }, 'reminder follow-up failed');
      }
    }
  }
}
