import type { AuditLog } from './audit.js';
import type { WorkCalendar } from './calendar.js';
import type { Clock } from './clock.js';
import type { Tx } from './db/client.js';
import type { Directory } from './org/directory.js';
import type { Outbox } from './outbox/outbox.js';

/** What a domain service works with inside one transaction. */
export interface TxDeps {
  tx: Tx;
  directory: Directory;
  clock: Clock;
  timeZone: string;
  calendar: WorkCalendar;
  outbox: Outbox;
  audit: AuditLog;
}
