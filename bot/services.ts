import { AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import type { Tx } from './db/client.js';
import type { Directory } from './org/directory.js';
import { Outbox } from './outbox/outbox.js';
import { TicketService } from './tickets/service.js';

export interface ServiceDeps {
  directory: Directory;
  clock: Clock;
  timeZone: string;
}

/** The domain services bound to one transaction: everything they write commits or rolls back together. */
export function servicesFor(tx: Tx, deps: ServiceDeps) {
  const outbox = new Outbox(tx);
  const audit = new AuditLog(tx, () => deps.clock.now());
  return {
    outbox,
    audit,
    tickets: new TicketService({ tx, outbox, audit, ...deps }),
  };
}

export type Services = ReturnType<typeof servicesFor>;
