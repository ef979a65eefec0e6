import { registerCompletions } from './approvals/completions.js';
import { ApprovalService } from './approvals/service.js';
import { AuditLog } from './audit.js';
import { DigestService } from './digest/service.js';
import { HandoverService } from './duty/handover.js';
import { DutyService } from './duty/service.js';
import { ReminderService } from './reminders/service.js';
import type { WorkCalendar } from './calendar.js';
import type { Clock } from './clock.js';
import type { Tx } from './db/client.js';
import { IncidentService } from './incidents/service.js';
import type { Directory } from './org/directory.js';
import { Outbox } from './outbox/outbox.js';
import { TicketConfirmation } from './tickets/confirm.js';
import { Deadlines } from './tickets/deadline.js';
import { TicketIntake } from './tickets/intake.js';
import { TicketService } from './tickets/service.js';
import { TicketWork } from './tickets/work.js';

export interface ServiceDeps {
  directory: Directory;
  clock: Clock;
  timeZone: string;
  calendar: WorkCalendar;
}

/** The domain services bound to one transaction: everything they write commits or rolls back together. */
export function servicesFor(tx: Tx, deps: ServiceDeps) {
  const outbox = new Outbox(tx, () => deps.clock.now());
  const audit = new AuditLog(tx, () => deps.clock.now());
  const deadlines = new Deadlines(deps.calendar, deps.directory.org.tickets);
  const tickets = new TicketService({ tx, outbox, audit, deadlines, ...deps });
  const work = new TicketWork(tickets.ledger);
  const approvals = new ApprovalService({ tx, outbox, audit, ...deps });
  const duty = new DutyService({ tx, ...deps });
  registerCompletions(approvals, duty);
  const confirmation = new TicketConfirmation(tickets.ledger);
  return {
    approvals,
    duty,
    handovers: new HandoverService({ tx, outbox, audit, ...deps }, duty),
    reminders: new ReminderService({ tx, outbox, audit, ...deps }),
    digest: new DigestService({ tx, ...deps }),
    outbox,
    audit,
    deadlines,
    tickets,
    work,
    confirmation,
    intake: new TicketIntake(tickets.ledger, tickets, confirmation),
    incidents: new IncidentService(tickets.ledger, work),
  };
}

export type Services = ReturnType<typeof servicesFor>;
