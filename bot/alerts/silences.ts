import type { Approval } from '../../generated/prisma/client.js';
import type { Tx } from '../db/client.js';
import type { Directory } from '../org/directory.js';
import { spansOf } from '../tickets/lexicon.js';

/**
 * Maintenance silences: an approved change (变更) whose window is open for a system silences the
 * alerts of that system which start inside it, since the change is expected to disturb it. Only
 * while the change is being carried out: once it is verified (or rolled back), an alert inside
 * what is left of the window pages as any other, as it may be what the change broke.
 */

/** The phases of an approved change before its implementer reported the verification. */
const UNDER_WAY = ['scheduled', 'noticed', 'awaiting_backup', 'in_progress'];

/**
 * The systems a change's free text (its 影响系统 field: `HIS、LIS`, `HIS 数据库升级`) names, by the same
 * words the alert intake maps labels with: the monitoring file's host and label values, the
 * systems' ids, names and keywords. Latin words count only whole (`OA` is not in `Oracle`); the
 * longest phrase wins where two overlap (医保结算 is insurance, not the 结算 of HIS).
 */
export function systemsNamed(text: string, directory: Directory): string[] {
  const { org } = directory;
  const phrases = new Map<string, string>();
  const add = (phrase: string, id: string) => {
    const key = phrase.trim().toLowerCase();
    if (key && !phrases.has(key)) phrases.set(key, id);
  };
  for (const [value, id] of Object.entries(org.monitoring.systems)) add(value, id);
  for (const s of org.systems) add(s.id, s.id);
  for (const s of org.systems) add(s.name, s.id);
  for (const s of org.systems) for (const k of s.keywords) add(k, s.id);
  const longestFirst = [...phrases].map(([phrase, tag]) => ({ phrase, tag })).sort((a, b) => b.phrase.length - a.phrase.length);
  return [...new Set(spansOf(text.normalize('NFKC').toLowerCase(), longestFirst).map((s) => s.tag))];
}

/** The approved change under way whose window holds `at` and whose systems name `system` (a system id), if any. */
export async function silencingChange(tx: Tx, directory: Directory, system: string, at: Date): Promise<Approval | null> {
  const changes = await tx.approval.findMany({
    where: { type: 'change', status: 'approved', phase: { in: UNDER_WAY }, windowStart: { lte: at }, windowEnd: { gte: at } },
    orderBy: { windowStart: 'asc' },
  });
  return changes.find((c) => systemsNamed(String((c.data as Record<string, unknown>).systems ?? ''), directory).includes(system)) ?? null;
}
