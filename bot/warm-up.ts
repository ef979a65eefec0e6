/**
 * A dry run of the busiest paths at start, so the first reports after a start do not pay for
 * compiling them: a report goes through the whole pipeline (dedupe, load user, extraction, the
 * ticket and its cards, the outbox rows, incident matching, Prisma's first queries of each kind)
 * and an engineer claims the ticket it made, all in one transaction that is rolled back. Nothing
 * is sent and nothing stays in the database; in-memory caches it fills (the word segmenter,
 * compiled query plans, compiled code) are what it is for.
 */
import type { IncomingEvent } from './chat/model.js';
import type { Registry } from './commands.js';
import { compose, Context } from './context.js';
import { sameProvider, type Db, type Tx } from './db/client.js';
import { dedupe } from './middleware/dedupe.js';
import { dispatch } from './middleware/dispatch.js';
import { greetOnArrival } from './middleware/joined.js';
import { loadUser } from './middleware/load-user.js';
import { servicesFor, type ServiceDeps } from './services.js';
import { ACTION } from './tickets/cards.js';

/** What the dry run reports, written as the sample hospital's clinicians do. */
const REPORT = '门诊3楼212诊室打印机卡纸，打不出处方，资产号PR-0231，电话8123';
const EVENT_ID = 'warm-up';

/** Thrown at the end of the dry run, so its transaction rolls back. */
class DryRun extends Error {}

export interface WarmUpDeps {
  db: Db;
  registry: Registry;
  /** The organisation file in force and the rest the services need, read as the dry run starts. */
  services: () => ServiceDeps;
}

/**
 * Runs the dry run; what it did, for the log: `report` (a ticket was made and claimed), or why
 * less was done (no reporter, intake group, engineer or engineers' group in the file).
 */
export async function warmUp({ db, registry, services }: WarmUpDeps): Promise<string> {
  const deps = services();
  const { directory } = deps;
  const reporter = directory.allPeople().find((p) => p.roles.includes('reporter') && !directory.isItStaff(p));
  const engineer = directory.allPeople().find((p) => p.roles.includes('it_engineer'));
  const intake = directory.chatByPurpose('intake');
  const engineers = directory.chatByPurpose('engineers');
  if (!reporter || !intake) return 'skipped: no reporter or intake group in the organisation file';
  const pipeline = compose([dedupe, greetOnArrival, loadUser, dispatch(registry)]);
  // The simulator's ids: every person and chat of the file has one, whichever platforms are on.
  const event = (e: Partial<IncomingEvent> & Pick<IncomingEvent, 'kind' | 'chat' | 'user'>): IncomingEvent => ({
    platform: 'simulator',
    eventId: EVENT_ID,
    mentionsBot: true,
    attachments: [],
    ...e,
  });
  let did = 'report';
  try {
    await db.$transaction(
      async (transaction) => {
        const tx = sameProvider(transaction, db);
        const run = (incoming: IncomingEvent) => pipeline(new Context(incoming, tx, servicesFor(tx, deps), directory, deps.timeZone));
        await run(event({ kind: 'message', chat: { id: intake.id, type: 'group' }, user: { platformId: reporter.id }, text: REPORT }));
        const ticket = await madeBy(tx);
        if (ticket && engineer && engineers) {
          await run(
            event({
              eventId: `${EVENT_ID}-claim`,
              kind: 'action',
              chat: { id: engineers.id, type: 'group' },
              user: { platformId: engineer.id },
              action: { name: ACTION.claim, value: { ticket: ticket.number, v: ticket.version } },
              replyTo: { platform: 'simulator', chatId: engineers.id, messageId: `${EVENT_ID}-card` },
            }),
          );
          did = 'report and claim';
        } else if (!ticket) did = 'report (no ticket made)';
        throw new DryRun();
      },
      { maxWait: 10_000, timeout: 30_000 },
    );
  } catch (err) {
    if (!(err instanceof DryRun)) throw err;
  }
  return did;
}

function madeBy(tx: Tx) {
  return tx.ticket.findFirst({ where: { sourceMessageId: EVENT_ID }, select: { number: true, version: true } });
}
