import { t, textFor, type TextKey } from '../i18n/zh.js';
import { REPORTS } from '../reports/exports.js';
import { localDateTime } from '../time.js';
import type { DashboardFigures } from './figures.js';
import type { Compliance } from '../digest/figures.js';
import { duration, esc, none, pageHead } from './html.js';
import { incidentsSection } from './incidents-html.js';

/** The dashboard as HTML: figures and tables rendered here, the charts drawn in the browser from the same figures. */

/** JSON inside a <script> element: nothing in it can close the element. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

const percent = (c: Compliance) => (c.rate === null ? none() : `${c.rate}%`);

/** A figure the page shows, with its exact value beside the words (what a check of the page reads). */
const figure = (name: string, value: number | null, shown: string) =>
  `<b class="value" data-figure="${esc(name)}" data-value="${value === null ? '' : esc(value)}">${esc(shown)}</b>`;

function kpi(label: TextKey, body: string, note = ''): string {
  return `<div class="kpi"><div class="label">${esc(t(label))}</div>${body}<div class="note">${esc(note)}</div></div>`;
}

function kpis(f: DashboardFigures): string {
  const s = f.stats;
  const met = (c: Compliance) => (c.total ? t('dashboard.kpi.met', { met: c.met, total: c.total }) : '');
  const longest = (m: number | null) => (m === null ? '' : t('dashboard.kpi.longest', { minutes: m }));
  return [
    kpi('dashboard.kpi.opened', figure('opened', s.opened, String(s.opened))),
    kpi('dashboard.kpi.resolved', figure('resolved', s.resolved, String(s.resolved))),
    kpi('dashboard.kpi.openNow', figure('openNow', s.openNow, String(s.openNow))),
    kpi('dashboard.kpi.response', figure('responseCompliance', s.responseCompliance.rate, percent(s.responseCompliance)), met(s.responseCompliance)),
    kpi('dashboard.kpi.resolution', figure('resolutionCompliance', s.resolutionCompliance.rate, percent(s.resolutionCompliance)), met(s.resolutionCompliance)),
    kpi('dashboard.kpi.mtta', figure('mttaMinutes', s.mttaMinutes, duration(s.mttaMinutes))),
    kpi('dashboard.kpi.mttr', figure('mttrMinutes', s.mttrMinutes, duration(s.mttrMinutes))),
    kpi(
      'dashboard.kpi.satisfaction',
      figure('satisfaction', s.satisfaction.average, s.satisfaction.average === null ? none() : t('dashboard.kpi.score', { average: s.satisfaction.average })),
      t('dashboard.kpi.rated', { count: s.satisfaction.count }),
    ),
    kpi('dashboard.kpi.unresponded', figure('unresponded', s.unresponded.count, String(s.unresponded.count)), longest(s.unresponded.longestMinutes)),
    kpi('dashboard.kpi.unresolved', figure('unresolved', s.unresolved.count, String(s.unresolved.count)), longest(s.unresolved.longestMinutes)),
  ].join('');
}

/** A chart's box, with its numbers as a table underneath (shown when the browser runs no scripts; what a check reads). */
function chart(id: string, title: TextKey, rows: { name: string; count: number }[]): string {
  const table = rows.length
    ? `<table class="counts">${rows.map((r) => `<tr data-count="${esc(id)}"><th>${esc(r.name)}</th><td>${esc(r.count)}</td></tr>`).join('')}</table>`
    : `<p class="empty">${esc(none())}</p>`;
  return `<section class="panel"><h2>${esc(t(title))}</h2><div class="chart" id="chart-${esc(id)}" role="img" aria-label="${esc(t(title))}"></div>${table}</section>`;
}

function table(title: TextKey, id: string, head: TextKey[], rows: (string | number)[][]): string {
  const body = rows.length
    ? `<table class="list" data-table="${esc(id)}"><thead><tr>${head.map((h) => `<th>${esc(t(h))}</th>`).join('')}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`
    : `<p class="empty" data-table="${esc(id)}">${esc(none())}</p>`;
  return `<section class="panel wide"><h2>${esc(t(title))}</h2>${body}</section>`;
}

function tables(f: DashboardFigures): string {
  return [
    incidentsSection(f.incidents),
    table(
      'dashboard.section.approvals',
      'approvals',
      ['dashboard.col.number', 'dashboard.col.title', 'dashboard.col.age'],
      f.stats.approvalsPending.map((a) => [a.number, a.title, `${a.ageHours} ${t('dashboard.unit.hours')}`]),
    ),
    table(
      'dashboard.section.changes',
      'changes',
      ['dashboard.col.number', 'dashboard.col.title', 'dashboard.col.window'],
      f.changesWeek.map((c) => [c.number, c.title, c.window]),
    ),
    table(
      'dashboard.section.duty',
      'duty',
      ['dashboard.col.shift', 'dashboard.col.person', 'dashboard.col.phone', 'dashboard.col.until'],
      f.dutyNow.map((d) => [d.shift, d.name, d.phone ?? '', d.until]),
    ),
  ].join('');
}

/** The registers of the same period (and only it: the registers are the whole hospital's), as xlsx downloads. */
function downloads(f: DashboardFigures): string {
  const period = new URLSearchParams({ from: f.statsQuery.from, to: f.statsQuery.to });
  const links = Object.entries(REPORTS).map(
    ([name, title]) => `<li><a href="/dashboard/reports/${esc(name)}.xlsx?${esc(period.toString())}" data-report="${esc(name)}">${esc(title)}</a></li>`,
  );
  return `<section class="panel wide registers"><h2>${esc(t('dashboard.section.registers'))}</h2><ul class="downloads">${links.join('')}</ul></section>`;
}

/** For the IT director: the way to the audit trail of the same period. */
function auditEntry(f: DashboardFigures): string {
  const period = new URLSearchParams({ from: f.view.from, to: f.view.to });
  return `<section class="panel wide audit-entry" data-testid="audit-entry"><h2>${esc(t('dashboard.audit.section'))}</h2><p>${esc(
    t('dashboard.audit.entry'),
  )}</p><p><a class="button" href="/dashboard/audit?${esc(period.toString())}">${esc(t('dashboard.audit.open'))}</a></p></section>`;
}

function filters(f: DashboardFigures): string {
  const option = (value: string, label: string, selected: boolean) => `<option value="${esc(value)}"${selected ? ' selected' : ''}>${esc(label)}</option>`;
  const departments = [option('', t('dashboard.page.allDepartments'), !f.view.department)]
    .concat(f.choices.departments.map((d) => option(d.id, d.name, f.view.department?.id === d.id)))
    .join('');
  const systems = [option('', t('dashboard.page.allSystems'), !f.view.system)].concat(f.choices.systems.map((s) => option(s, s, f.view.system === s))).join('');
  return `<form class="filters" method="get" action="/dashboard" data-testid="filters">
<label>${esc(t('dashboard.page.from'))}<input type="date" name="from" value="${esc(f.view.from)}" required></label>
<label>${esc(t('dashboard.page.to'))}<input type="date" name="to" value="${esc(f.view.to)}" required></label>
<label>${esc(t('dashboard.page.department'))}<select name="department">${departments}</select></label>
<label>${esc(t('dashboard.page.system'))}<select name="system">${systems}</select></label>
<button type="submit">${esc(t('dashboard.page.apply'))}</button>
<button type="button" id="print">${esc(t('dashboard.page.print'))}</button>
</form>`;
}

/** The labels the charts use, from the catalogue. */
const chartLabels = () => ({
  opened: t('dashboard.chart.opened'),
  response: t('dashboard.chart.response'),
  resolution: t('dashboard.chart.resolution'),
  tickets: t('dashboard.chart.tickets'),
});

/** The whole page for one view; the audit trail's panel only for who may read it (the IT director). */
export function dashboardPage(f: DashboardFigures, timeZone: string, opts: { audit?: boolean } = {}): string {
  const s = f.stats;
  const scope = [f.view.department?.name, f.view.system].filter(Boolean).join(' · ') || t('dashboard.page.everything');
  const priorities = Object.entries(s.byPriority).map(([name, count]) => ({ name: `${name} ${textFor('priority', name) ?? ''}`.trim(), count }));
  const title = t('dashboard.page.title');
  return `${pageHead(`${title} · ${t('dashboard.page.period', { from: f.view.from, to: f.view.to })}`, 'no-charts')}
<header>
<h1>${esc(title)}</h1>
<p class="period" data-testid="period">${esc(t('dashboard.page.period', { from: f.view.from, to: f.view.to }))} · ${esc(t('dashboard.page.scope', { scope }))}</p>
${filters(f)}
</header>
<main>
<section class="kpis" data-testid="kpis">${kpis(f)}</section>
<div class="grid">
${chart('priority', 'dashboard.chart.priority', priorities)}
${chart('department', 'dashboard.chart.department', s.byDepartment)}
${chart('system', 'dashboard.chart.system', s.bySystem)}
${chart('group', 'dashboard.chart.group', f.byItGroup)}
<section class="panel wide"><h2>${esc(t('dashboard.chart.trend'))}</h2><div class="chart tall" id="chart-trend" role="img" aria-label="${esc(t('dashboard.chart.trend'))}"></div></section>
${tables(f)}
${opts.audit ? auditEntry(f) : ''}
${downloads(f)}
</div>
<noscript><p class="empty">${esc(t('dashboard.page.noScript'))}</p></noscript>
</main>
<footer>${esc(t('dashboard.page.footer', { at: localDateTime(new Date(f.generatedAt), timeZone) }))}</footer>
<script type="application/json" id="figures">${scriptJson({ figures: { ...f, incidents: [], priorities }, labels: chartLabels() })}</script>
<script src="/dashboard/assets/echarts.min.js"></script>
<script src="/dashboard/assets/dashboard.js"></script>
</body>
</html>`;
}

/** A page that says why the dashboard is not shown (401, 403, 400), in Chinese, with what to do. */
export function noticePage(title: string, text: string, link?: { href: string; label: string }): string {
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<link rel="stylesheet" href="/dashboard/assets/dashboard.css"></head>
<body class="notice"><main><h1>${esc(title)}</h1><p data-testid="notice">${esc(text)}</p>${
    link ? `<p><a href="${esc(link.href)}">${esc(link.label)}</a></p>` : ''
  }</main></body>
</html>`;
}
