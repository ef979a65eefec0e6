import type { Directory, Person } from '../org/directory.js';
import type { OrgSystem, Priority } from '../org/schema.js';
import { departmentNames, faultSpans, fold, spansOf, withoutWorking } from './lexicon.js';
import { Segmenter } from './segment.js';
import { triage } from './triage.js';

/** What a free-text fault report tells us. Every rule lives here; keywords come from the organisation file. */
export interface ReportFields {
  title: string;
  departmentId?: string;
  /** The text names the department; otherwise `departmentId` is the sender's own. */
  departmentNamed: boolean;
  location?: { text: string; building?: string; floor?: string; room?: string };
  assetNumber?: string;
  phone?: string;
  system?: OrgSystem;
  /**
   * The system was named outright (HIS, 打印机, 手麻系统), not only guessed from a fault word typical of
   * it (重启, 卡纸), a function word (医嘱, 病历) or an asset label.
   */
  systemNamed: boolean;
  /** How the system was found: by a name, by a function word (医嘱, 病历), or only by a typical fault word (卡纸). */
  systemBy?: 'name' | 'word' | 'symptom';
  priority: Priority;
  /** A security incident: P1, for the security group. */
  security: boolean;
  /** The report could be P2 but does not say how far the fault reaches: ask. */
  askScope: boolean;
  /** What the help desk still needs before an engineer can act. */
  missing: ('asset' | 'phone' | 'system')[];
}

/** The words that label an asset number (资产号 PC 0231, 设备编号：PR-1002, 标签是PC-0567). */
const ASSET_LABEL = String.raw`(?:固定资产|资产|设备|机器|主机|标签|编号)(?:编号|号码|号|标签|码|条码)?(?:是|为)?`;
const LABELLED_ASSET = new RegExp(ASSET_LABEL + String.raw`\s*[:：]?\s*([A-Za-z]{2,5})[\s_\-—.]?(\d{3,8})(?!\d)`, 'i');
const MOBILE_DIGITS = String.raw`1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}`;
const LANDLINE = String.raw`0\d{2,3}-?\d{7,8}`;
const LABELLED_PHONE = new RegExp(
  String.raw`(?:电话|分机|手机|座机|内线|短号|联系人|联系方式|联系|回电|回拨|致电|打给我|打我|拨|tel|phone)\s*(?:号码|号|是|为)?\s*[:：是]?\s*(?:[\u4e00-\u9fa5]{1,4}\s*)?(` +
    MOBILE_DIGITS +
    '|' +
    LANDLINE +
    String.raw`|\d{3,8})(?!\d)`,
  'i',
);
const MOBILE = new RegExp(String.raw`(?<!\d)(` + MOBILE_DIGITS + '|' + LANDLINE + String.raw`)(?!\d)`);
/** A bare extension at the very end of a report (…打不开 8123), not a room (212室) or a count. */
const TRAILING_EXTENSION = /(?:^|[\s，,。:：])(\d{4,5})[\s。.!！]*$/;
const FLOOR_ROOM =
  /(?<floor>\d{1,2}|[一二三四五六七八九十]{1,3}|[Bb]\d)\s*(?:楼|层|F)(?!梯)\s*的?\s*(?<room>\d{1,4}[A-Za-z]?\s*(?:诊室|病房|房间|办公室|室|号)|\d{2,4}[A-Za-z]?|[A-Za-z\u4e00-\u9fa5]{0,6}?(?:诊室|病房|护士站|办公室|收费处|药房|机房|室|站|台))?/;
const CHINESE_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

const READ_LIMIT = 2000;
const CLAUSE_END = /[，。,.;；!！?？\n]/;

const segmenters = new WeakMap<Directory, Segmenter>();

/** The segmenter that knows every keyword of the organisation file (and is ready to look for its SOP articles' keywords). */
export function segmenterOf(directory: Directory): Segmenter {
  let seg = segmenters.get(directory);
  if (!seg) {
    const { systems, priorities, knowledge } = directory.org;
    seg = new Segmenter(
      [...systems.flatMap((s) => s.keywords), ...Object.values(priorities).flatMap((p) => p?.keywords ?? [])],
      knowledge.flatMap((a) => a.keywords),
    );
    segmenters.set(directory, seg);
  }
  return seg;
}

export function extractReport(text: string, sender: Person, directory: Directory): ReportFields {
  // NFKC folds full-width digits, letters and punctuation (ＰＣ－０２３１，８１２３) to half-width; the
  // spelling table folds variants and typos (帐号, 打引机) to the word they stand for.
  // A report is read from its first 2,000 characters (a pasted log after them says nothing more).
  const clean = fold([...text].slice(0, READ_LIMIT).join(''), directory.org.intake.spellings);
  const asset = assetOf(clean, directory.org.assets.prefixes);
  const location = locationOf(clean, directory.org.locations.buildings);
  // The system is read from the clauses that say something is wrong (密码是对的，就是进不去: not the password).
  const troubled = withoutWorking(clean);
  const found = matchSystem(troubled.trim() ? troubled : clean, directory, asset);
  const { priority, askScope, security } = triage(withoutPlace(clean, location), found.system, directory, clean);
  // A security incident is the security group's, whatever device it shows on.
  const system = (security && directory.org.systems.find((s) => s.category === 'service' && s.itGroup === 'security')) || found.system;
  const named = found.named || system !== found.system;
  const systemBy = !system ? undefined : named ? 'name' : found.worded ? 'word' : 'symptom';
  const department = departmentFromText(clean, location, directory);
  const fields: ReportFields = {
    title: titleOf(text.normalize('NFKC').trim()),
    departmentId: department ?? sender.department,
    departmentNamed: department !== undefined,
    location,
    assetNumber: asset,
    phone: phoneOf(clean, asset),
    system,
    systemNamed: named,
    systemBy,
    priority,
    askScope,
    security: !!security,
    missing: [],
  };
  if (!fields.system) fields.missing.push('system');
  // A question or a routine request needs no asset label to be answered.
  else if (fields.system.needsAsset && !fields.assetNumber && fields.priority !== 'P4') fields.missing.push('asset');
  if (!fields.phone && !sender.phone) fields.missing.push('phone');
  return fields;
}

const SMALL_TALK =
  /^(?:(?:你好|您好|老师好|师傅好|早上好|上午好|下午好|晚上好|hi|hello|在吗|在不在|谢谢|多谢|感谢|谢了|麻烦了|麻烦您了|好的|好嘞|好|嗯|收到|ok|辛苦了|没事了|已经好了|好了|可以了|那我等你们(?:过来)?|\p{Extended_Pictographic})(?:老师|师傅|工程师|啦|了|呀|哈|您)*)+$/iu;

/** Greetings and thanks are not faults: they create no ticket. */
export function looksLikeSmallTalk(text: string): boolean {
  const t = text.normalize('NFKC').replace(/[\s，。、,.!！~～?？@]|\uFE0F/g, '');
  return t.length === 0 || SMALL_TALK.test(t);
}

function titleOf(text: string): string {
  const first =
    text
      .split(CLAUSE_END)
      .find((s) => s.trim().length > 0)
      ?.trim() ?? text;
  const chars = [...first];
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : first;
}

const prefixPatterns = new WeakMap<string[], RegExp>();

/** An asset label of the hospital's own prefixes (PC0231, pc-0231), built once per organisation file. */
function prefixPattern(prefixes: string[]): RegExp {
  let re = prefixPatterns.get(prefixes);
  if (!re) {
    re = new RegExp(String.raw`(?<![A-Za-z])(${prefixes.join('|')})[\s_\-—.]?(\d{3,8})(?!\d)`, 'i');
    prefixPatterns.set(prefixes, re);
  }
  return re;
}

function assetOf(text: string, prefixes: string[]): string | undefined {
  const known = prefixes.length > 0 ? prefixPattern(prefixes).exec(text) : null;
  const labelled = LABELLED_ASSET.exec(text);
  // A label names the asset; without one, only the hospital's own prefixes count (HP1020 is a model).
  const found = labelled && (!known || labelled.index <= known.index) ? labelled : known;
  return found ? `${found[1]!.toUpperCase()}-${found[2]}` : undefined;
}

/** The asset number as it may be written in the text (PC-0231, PC 0231, PC_0231), compiled once per number lately seen. */
const assetSpellings = new Map<string, RegExp>();
function assetSpelling(asset: string): RegExp {
  let re = assetSpellings.get(asset);
  if (!re) {
    if (assetSpellings.size >= 1_000) assetSpellings.clear();
    re = new RegExp(asset.replace('-', '[\\s_\\-—.]?'), 'i');
    assetSpellings.set(asset, re);
  }
  return re;
}

function phoneOf(text: string, asset: string | undefined): string | undefined {
  const withoutAsset = asset ? text.replace(assetSpelling(asset), ' ') : text;
  const found = LABELLED_PHONE.exec(withoutAsset)?.[1] ?? MOBILE.exec(withoutAsset)?.[1] ?? TRAILING_EXTENSION.exec(withoutAsset)?.[1];
  return found?.replace(/[\s]/g, '').replace(/^(1\d{2})-(\d{4})-(\d{4})$/, '$1$2$3');
}

function locationOf(text: string, buildings: string[]): ReportFields['location'] {
  const byLength = [...buildings].sort((a, b) => b.length - a.length);
  const building = byLength.find((b) => text.includes(b));
  const m = FLOOR_ROOM.exec(text);
  if (!building && !m) return undefined;
  const rawFloor = m?.groups?.floor;
  const floor = rawFloor && rawFloor in CHINESE_DIGITS ? String(CHINESE_DIGITS[rawFloor]) : rawFloor;
  const room = m?.groups?.room?.replace(/\s+/g, '') || undefined;
  const parts = [building, floor ? `${floor}楼` : undefined, room].filter(Boolean);
  return { text: parts.join(''), building, floor, room };
}

/**
 * The department a text names (心内科, 门诊药房, 急诊), longest name first, the room before the rest
 * (门诊2楼西药房 is the pharmacy, not the outpatient department); the sender's own is the fallback.
 * A building is not a department, and 信息科 is never taken from the text: people write it to
 * address the help desk.
 */
function departmentFromText(text: string, location: ReportFields['location'], directory: Directory): string | undefined {
  const names = departmentNames(directory);
  const rest = location?.building && location.floor ? text.replace(location.building, ' ') : text;
  for (const part of [location?.room ?? '', rest]) {
    const found = names.find((n) => part.includes(n.name));
    if (found) return found.id;
  }
  return undefined;
}

type SystemPhrase = { phrase: string; tag: { system: OrgSystem; weight: number } };
const systemPhrasesOf = new WeakMap<Directory, SystemPhrase[]>();

/** Every system's names and typical fault words with their weights, longest first, built once per organisation file. */
function systemPhrases(directory: Directory): readonly SystemPhrase[] {
  let phrases = systemPhrasesOf.get(directory);
  if (!phrases) {
    phrases = directory.org.systems
      .flatMap((system) => [
        ...system.keywords.map((phrase) => ({ phrase, tag: { system, weight: /^[A-Za-z]{2,}$/.test(phrase) || system.category === 'service' ? 1.75 : 1.5 } })),
        ...system.symptoms.map((phrase) => ({ phrase, tag: { system, weight: 0.75 } })),
      ])
      .sort((a, b) => b.phrase.length - a.phrase.length);
    systemPhrasesOf.set(directory, phrases);
  }
  return phrases;
}

/**
 * The system the report is about. Each name of a system found in the text counts 1.5 (a Latin
 * acronym such as HIS, and the names of accounts and security, 1.75), each of its typical fault
 * words 0.75. The system a fault word is about (the name holding it, the acronym right after it,
 * else the name nearest before it) gets 1 more (1.25 for the first fault, 0.5 in a clause with 也),
 * and the device kind of an asset label (PR-… is a printer) 2 (1 beside a software fault). Ties go to the system listed first.
 */
function matchSystem(text: string, directory: Directory, asset: string | undefined): { system?: OrgSystem; named: boolean; worded: boolean } {
  const { systems, assets } = directory.org;
  const spans = spansOf(text, systemPhrases(directory));
  // Named outright: by an acronym, a device, the network, an account or security word, or a 系统 (not
  // by a function word such as 医嘱 or 病历 alone, which says what the user was doing).
  const strong = (s: (typeof spans)[number]) =>
    s.tag.weight > 1 &&
    (/^[A-Za-z]{2,}$/.test(s.phrase) ||
      s.tag.system.category !== 'software' ||
      s.phrase.includes('系统') ||
      s.phrase === s.tag.system.name ||
      text.startsWith('系统', s.end));
  const score = new Map<OrgSystem, number>();
  const add = (system: OrgSystem, n: number) => score.set(system, (score.get(system) ?? 0) + n);
  // A function word (收费, 医嘱) weighs a little less than a name, so 收费处键盘 is the keyboard.
  for (const s of spans) add(s.tag.system, strong(s) || s.tag.weight < 1 ? s.tag.weight : s.tag.weight - 0.25);
  let first = true;
  const faulted = new Set<OrgSystem>();
  for (const f of faultSpans(text)) {
    // The clause the fault word is in: the system it is about is named there.
    const from = Math.max(0, ...[...text.slice(0, f.start).matchAll(/[，。,.;；!！?？\n]/g)].map((m) => m.index + 1));
    const inClause = spans.filter((s) => s.start >= from && !/[，。,.;；!！?？\n]/.test(text.slice(Math.min(s.end, f.start), Math.max(s.start, f.end))));
    // A fault word inside a name (上不了网) is about that system; inside a typical fault word (黑屏)
    // it is about the device named before it (自助机屏幕黑屏), if any.
    const holder = inClause.find((s) => s.start <= f.start && s.end >= f.end);
    const names = inClause.filter((s) => s.tag.weight > 1);
    const named = names.filter((s) => s.start <= f.start).at(-1) ?? names.find((s) => s.start > f.start);
    // 登不上HIS, 连不上LIS: the system right after the verb is its object.
    const object = names.find((s) => s.start >= f.end && s.start - f.end <= 2 && s.tag.weight > 1.5);
    const about = holder && holder.tag.weight > 1 ? holder : (object ?? named ?? holder ?? inClause.filter((s) => s.start <= f.start).at(-1));
    // 也 right before the fault (HIS也进不去) tells a consequence, not the fault itself.
    const clause = text.slice(Math.max(from, f.start - 3), f.end);
    // The first fault said is the one reported; what follows it is often its consequence.
    if (about) add(about.tag.system, /也/.test(clause) ? 0.5 : first ? 1.25 : 1);
    if (about) faulted.add(about.tag.system);
    if (about) first = false;
  }
  const kind = asset && assets.kinds[asset.split('-')[0]!];
  const device = kind ? systems.find((s) => s.id === kind) : undefined;
  // A label on the device itself says what is broken (SC-… 扫描枪); beside a software fault it only
  // says where (病程记录用不了 … PC-0876).
  const software = [...faulted].some((s) => s.category === 'software');
  if (device) add(device, software && device.category === 'hardware' ? 1 : 2);
  let best: { system: OrgSystem; score: number } | undefined;
  for (const system of systems) {
    const n = score.get(system) ?? 0;
    if (n > 0 && (!best || n > best.score)) best = { system, score: n };
  }
  const of = (s: (typeof spans)[number]) => !!best && s.tag.system === best.system;
  return { system: best?.system, named: spans.some((s) => of(s) && strong(s)), worded: spans.some((s) => of(s) && s.tag.weight > 1) };
}

/** The text without its location, so 门诊3楼 (a building) is not read as the outpatient department. */
function withoutPlace(text: string, location: ReportFields['location']): string {
  let rest = text;
  // A building counts as a place only as part of an address (门诊3楼); 门诊、急诊都… names departments.
  for (const part of [location?.floor ? location.building : undefined, location?.room]) if (part) rest = rest.replace(part, ' ');
  return rest;
}
