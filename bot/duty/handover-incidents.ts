import type { TxDeps } from '../deps.js';
import { t } from '../i18n/zh.js';
import { localDateTime } from '../time.js';

/** One line of a handover's pending work, as the card lists it. */
export interface PendingWork {
  number: string;
  priority: string;
  title: string;
  status: string;
  due: string;
}

/**
 * The incidents a shift hands over, in their true state: waiting for a claim (with its response
 * deadline), being worked (with the resolution deadline its reports share), or resolved while its
 * reporters have not all confirmed yet.
 */
export async function incidentsToHandOver(d: Pick<TxDeps, 'tx' | 'directory' | 'timeZone'>): Promise<PendingWork[]> {
  const incidents = await d.tx.incident.findMany({
    where: { OR: [{ status: { in: ['open', 'claimed'] } }, { status: 'resolved', tickets: { some: { status: 'resolved' } } }] },
    include: { tickets: { select: { status: true, resolveDueAt: true } } },
    orderBy: [{ priority: 'asc' }, { id: 'asc' }],
  });
  return incidents.map((incident) => {
    const resolveDue = incident.tickets.map((x) => x.resolveDueAt).reduce<Date | null>((min, x) => (x && (!min || x < min) ? x : min), null);
    const waiting = incident.tickets.filter((x) => x.status === 'resolved').length;
    const engineer = d.directory.person(incident.assigneeId ?? '')?.name ?? '';
    const status =
      incident.status === 'open'
        ? t('handover.pending.open')
        : incident.status === 'claimed'
          ? t('handover.pending.claimed', { name: engineer })
          : t('handover.pending.resolved', { n: waiting });
    const due = incident.status === 'open' ? incident.responseDueAt : incident.status === 'claimed' ? resolveDue : null;
    return {
      number: incident.number,
      priority: incident.priority,
      title: t('handover.pending.incident', { system: incident.system, n: incident.tickets.length }),
      status,
      due: due ? localDateTime(due, d.timeZone) : '—',
    };
  });
}
