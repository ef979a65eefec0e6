import { t, textFor, type TextKey } from '../i18n/zh.js';
import type { AuditRowJson } from '../reports/audit.js';
import { localDate, zonedParts } from '../time.js';
import { auditUrl, type AuditQuery } from './audit.js';
import { esc, pageHead } from './html.js';

/** The audit view as HTML: the form, one page of rows, the way to the next page. */

export interface AuditPageData {
  query: AuditQuery;
  rows: AuditRowJson[];
  nextCursor: string | null;
  /** The entity types the trail holds. */
  types: string[];
  /** Who reads, as named on the page, and when. */
  reader: string;
  at: Date;
  timeZone: string;
}

/** `2026-11-25 10:00:12` in the hospital's zone. */
function localSecond(at: Date, timeZone: string): string {
  const p = zonedParts(at, timeZone);
  return `${localDate(at, timeZone)} ${p.hour}:${p.minute}:${String(at.getUTCSeconds()).padStart(2, '0')}`;
}

const entityName = (type: string) => textFor('dashboard.entity', type) ?? type;

/** An action in words: a ticket's or an incident's step as its timeline names it, else from the catalogue, else as stored. */
export function actionName(action: string): string {
  const [area, ...rest] = action.split('.');
  const step = area === 'ticket' || area === 'incident' ? textFor(`dashboard.step.${area}`, rest.join('.')) : undefined;
  return step ?? textFor('dashboard.action', action) ?? action;
}

const MAX_VALUE = 80;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A field as the director reads it (状态, 负责人), else as stored. */
const fieldName = (field: string) => textFor('dashboard.field', field) ?? field;

/**
 * What a row changed, `字段：before → after`, or what it recorded: fields and a ticket's states in
 * words where the catalogue has them, instants in the hospital's time, nothing yet as `空`.
 */
export function changeText(before: unknown, after: unknown, timeZone: string): string {
  const shown = (field: string, v: unknown) => {
    if (v === null || v === undefined) return t('dashboard.value.empty');
    const s =
      typeof v === 'string'
        ? INSTANT.test(v)
          ? localSecond(new Date(v), timeZone)
          : ((field === 'status' ? textFor('ticket.status', v) : undefined) ?? v)
        : JSON.stringify(v);
    return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE)}…` : s;
  };
  const pair = (k: string, v: string) => `${fieldName(k)}：${v}`;
  if (isRecord(before) && isRecord(after)) {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      .map((k) => pair(k, k in before ? `${shown(k, before[k])} → ${k in after ? shown(k, after[k]) : t('dashboard.value.removed')}` : shown(k, after[k])))
      .join('；');
  }
  const one = after ?? before;
  if (isRecord(one))
    return Object.entries(one)
      .map(([k, v]) => pair(k, shown(k, v)))
      .join('；');
  return one === null || one === undefined ? '' : shown('', one);
}

function form(d: AuditPageData): string {
  const q = d.query;
  const option = (value: string, label: string) => `<option value="${esc(value)}"${q.entity === value ? ' selected' : ''}>${esc(label)}</option>`;
  const types = [...new Set([...d.types, ...(q.entity ? [q.entity] : [])])];
  const entities = [`<option value="">${esc(t('dashboard.audit.allEntities'))}</option>`, ...types.map((x) => option(x, `${entityName(x)}（${x}）`))].join('');
  const input = (name: string, label: TextKey, value: string | undefined, type = 'text') =>
    `<label>${esc(t(label))}<input type="${type}" name="${name}" value="${esc(value ?? '')}"${type === 'text' ? ' maxlength="100"' : ''}></label>`;
  return `<form class="filters" method="get" action="/dashboard/audit" data-testid="audit-filters">
<label>${esc(t('dashboard.audit.entity'))}<select name="entity">${entities}</select></label>
${input('id', 'dashboard.audit.id', q.id)}
${input('actor', 'dashboard.audit.actor', q.actor)}
${input('from', 'dashboard.page.from', q.fromDay, 'date')}
${input('to', 'dashboard.page.to', q.toDay, 'date')}
<button type="submit">${esc(t('dashboard.audit.apply'))}</button>
<button type="button" id="print">${esc(t('dashboard.page.print'))}</button>
</form>`;
}

const COLUMNS: TextKey[] = [
  'dashboard.audit.col.at',
  'dashboard.audit.col.actor',
  'dashboard.audit.col.action',
  'dashboard.audit.col.entity',
  'dashboard.audit.col.change',
];

function row(r: AuditRowJson, timeZone: string): string {
  const cells = [
    esc(localSecond(new Date(r.at), timeZone)),
    esc(r.actor?.name ?? t('dashboard.audit.system')),
    `${esc(actionName(r.action))}<small>${esc(r.action)}</small>`,
    `${esc(entityName(r.entity.type))} <span class="entity-id">${esc(r.entity.id)}</span>`,
    esc(changeText(r.before, r.after, timeZone)),
  ];
  return `<tr data-audit-id="${esc(r.id)}" data-action="${esc(r.action)}" data-actor="${esc(r.actor?.id ?? '')}">${cells
    .map((c, i) => `<td data-label="${esc(t(COLUMNS[i]!))}"${i === 4 ? ' class="change"' : ''}>${c}</td>`)
    .join('')}</tr>`;
}

function rows(d: AuditPageData): string {
  if (d.rows.length === 0) return `<p class="empty" data-table="audit">${esc(t('dashboard.audit.none'))}</p>`;
  const head = `<thead><tr>${COLUMNS.map((c) => `<th>${esc(t(c))}</th>`).join('')}</tr></thead>`;
  return `<table class="list audit" data-table="audit">${head}<tbody>${d.rows.map((r) => row(r, d.timeZone)).join('')}</tbody></table>`;
}

function pager(d: AuditPageData): string {
  const links = [
    d.nextCursor ? `<a href="${esc(auditUrl(d.query, d.nextCursor))}" data-testid="audit-next">${esc(t('dashboard.audit.next'))}</a>` : '',
    d.query.cursor ? `<a href="${esc(auditUrl(d.query))}" data-testid="audit-first">${esc(t('dashboard.audit.first'))}</a>` : '',
  ].filter(Boolean);
  return links.length ? `<nav class="pager">${links.join('')}</nav>` : '';
}

/** The whole audit page. */
export function auditPage(d: AuditPageData): string {
  const q = d.query;
  const period = q.fromDay || q.toDay ? t('dashboard.page.period', { from: q.fromDay ?? '…', to: q.toDay ?? '…' }) : t('dashboard.audit.allTime');
  const back = new URLSearchParams(q.fromDay && q.toDay ? { from: q.fromDay, to: q.toDay } : {}).toString();
  const title = t('dashboard.audit.title');
  return `${pageHead(`${title} · ${period}`, 'audit-page')}
<header>
<h1>${esc(title)}</h1>
<p class="period" data-testid="period">${esc(t('dashboard.audit.scope', { period, limit: q.limit }))}</p>
${form(d)}
<p class="back"><a href="/dashboard${back ? `?${esc(back)}` : ''}">${esc(t('dashboard.audit.back'))}</a></p>
</header>
<main><section class="panel wide">${rows(d)}${pager(d)}</section></main>
<footer>${esc(t('dashboard.audit.footer', { reader: d.reader, at: localSecond(d.at, d.timeZone) }))}</footer>
<script src="/dashboard/assets/dashboard.js"></script>
</body>
</html>`;
}
