import { mdFill, type Markdown, type MarkdownValue } from '../chat/markdown.js';
import { admin } from './admin.js';
import { approvalForms } from './approval-forms.js';
import { approvals } from './approvals.js';
import { assets } from './assets.js';
import { bindings } from './bindings.js';
import { common } from './common.js';
import { dashboard } from './dashboard.js';
import { dashboardViews } from './dashboard-views.js';
import { digest } from './digest.js';
import { duty } from './duty.js';
import { errors } from './errors.js';
import { incidents } from './incidents.js';
import { people } from './people.js';
import { reminders } from './reminders.js';
import { tickets } from './tickets.js';

/** The catalogues, one per domain area; each key lives in exactly one of them. */
export const catalogues = {
  common,
  tickets,
  incidents,
  people,
  approvals,
  approvalForms,
  duty,
  reminders,
  digest,
  dashboard,
  dashboardViews,
  bindings,
  assets,
  errors,
  admin,
} as const;

/** Every text the bot writes, in Chinese. Placeholders are {name}. */
export const zh = {
  ...common,
  ...tickets,
  ...incidents,
  ...people,
  ...approvals,
  ...approvalForms,
  ...duty,
  ...reminders,
  ...digest,
  ...dashboard,
  ...dashboardViews,
  ...bindings,
  ...assets,
  ...errors,
  ...admin,
} as const;

export type TextKey = keyof typeof zh;
export type TextParams = Record<string, string | number>;

export function t(key: TextKey, params: TextParams = {}): string {
  return zh[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * A catalogue text as card markdown: the catalogue's own words (its `**` and backticks) are markup,
 * each `{name}` value is text, shown literally on every platform (or markdown, kept as built).
 */
export function tmd(key: TextKey, params: Record<string, MarkdownValue> = {}): Markdown {
  return mdFill(zh[key], params);
}

type Under<K, P extends string> = K extends `${P}.${infer R}` ? R : never;
/** The keys under `prefix.`, without it: `KeysUnder<'ticket.what'>` is 'claim' | 'transfer' | … */
export type KeysUnder<P extends string> = Under<TextKey, P>;

/** `t` for the keys under one prefix, still checked at compile time: `const leave = scoped('approvalForm.leave'); leave('start')`. */
export function scoped<P extends string>(prefix: P): (key: KeysUnder<P>, params?: TextParams) => string {
  return (key, params) => t(`${prefix}.${key}` as TextKey, params);
}

/** The text under `prefix.` for a stored value (a status, a source), or undefined when there is none: `textFor('report.status', row.status)`. */
export function textFor(prefix: string, value: string | null | undefined): string | undefined {
  const key = `${prefix}.${value ?? ''}`;
  return Object.hasOwn(zh, key) ? t(key as TextKey) : undefined;
}

/** A time waited, as people say it: minutes under an hour (at least 1), else hours to one decimal. */
export function elapsedText(minutes: number): string {
  return minutes >= 60 ? t('duration.hours', { n: Math.round(minutes / 6) / 10 }) : t('duration.minutes', { n: Math.max(1, Math.round(minutes)) });
}
