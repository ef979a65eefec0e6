import type { OutgoingMessage } from '../chat/model.js';
import type { Incident } from '../../generated/prisma/client.js';
import { t } from '../i18n/zh.js';
import type { Directory } from '../org/directory.js';
import type { Priority } from '../org/schema.js';
import { localDateTime } from '../time.js';
import { priorityName } from '../tickets/status.js';

export const INCIDENT_ACTION = { claim: 'incident.claim', resolve: 'incident.resolve', progress: 'incident.progress' } as const;

/** What the cards say about an incident's reports: how many, from which departments, since when. */
export interface IncidentReports {
  count: number;
  departments: string[];
  first: Date | undefined;
}

/** The incident as a neutral card, for the engineers (claim, then resolve) or for leadership (read only). */
export function incidentCard(
  incident: Incident,
  audience: 'engineers' | 'leadership',
  reports: IncidentReports,
  directory: Directory,
  timeZone: string,
): OutgoingMessage {
  const { count, departments, first } = reports;
  const assignee = incident.assigneeId ? directory.person(incident.assigneeId) : undefined;
  const engineer = assignee ? directory.callName(assignee) : '';
  const priority = incident.priority as Priority;
  const status =
    incident.status === 'open' ? t('ticket.status.open') : incident.status === 'claimed' ? t('ticket.status.claimed') : t('incident.status.resolved');
  const value = { incident: incident.number, v: incident.version };
  return {
    type: 'card',
    card: {
      title: t('incident.card.title', { number: incident.number, priority, priorityName: priorityName(priority), system: incident.system }),
      color: incident.status === 'resolved' ? 'green' : 'red',
      fields: [
        { label: t('ticket.field.status'), value: status },
        { label: t('incident.field.reports'), value: String(count) },
        { label: t('incident.field.departments'), value: departments.join('、') || '—' },
        ...(first ? [{ label: t('incident.field.since'), value: localDateTime(first, timeZone) }] : []),
        ...(assignee ? [{ label: t('ticket.field.assignee'), value: engineer }] : []),
        ...(incident.solution ? [{ label: t('ticket.field.solution'), value: incident.solution }] : []),
      ],
      text: incident.title,
      note:
        incident.status === 'open'
          ? t('incident.note.open')
          : incident.status === 'claimed'
            ? t('incident.note.claimed', { engineer })
            : t('incident.note.resolved', { engineer, solution: incident.solution ?? '' }),
      buttons:
        audience === 'engineers' && incident.status === 'open'
          ? [
              {
                label: t('ticket.button.claim'),
                action: INCIDENT_ACTION.claim,
                value,
                style: 'primary',
                command: t('ticket.command.claim', { number: incident.number }),
              },
            ]
          : [],
      form:
        audience === 'engineers' && incident.status === 'claimed'
          ? {
              inputs: [{ name: 'text', label: t('incident.field.text'), kind: 'textarea', required: true }],
              submits: [
                {
                  label: t('ticket.button.resolve'),
                  action: INCIDENT_ACTION.resolve,
                  value,
                  style: 'primary',
                  command: t('ticket.command.resolve', { number: incident.number }),
                },
                {
                  label: t('incident.button.progress'),
                  action: INCIDENT_ACTION.progress,
                  value,
                  command: t('incident.command.progress', { number: incident.number }),
                },
              ],
            }
          : undefined,
    },
  };
}
