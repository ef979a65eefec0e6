/**
 * Asset numbers as intake writes them (bot/tickets/extract.ts): the label's letters in capitals, a
 * hyphen, its digits (PC-0231). A register file, an API path or a query may write one as people do
 * (pc0231, PC 0231, ＰＣ－０２３１, PC_0231); each is read to that one form so the register, the
 * tickets and the cards agree.
 */
const WRITTEN = /^([A-Za-z]{2,5})[\s_\-—.]?(\d{3,8})$/;

/** The asset number in the form intake stores, or undefined when the text is no asset number. */
export function normaliseAssetNumber(text: string): string | undefined {
  const m = WRITTEN.exec(text.normalize('NFKC').trim());
  return m ? `${m[1]!.toUpperCase()}-${m[2]}` : undefined;
}

/** The calendar day a register writes (2026-06-30, 2026/6/30, 2026.6.30, 2026年6月30日, 20260630) as YYYY-MM-DD, or undefined. */
export function calendarDayOf(text: string): string | undefined {
  const clean = text.normalize('NFKC').trim();
  const m = /^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))$/.exec(clean);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2] ?? m[4]), Number(m[3] ?? m[5])];
  if (year < 1900 || year > 2199) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${m[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
