import { t } from '../i18n/zh.js';

/** What the dashboard's pages share: escaping, and durations in words. */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: string | number) => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export const none = () => t('dashboard.none');

/** Minutes as the page says them: minutes under two hours, else hours to one decimal; 暂无 for none. */
export function duration(minutes: number | null): string {
  if (minutes === null) return none();
  return minutes < 120 ? `${minutes} ${t('dashboard.unit.minutes')}` : `${Math.round(minutes / 6) / 10} ${t('dashboard.unit.hours')}`;
}
