/**
 * How intake reads a message: folded to one spelling, cut into clauses, searched for phrases.
 * Phrases match as written (Chinese has no spaces); a Latin phrase (HIS, PC) only as a whole word,
 * so `his` is not found in `this`.
 */

import type { Directory } from '../org/directory.js';
import { mandarinOf } from './dialect.js';

const departmentNamesOf = new WeakMap<Directory, { id: string; name: string }[]>();

/**
 * Every name and alias of the organisation's departments, longest first (门诊药房 before 门诊), built
 * once per organisation file. 信息科 is left out: people write it to address the help desk.
 */
export function departmentNames(directory: Directory): readonly { id: string; name: string }[] {
  let names = departmentNamesOf.get(directory);
  if (!names) {
    names = directory.org.departments
      .filter((d) => d.id !== 'it')
      .flatMap((d) => [d.name, ...d.aliases].map((name) => ({ id: d.id, name })))
      .sort((a, b) => b.name.length - a.name.length);
    departmentNamesOf.set(directory, names);
  }
  return names;
}

/** Words that say something is broken or blocked (the fault of a report). */
export const FAULT =
  /不了|不上|不开|不出|不进|不能|无法|失败|报错|错误|出错|崩|瘫|宕|挂了|断了|断网|没网|坏|死机|蓝屏|黑屏|白屏|花屏|闪屏|(?<!报|医保|就诊|银行|社保|磁|读|插|刷|门禁|饭|工作|会员|身份|健康|诊疗|一)卡(?!片|号|通|套|尺|器|证)|闪退|没反应|不动|不亮|不显示|不识别|识别不|异常|故障|掉线|转圈|很慢|好慢|太慢|特别慢|变慢|慢得|中毒|病毒|勒索|弹窗|弹广告|被锁|锁定|锁了|(?<!别|不要)忘了|(?<!别|不要)忘记|过期|乱码|不对|丢失|丢了|不见了|停了|停止|不工作|不通|不行|有问题|出问题|没声音|没电|冒烟|没有响应|无响应|打不|连不|登不|进不|用不|开不|关不|扫不|刷不|传不|存不|保存不|提交不|调不|读不|出不来|没法|失灵|趴了|趴窝|整不了|干不了|灰了|掉了|拖不动|转不动|贼慢|老慢|真慢|巨慢|忒慢|慢死|等半天|老卡|卡了|不存在|无效|不好使|罢工|歇菜|黑了|看不到|看不了|查不到|查不了|查无|找不到|收不到|搜不到|空白|没数据|没有数据|回不来|不叫|不灵|重影|错位|格式乱|乱了|写错|对不上|不同步|超时|黑道|道道|模糊|延迟|脱机|没用|不来了|不出来|没显示|显示不|红叉|叉号|感叹号|闪|松了|进水|摔了|缺纸|报\s*["“「『'‘]|(?:提示|显示|弹出|弹)\s*["“「『‘]|报\s*[A-Z]{1,4}-?\d|ORA-\d|SQLCODE|[Ee]rror|ERROR|[Ee]xception|[Rr]efused|[Tt]imeout|[Tt]imed out|[Ff]ailed|[Ff]ailure|[Oo]ffline|[Bb]ad [Gg]ateway|[Nn]ot [Ff]ound|[Dd]enied|[Uu]navailable|[Nn]ot [Rr]esponding|HTTP\s*[45]\d\d|0x[0-9A-Fa-f]{6,8}/;

/**
 * A clause boundary: punctuation, and the words that start a contrast (但是; 不过, 就是, 只是 only
 * after a pause, so 传不过来 stays one clause).
 */
const CLAUSE = /[，。,.;；!！?？\n~～]+|但是|可是|(?<=^|[\s，,。！!])(?:不过|就是|只是)/;

/** A clause that says something works (其他都正常, 打印机都好的) and no fault of its own. */
const WORKS = /正常|好的|好好的|没问题|没事|没有问题|能用|可以用|都好|不影响|没影响|没坏|是对的|没错|都对/;

/** Traditional characters staff type (檢驗, 門診, 體溫單), each read as its simplified form. */
const TRADITIONAL = new Map<string, string>(
  [
    ...'檢检驗验診诊門门處处報报單单錄录進进轉转體体溫温掛挂網网腦脑電电機机開开關关醫医護护藥药還还會会統统號号碼码賬账帳账無无線线斷断連连顯显頁页響响應应問问題题請请謝谢樓楼層层間间們们這这個个來来過过時时給给說说話话麼么嗎吗點点從从後后裡里裏里為为臺台錯错誤误對对資资產产備备設设術术搶抢監监庫库輸输紙纸張张發发處处剛刚壞坏彈弹沒没麼么讓让碼码統统庫库權权鎖锁憑凭證证雙双復复據据務务專专門门辦办員员線线聯联繫系級级灣湾廣广殺杀軟软體体傳传圖图總总歷历壓压熱热滿满寫写準准確确認认錢钱賬账結结費费',
  ].flatMap((c, i, all) => (i % 2 === 0 ? [[c, all[i + 1]!] as [string, string]] : [])),
);

export function fold(text: string, spellings: Record<string, string>): string {
  let out = [...mandarinOf(text.normalize('NFKC')).replace(/\s+/g, ' ').trim()].map((c) => TRADITIONAL.get(c) ?? c).join('');
  for (const [variant, word] of Object.entries(spellings)) {
    // Latin variants (hiss, Emr) in any case, as whole words; Chinese ones as written.
    if (LATIN.test(variant)) out = out.replace(new RegExp(`(?<![A-Za-z0-9])${escape(variant)}(?![A-Za-z0-9])`, 'gi'), word);
    else if (out.includes(variant)) out = out.split(variant).join(word);
  }
  return out;
}

export function clauses(text: string): string[] {
  return text
    .split(CLAUSE)
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}

/** The text with the clauses that only say something works blanked out, its punctuation kept. */
export function withoutWorking(text: string): string {
  let out = text;
  for (const c of workingClauses(text)) out = out.replace(c, ' '.repeat(c.length));
  return out;
}

/** The clauses that only say something works (其他都正常, 手术间那边全部正常): the rest of troubledClauses. */
export function workingClauses(text: string): string[] {
  const kept = new Set(troubledClauses(text));
  return clauses(text.replace(/\s+/g, '，')).filter((c) => !kept.has(c));
}

/** The clauses that do not merely say something works ("其他都正常，就我这台…" keeps only "我这台…"). */
export function troubledClauses(text: string): string[] {
  // Staff often type a space where a comma would be: here it parts clauses too.
  return clauses(text.replace(/\s+/g, '，')).filter((c) => !WORKS.test(c) || FAULT.test(c.replace(WORKS, '')));
}

const LATIN = /^[A-Za-z0-9]+$/;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where a phrase occurs: Latin phrases only as whole words, case-insensitively. */
export function occurrences(text: string, phrase: string): number[] {
  const found: number[] = [];
  if (LATIN.test(phrase)) {
    const re = new RegExp(`(?<![A-Za-z])${escape(phrase)}(?![A-Za-z])`, 'gi');
    for (const m of text.matchAll(re)) found.push(m.index);
    return found;
  }
  for (let i = text.indexOf(phrase); i >= 0; i = text.indexOf(phrase, i + phrase.length)) found.push(i);
  return found;
}

export function hasAny(text: string, phrases: readonly string[]): boolean {
  return phrases.some((p) => occurrences(text, p).length > 0);
}

/** A phrase counts as said unless 不是 / 并非 / 没有 stands right before it ("不是全院的问题"). */
export function saysAny(text: string, phrases: readonly string[]): boolean {
  return phrases.some((p) => occurrences(text, p).some((at) => !/(?:不是|并非|没有|不像)$/.test(text.slice(Math.max(0, at - 3), at))));
}

export interface Span {
  start: number;
  end: number;
}

/**
 * The non-overlapping occurrences of phrases, given longest first (so 条码打印机 is one printer
 * phrase, not the barcode 条码 plus 打印机).
 */
export function spansOf<T>(text: string, longestFirst: readonly { phrase: string; tag: T }[]): (Span & { tag: T; phrase: string })[] {
  const taken: Span[] = [];
  const out: (Span & { tag: T; phrase: string })[] = [];
  for (const e of longestFirst) {
    for (const start of occurrences(text, e.phrase)) {
      const end = start + e.phrase.length;
      if (taken.some((s) => start < s.end && end > s.start)) continue;
      taken.push({ start, end });
      out.push({ start, end, tag: e.tag, phrase: e.phrase });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Where the fault words are. */
export function faultSpans(text: string): Span[] {
  const re = new RegExp(FAULT.source, 'g');
  return [...text.matchAll(re)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}
