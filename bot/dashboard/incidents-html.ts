import { t, textFor, type TextKey } from '../i18n/zh.js';
import { duration, esc, none } from './html.js';
import type { IncidentAlertRow, IncidentRow, TimelineStep } from './incidents.js';

/**
 * The period's incidents on the dashboard: one line each (a row on a wide screen, a card on a phone),
 * opened to its facts and its merged timeline. Without scripts and on paper alike: what is open prints.
 */

const HEAD: TextKey[] = [
  'dashboard.incident.head.number',
  'dashboard.incident.head.system',
  'dashboard.incident.head.priority',
  'dashboard.incident.head.status',
  'dashboard.incident.head.affected',
  'dashboard.incident.head.response',
  'dashboard.incident.head.resolution',
];

const cell = (label: TextKey, body: string, extra = '') => `<span class="cell${extra}" data-label="${esc(t(label))}">${body}</span>`;

function summary(i: IncidentRow): string {
  const resolution = i.ongoing ? t('dashboard.ongoing', { duration: duration(i.durationMinutes) }) : duration(i.resolutionMinutes);
  return [
    cell(HEAD[0]!, `<b>${esc(i.number)}</b> <span class="origin ${esc(i.origin)}" data-origin="${esc(i.origin)}">${esc(i.originText)}</span>`, ' number'),
    cell(HEAD[1]!, esc(i.system)),
    cell(HEAD[2]!, `<span class="priority ${esc(i.priority.toLowerCase())}">${esc(`${i.priority} ${textFor('priority', i.priority) ?? ''}`.trim())}</span>`),
    cell(HEAD[3]!, `<span class="status ${esc(i.status)}">${esc(textFor('dashboard.status', i.status) ?? i.status)}</span>`),
    cell(HEAD[4]!, esc(t('dashboard.incident.affected', { reports: i.reports, departments: i.departments.length }))),
    cell(HEAD[5]!, esc(duration(i.responseMinutes)), ' response'),
    cell(HEAD[6]!, esc(resolution), ` resolution${i.ongoing ? ' ongoing' : ''}`),
  ].join('');
}

function facts(i: IncidentRow): string {
  const fact = (label: TextKey, value: string | null) => `<div><dt>${esc(t(label))}</dt><dd>${esc(value || none())}</dd></div>`;
  return `<dl class="facts">${[
    fact('dashboard.incident.origin', i.originText),
    fact('dashboard.incident.started', i.startedAt),
    fact('dashboard.incident.assignee', i.assignee ?? t('dashboard.incident.nobody')),
    fact('dashboard.incident.departments', i.departments.join('、')),
    fact('dashboard.incident.solution', i.solution),
  ].join('')}</dl>`;
}

function alert(a: IncidentAlertRow): string {
  // The end by its time alone when it ended the day it began (`11-25 09:12–09:40`).
  const until = a.until && a.until.slice(0, 5) === a.since.slice(0, 5) ? a.until.slice(6) : a.until;
  const when = until ? t('dashboard.alert.span', { since: a.since, until }) : t('dashboard.alert.since', { since: a.since });
  const what = [when, a.source, a.priority, a.summary, a.flaps > 0 ? t('dashboard.alert.flaps', { n: a.flaps }) : ''].filter(Boolean).join(' · ');
  return `<li class="alert ${esc(a.status)}" data-alert="${esc(a.status)}"><b>${esc(a.statusText)}</b> ${esc(what)} <span class="who">${esc(a.stateText)}</span></li>`;
}

function alerts(i: IncidentRow): string {
  if (i.alerts.length === 0) return '';
  return `<h3>${esc(t('dashboard.incident.alerts'))}</h3><ul class="alerts">${i.alerts.map(alert).join('')}</ul>`;
}

function step(s: TimelineStep): string {
  const tickets =
    s.tickets.length === 0
      ? ''
      : `<p class="tickets">${esc(s.tickets.length === 1 ? s.tickets[0]! : t('dashboard.incident.tickets', { count: s.tickets.length, numbers: s.tickets.join('、') }))}</p>`;
  return `<li data-step="${esc(s.type)}" class="${s.type.startsWith('incident.') ? 'own' : 'report'}"><time>${esc(s.at)}</time><div class="what"><b>${esc(
    s.what,
  )}</b> <span class="who">${esc(s.actor ?? t('dashboard.incident.bot'))}</span>${s.detail ? `<p class="detail">${esc(s.detail)}</p>` : ''}${tickets}</div></li>`;
}

function incident(i: IncidentRow): string {
  return `<details class="incident" data-incident="${esc(i.number)}"><summary>${summary(i)}</summary><div class="incident-body">
<p class="incident-title">${esc(i.title)}</p>${facts(i)}${alerts(i)}
<h3>${esc(t('dashboard.incident.timeline'))}</h3><ol class="timeline">${i.timeline.map(step).join('')}</ol></div></details>`;
}

/** The incidents' panel: the list, each line opening to its timeline. */
export function incidentsSection(incidents: IncidentRow[]): string {
  const title = `<h2>${esc(t('dashboard.section.incidents'))}</h2>`;
  if (incidents.length === 0) return `<section class="panel wide">${title}<p class="empty" data-table="incidents">${esc(none())}</p></section>`;
  const head = `<div class="incident-head" aria-hidden="true">${HEAD.map((h) => `<span>${esc(t(h))}</span>`).join('')}</div>`;
  return `<section class="panel wide incidents">${title}<p class="hint">${esc(t('dashboard.incident.hint'))}</p><div class="incident-list" data-table="incidents">${head}${incidents
    .map(incident)
    .join('')}</div></section>`;
}
