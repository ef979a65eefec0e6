import { COMMON_WORDS, COMPOUND_SURNAMES, NOT_IN_NAMES, SURNAMES } from './mask-words.js';

/**
 * Patient names, ID-card numbers and mobile numbers masked wherever data leaves its operational use
 * (the digest, /api/stats, the registers), as people write them: `13812345678`, `+86 138-1234-5678`,
 * `138 1234 5678`, full-width digits, digits split by a zero-width space; 18-digit ID numbers, spaced
 * (`110101 19900307 1234`) or not, and the old 15-digit ones. A mobile keeps its first three and last
 * four digits (138****5678), an ID its region and last digits (110101********1234); a name after
 * 患者 / 病人 / 病患 keeps its surname (患者王*). Words stay as they are: 病人排长队, 患者身份证.
 */
export function mask(text: string): string {
  return maskNames(maskNumbers(text));
}

// ---- numbers ----

/** Between the digits of one number: spaces, dashes, dots and invisible characters, but not a line break. */
const SEPARATOR = /[ \t\u00a0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff\u00ad\-‐‑‒–—―－_.．·]/;
/** At most this many separators in a row inside one number (`138 - 1234`). */
const MAX_GAP = 3;

const digitOf = (c: string): string | undefined => {
  const code = c.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return c;
  if (code >= 0xff10 && code <= 0xff19) return String.fromCharCode(code - 0xfee0);
  if (c === 'X' || c === 'x' || c === 'Ｘ' || c === 'ｘ') return 'X';
  return undefined;
};

/** A digit of the text and where it stands; `chunkEnd` when the next digit is past a separator (or there is none). */
interface Digit {
  value: string;
  index: number;
  chunkStart: boolean;
  chunkEnd: boolean;
}

/** The runs of digits that may be one number: digits joined by at most MAX_GAP separators. */
function digitGroups(text: string): Digit[][] {
  const groups: Digit[][] = [];
  let group: Digit[] = [];
  let gap = 0;
  const close = () => {
    if (group.length > 0) {
      group.at(-1)!.chunkEnd = true;
      groups.push(group);
    }
    group = [];
    gap = 0;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    let value = digitOf(c);
    // X is a digit only as an ID number's last: after a digit (or a digit and a space), and no digit after it.
    if (value === 'X' && (group.length === 0 || group.at(-1)!.value === 'X' || digitOf(text[i + 1] ?? '') !== undefined)) value = undefined;
    if (value !== undefined) {
      const startsChunk = group.length === 0 || gap > 0;
      if (startsChunk && group.length > 0) group.at(-1)!.chunkEnd = true;
      group.push({ value, index: i, chunkStart: startsChunk, chunkEnd: false });
      gap = 0;
    } else if (group.length > 0 && SEPARATOR.test(c) && gap < MAX_GAP) gap++;
    else close();
  }
  close();
  return groups;
}

const validDate = (month: string, day: string) => +month >= 1 && +month <= 12 && +day >= 1 && +day <= 31;
const isId18 = (d: string, oneChunk: boolean) =>
  /^[1-9]\d{16}[\dX]$/.test(d) && (oneChunk || (/^(18|19|20)$/.test(d.slice(6, 8)) && validDate(d.slice(10, 12), d.slice(12, 14))));
const isId15 = (d: string) => /^[1-9]\d{14}$/.test(d) && validDate(d.slice(8, 10), d.slice(10, 12));
const isMobile = (d: string) => /^1[3-9]\d{9}$/.test(d);

/** Which digits of a number found at `start` to hide: [from, to) in the group, or undefined when none starts there. */
function numberAt(group: Digit[], start: number): { end: number; hide: [number, number] } | undefined {
  const ends: number[] = [];
  for (let i = start; i < group.length && i - start < 18; i++) if (group[i]!.chunkEnd) ends.push(i + 1);
  const digits = (end: number) =>
    group
      .slice(start, end)
      .map((d) => d.value)
      .join('');
  const oneChunk = (end: number) => !group.slice(start + 1, end).some((d) => d.chunkStart);
  for (const end of ends) if (end - start === 18 && isId18(digits(end), oneChunk(end))) return { end, hide: [start + 6, start + 14] };
  for (const end of ends) if (end - start === 15 && isId15(digits(end))) return { end, hide: [start + 6, start + 12] };
  // A mobile, or one written with the country code in front of it (+8613812345678, 0086 138…).
  for (const prefix of ['', '86', '0086']) {
    if (!digits(Math.min(group.length, start + prefix.length)).startsWith(prefix)) continue;
    const from = start + prefix.length;
    if (ends.includes(from + 11) && isMobile(digits(from + 11).slice(prefix.length))) return { end: from + 11, hide: [from + 3, from + 7] };
  }
  return undefined;
}

function maskNumbers(text: string): string {
  const hidden = new Set<number>();
  for (const group of digitGroups(text)) {
    for (let start = 0; start < group.length;) {
      const found = group[start]!.chunkStart ? numberAt(group, start) : undefined;
      if (!found) {
        start++;
        continue;
      }
      for (let i = found.hide[0]; i < found.hide[1]; i++) hidden.add(group[i]!.index);
      start = found.end;
    }
  }
  if (hidden.size === 0) return text;
  // By UTF-16 unit, as the indices count: a character outside the BMP is never a digit, and stays whole.
  return text
    .split('')
    .map((c, i) => (hidden.has(i) ? '*' : c))
    .join('');
}

// ---- names ----

/** The word for a patient, with 姓名 and a colon or space after it: where a name may follow. */
const PATIENT = /(?:患者|病人|病患|患儿)(?:姓名)?[:：\s\u3000]{0,2}/g;
const HAN = /^[\u3400-\u9fff]$/;

const startsWord = (text: string, at: number) => COMMON_WORDS.some((w) => text.startsWith(w, at));
/** Whether the character at `at` may be part of a given name: a Han character that neither ends a name nor starts a word. */
const givenAt = (text: string, at: number) => HAN.test(text[at] ?? '') && !NOT_IN_NAMES.has(text[at]!) && !startsWord(text, at);

function surnameAt(text: string, at: number): number {
  if (COMPOUND_SURNAMES.some((s) => text.startsWith(s, at))) return 2;
  return SURNAMES.has(text[at] ?? '') ? 1 : 0;
}

/** A name after the word for a patient: a common surname and one or two characters of a given name, not a word. */
function maskNames(text: string): string {
  let out = '';
  let from = 0;
  for (const m of text.matchAll(PATIENT)) {
    const at = m.index + m[0].length;
    if (at < from) continue;
    const surname = surnameAt(text, at);
    if (surname === 0 || startsWord(text, at)) continue;
    const given = at + surname;
    if (!givenAt(text, given)) continue;
    const length = givenAt(text, given + 1) ? 2 : 1;
    out += `${text.slice(from, given)}*`;
    from = given + length;
  }
  return out + text.slice(from);
}
