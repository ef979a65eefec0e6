import { t } from '../i18n/zh.js';

/** What the dashboard's pages share: escaping, the document's head, and durations in words. */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: string | number) => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export const none = () => t('dashboard.none');

/** Minutes as the page says them: minutes under two hours, else hours to one decimal; 暂无 for none. */
export function duration(minutes: number | null): string {
  if (minutes === null) return none();
  return minutes < 120 ? `${minutes} ${t('dashboard.unit.minutes')}` : `${Math.round(minutes / 6) / 10} ${t('dashboard.unit.hours')}`;
}

/** The start of a dashboard page up to its body: Chinese, phone-wide, no referrer (the link signs in), both style sheets. */
export function pageHead(title: string, bodyClass: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<link rel="stylesheet" href="/dashboard/assets/dashboard.css">
<link rel="stylesheet" href="/dashboard/assets/views.css">
</head>
<body class="${esc(bodyClass)}">`;
}
