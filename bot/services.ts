import { AlertService } from './alerts/service.js';
import type { AlertIncidents } from './alerts/types.js';
import { registerCompletions } from './approvals/completions.js';
import { ChangeLifecycle } from './approvals/change.js';
import { Delegations } from './approvals/delegation.js';
import { ApprovalFollowUps } from './approvals/follow-ups.js';
import { ApprovalMessages } from './approvals/messages.js';
import { ApprovalService } from './approvals/service.js';
import { AssetLifecycle } from './assets/lifecycle.js';
import { AssetRegister } from './assets/register.js';
import { AuditLog } from './audit.js';
import { ChatBindingService } from './bindings/service.js';
import { DashboardLinks } from './dashboard/access.js';
import { DashboardFiguresService } from './dashboard/figures.js';
import { DigestService } from './digest/service.js';
import { HandoverService } from './duty/handover.js';
import { DutyService } from './duty/service.js';
import { ReminderService } from './reminders/service.js';
import type { WorkCalendar } from './calendar.js';
import type { Clock } from './clock.js';
import type { Db, Tx } from './db/client.js';
import { transact, type TransactOptions } from './db/transact.js';
import { AlertIncidentService } from './incidents/alerts.js';
import { IncidentEscalation } from './incidents/escalation.js';
import { IncidentRecovery } from './incidents/recovery.js';
import { IncidentMessages } from './incidents/messages.js';
import { IncidentService } from './incidents/service.js';
import { IncidentUpdates } from './incidents/updates.js';
import type { Directory } from './org/directory.js';
import { Outbox } from './outbox/outbox.js';
import { PeopleImport } from './people/import.js';
import { PeopleService } from './people/service.js';
import { DirectorySyncService } from './people/sync.js';
import { Reach } from './reach.js';
import { TicketClosing } from './tickets/closing.js';
import { TicketConfirmation } from './tickets/confirm.js';
import { Deadlines } from './tickets/deadline.js';
import { TicketEscalation } from './tickets/escalation.js';
import { EscalationSteps } from './tickets/escalation-steps.js';
import { TicketGuards } from './tickets/guards.js';
import { TicketIntake } from './tickets/intake.js';
import { TicketLedger } from './tickets/ledger.js';
import { KnowledgeBase } from './tickets/knowledge.js';
import { TicketMerge } from './tickets/merge.js';
import { TicketScope } from './tickets/scope.js';
import { TicketService } from './tickets/service.js';
import { HolidayService } from './holidays/service.js';
import { TicketRepairs } from './tickets/repairs.js';
import { TicketWork } from './tickets/work.js';

export interface ServiceDeps {
  directory: Directory;
  clock: Clock;
  timeZone: string;
  calendar: WorkCalendar;
  /** Where people open the bot's pages (PUBLIC_URL), for the links it sends. */
  publicUrl?: string;
  /** Stands in for the incident side of monitoring alerts (tests record what it is given). */
  alertIncidents?: AlertIncidents;
}

/**
 * The domain services bound to one transaction: everything they write commits or rolls back
 * together. Each is handed its collaborators here; none reaches into another's.
 */
export function servicesFor(tx: Tx, deps: ServiceDeps) {
  const outbox = new Outbox(tx, () => deps.clock.now());
  const audit = new AuditLog(tx, () => deps.clock.now());
  const inTx = { tx, outbox, audit, ...deps };
  const deadlines = new Deadlines(deps.calendar, deps.directory.org.tickets);
  const ticketDeps = { ...inTx, deadlines };
  const ledger = new TicketLedger(ticketDeps);
  const tickets = new TicketService(ticketDeps, ledger, new KnowledgeBase(ticketDeps));
  const guards = new TicketGuards(ticketDeps);
  const repairs = new TicketRepairs(ticketDeps, ledger, guards);
  const work = new TicketWork(ticketDeps, ledger, guards, repairs);
  const incidentMessages = new IncidentMessages(ticketDeps, ledger);
  const confirmation = new TicketConfirmation(ticketDeps, ledger, incidentMessages);
  const scopes = new TicketScope(ticketDeps, ledger, guards);
  const delegations = new Delegations(inTx);
  const approvalMessages = new ApprovalMessages(inTx, delegations);
  const approvals = new ApprovalService(inTx, delegations, approvalMessages);
  const changes = new ChangeLifecycle(inTx, approvals, approvalMessages);
  const reach = new Reach(tx, deps.directory);
  const duty = new DutyService(inTx, reach);
  const incidents = new IncidentService(ticketDeps, ledger, incidentMessages);
  const steps = new EscalationSteps(ticketDeps, ledger, duty);
  const digest = new DigestService(inTx, duty);
  // What monitoring alerts do to incidents (joined, opened, silenced by change windows).
  const alertIncidents: AlertIncidents = deps.alertIncidents ?? new AlertIncidentService(ticketDeps, incidents, incidentMessages, approvals);
  registerCompletions(approvals, { directory: deps.directory, duty, changes, messages: approvalMessages, lifecycle: new AssetLifecycle(inTx) });
  return {
    alertIncidents,
    alerts: new AlertService(inTx, alertIncidents),
    approvals,
    assets: new AssetRegister(inTx),
    changes,
    approvalFollowUps: new ApprovalFollowUps(inTx, approvals, changes, approvalMessages),
    duty,
    handovers: new HandoverService(inTx, duty),
    reminders: new ReminderService(inTx),
    digest,
    dashboard: new DashboardLinks(inTx),
    dashboardFigures: new DashboardFiguresService(inTx, digest, duty),
    holidays: new HolidayService(inTx),
    bindings: new ChatBindingService(inTx),
    reach,
    people: new PeopleService(ticketDeps, ledger),
    peopleImport: new PeopleImport(inTx),
    directorySync: new DirectorySyncService(inTx, reach),
    outbox,
    audit,
    deadlines,
    tickets,
    work,
    repairs,
    closing: new TicketClosing(ticketDeps, ledger, guards),
    confirmation,
    escalation: new TicketEscalation(ticketDeps, ledger, confirmation, steps),
    incidentEscalation: new IncidentEscalation(ticketDeps, steps, incidentMessages),
    intake: new TicketIntake(ticketDeps, ledger, tickets, confirmation, guards, scopes),
    scopes,
    merges: new TicketMerge(ticketDeps, ledger, guards),
    incidents,
    incidentUpdates: new IncidentUpdates(ticketDeps, ledger, incidents, work, incidentMessages, confirmation),
    incidentMessages,
    incidentRecovery: new IncidentRecovery(ticketDeps, ledger, incidentMessages),
  };
}

export type Services = ReturnType<typeof servicesFor>;

/**
 * One unit of work: `fn` gets the domain services bound to one transaction (and the transaction,
 * for what no service owns), and everything it writes commits together or not at all. The
 * transaction is `transact`'s: SQLite's interactive one, or SERIALIZABLE on PostgreSQL, where a
 * conflict runs `fn` again, so `fn` must only touch the database.
 */
export function inUnitOfWork<T>(db: Db, deps: ServiceDeps, fn: (services: Services, tx: Tx) => Promise<T>, opts?: TransactOptions): Promise<T> {
  return transact(db, (tx) => fn(servicesFor(tx, deps), tx), opts);
}
