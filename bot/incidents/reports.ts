import type { Incident, Ticket } from '../../generated/prisma/client.js';

/** The key a report's department counts under: a reporter with no department counts as one of their own. */
const departmentKey = (ticket: Pick<Ticket, 'departmentId' | 'reporterId'>) => ticket.departmentId ?? `~${ticket.reporterId}`;

/** The departments an incident's row keeps, in the order they first reported. */
export function departmentKeysOf(keys: string): string[] {
  return keys ? keys.split(',') : [];
}

/** The incident's report columns once `children` (in the order they came) have joined it. */
export function reportsOf(children: Ticket[], incident?: Incident) {
  const keys = departmentKeysOf(incident?.departmentKeys ?? '');
  for (const child of children) if (!keys.includes(departmentKey(child))) keys.push(departmentKey(child));
  const times = children.map((c) => c.createdAt.getTime());
  const first = Math.min(...times, incident?.firstReportAt?.getTime() ?? Infinity);
  const last = Math.max(...times, incident?.lastReportAt?.getTime() ?? -Infinity);
  return {
    reportCount: (incident?.reportCount ?? 0) + children.length,
    departmentKeys: keys.join(','),
    firstReportAt: Number.isFinite(first) ? new Date(first) : null,
    lastReportAt: Number.isFinite(last) ? new Date(last) : null,
  };
}
