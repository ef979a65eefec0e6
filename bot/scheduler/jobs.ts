import type { Directory } from '../org/directory.js';
import type { Services } from '../services.js';
import type { Job } from './scheduler.js';

/** Posts a message to an organisation chat on the platform it is bound to (Reach.home). */
async function postTo(s: Services, chatId: string, message: Parameters<Services['outbox']['send']>[1]): Promise<void> {
  const target = await s.reach.home(chatId);
  if (target) await s.outbox.send(target, message);
}

/** When the platforms' directories are imported each night (hospital time; off the hour, away from the roster fill). */
export const DIRECTORY_SYNC_CRON = '41 2 * * *';

/** The recurring jobs of the organisation file: the roster post, each reminder, the digests. */
export function recurringJobs(directory: Directory, options: { holidayNotices: boolean } = { holidayNotices: true }): Job[] {
  const { duty, reminders, digest } = directory.org;
  const [hh, mm] = duty.postAt.split(':').map(Number);
  const engineers = directory.chatByPurpose('engineers')!.id;
  const intake = directory.chatByPurpose('intake')!.id;
  const leadership = directory.chatByPurpose('leadership')?.id;
  const jobs: Job[] = [
    {
      // The roster is filled ahead every night, so who is on duty is known before anyone asks.
      name: 'roster.fill',
      cron: '3 0 * * *',
      async run(s) {
        await s.duty.generate(s.duty.today(), duty.weeksAhead);
      },
    },
    {
      name: 'roster.post',
      cron: `${mm} ${hh} * * *`,
      async run(s) {
        await s.duty.generate(s.duty.today(), duty.weeksAhead);
        const card = await s.duty.rosterCard();
        for (const chat of [engineers, intake]) await postTo(s, chat, card);
      },
    },
    {
      // The days another instance set by command, and a year without holiday data (told once).
      name: 'calendar.holiday-data',
      cron: '7 9 * * *',
      async run(s, fireAt) {
        await s.holidays.load();
        if (options.holidayNotices) await s.holidays.warnMissingYears(fireAt);
      },
    },
    {
      // The platforms' directories imported every night: who joined, moved or left (同步通讯录 does it on demand).
      name: 'directory.sync',
      cron: DIRECTORY_SYNC_CRON,
      async run(s) {
        await s.directorySync.requestDaily();
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
    ...reminders.map((r): Job => ({
      name: `reminder.${r.id}`,
      cron: r.schedule,
      async run(s, fireAt) {
        await s.reminders.fire(r, fireAt);
      },
    })),
  ];
  if (leadership) {
    for (const kind of ['daily', 'weekly', 'monthly'] as const) {
      jobs.push({
        name: `digest.${kind}`,
        cron: digest[kind],
        async run(s) {
          await postTo(s, leadership, await s.digest.card(kind, await s.duty.todayText()));
        },
      });
    }
  }
  return jobs;
}
