import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';

/**
 * A repair's cost as engineers write it, in yuan with at most two decimals: in a resolution
 * (`更换硒鼓 费用 120 元`, `费用120元`, `费用：¥85.5`, `花费 300元`), in the card's cost field, or
 * in a correction (`费用 IT-… 150 元`). Kept in fen (分) so sums are exact. A cost that cannot be
 * right (negative, past a tenth of a fen, over the ceiling, written in words) is refused with the
 * reason, so nothing is recorded.
 */

/** The most one repair may cost: 1,000,000 元 (in fen), well past any device the help desk repairs. */
export const MAX_COST_FEN = 100_000_000;

/** Full-width digits, point and signs as a Chinese keyboard types them, in ASCII. */
function halfWidth(text: string): string {
  return text.replace(/[０-９．－＋]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[−—–]/g, '-');
}

const MONEY_WORDS = '维修费用|维修费|费用|金额|收费';
/** 花费 is time as often as money (花费 2 小时): it is a cost only with a currency sign or unit. */
const SPEND_WORDS = '花费|花了';
const UNIT = '元|块钱|块|rmb|cny';
const AMOUNT = String.raw`([-+]?)\s*(?:[¥￥]|rmb|cny)?\s*([-+]?)\s*(\d+(?:\.\d+)?)`;

/** A cost phrase in a text: the word, the amount, and its unit, or a money word before a number in words. */
const PHRASE = new RegExp(
  String.raw`(?:(${MONEY_WORDS})|(${SPEND_WORDS}))(?:为|是|共计|合计|共|约)?[\s:：]*` +
    `(?:${AMOUNT}\\s*(${UNIT})?(?![\\d.a-z\\u4e00-\\u9fff])|${AMOUNT}\\s*(${UNIT})|([零〇一二两三四五六七八九十百千万]+)\\s*(?:${UNIT}))`,
  'giu',
);

/** What a text says of a cost: the text without the phrase, and the cost in fen when it gives one. */
export interface ReadCost {
  text: string;
  costFen?: number;
}

/**
 * The cost a resolution's text gives, and the text without it (`更换硒鼓 费用 120 元` →
 * `更换硒鼓`, 12000). A text naming no cost comes back as it was; `无费用`, `费用由厂商承担` name none.
 */
export function readCostIn(typed: string): ReadCost {
  const text = halfWidth(typed);
  const found: { start: number; end: number; costFen: number }[] = [];
  for (const m of text.matchAll(PHRASE)) {
    const spend = !!m[2];
    const [signA, signB, digits, unit] = m[3] !== undefined ? [m[3], m[4], m[5], m[6]] : [m[7], m[8], m[9], m[10]];
    if (m[11]) throw badCost(t('repair.cost.notDigits', { written: m[0].trim() }));
    // 花费 2 小时 is time: without a sign or a unit, only a money word makes it a cost.
    const hasCurrency = /[¥￥]|rmb|cny/i.test(m[0]);
    if (spend && !unit && !hasCurrency) continue;
    found.push({ start: m.index, end: m.index + m[0].length, costFen: toFen(`${signA ?? ''}${signB ?? ''}`, digits!) });
  }
  if (found.length === 0) return { text: typed };
  if (found.length > 1) throw badCost(t('repair.cost.twice', { n: found.length }));
  const [{ start, end, costFen }] = found as [(typeof found)[number]];
  // The same places in what was typed: the rest of the text keeps its own characters.
  return { text: tidy(typed.slice(0, start) + ' ' + typed.slice(end)), costFen };
}

/**
 * An amount given on its own: the card's cost field or a correction (`150`, `150 元`, `¥85.5`); the
 * words after it (a reason) are returned too. Undefined when the text starts with no amount.
 */
export function readAmount(typed: string): { costFen: number; rest: string } | undefined {
  const trimmed = typed.trim();
  const text = halfWidth(trimmed);
  const words = /^(?:费用|金额)?[\s:：]*([零〇一二两三四五六七八九十百千万]+)\s*(?:元|块钱|块)(?:\s|$)/u.exec(text);
  if (words) throw badCost(t('repair.cost.notDigits', { written: words[0].trim() }));
  const m = new RegExp(String.raw`^(?:费用|金额)?[\s:：]*${AMOUNT}\s*(?:(?:${UNIT})|(?=\s|$|[，,。；;]))[\s，,。；;]*`, 'iu').exec(text);
  if (!m) return undefined;
  return { costFen: toFen(`${m[1] ?? ''}${m[2] ?? ''}`, m[3]!), rest: trimmed.slice(m[0].length).trim() };
}

/** Yuan as digits to fen, refusing what cannot be a repair's cost. */
function toFen(sign: string, digits: string): number {
  const [whole = '0', fraction = ''] = digits.split('.');
  if (sign.includes('-')) throw badCost(t('repair.cost.negative'));
  if (fraction.length > 2) throw badCost(t('repair.cost.decimals', { amount: digits }));
  const fen = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(fen) || fen > MAX_COST_FEN) throw badCost(t('repair.cost.tooLarge', { amount: digits, max: String(MAX_COST_FEN / 100) }));
  return fen;
}

function badCost(reason: string): BotError {
  return new BotError('bad_cost', { reason });
}

/** The text around a removed phrase, without the gap it left: doubled spaces, empty brackets, doubled or leading punctuation. */
function tidy(text: string): string {
  return text
    .replace(/[（(]\s*[)）]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([，,；;。、])(?:\s*[，,；;。、])+/g, '$1')
    .replace(/\s+([，,；;。、])/g, '$1')
    .replace(/^[\s，,；;。、]+/, '')
    .trim();
}

/** Fen as yuan with two decimals: 12000 → `120.00`. */
export function yuanText(fen: number): string {
  return (fen / 100).toFixed(2);
}

/** Fen as the yuan a spreadsheet cell holds: 8550 → 85.5. */
export function yuan(fen: number): number {
  return fen / 100;
}
