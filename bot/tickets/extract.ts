import type { Directory } from '../org/directory.js';
import type { OrgPerson, OrgSystem, Priority } from '../org/schema.js';
import { Segmenter } from './segment.js';

/** What a free-text fault report tells us. Every rule lives here; keywords come from the organisation file. */
export interface ReportFields {
  title: string;
  departmentId?: string;
  location?: { text: string; building?: string; floor?: string; room?: string };
  assetNumber?: string;
  phone?: string;
  system?: OrgSystem;
  priority: Priority;
  /** What the help desk still needs before an engineer can act. */
  missing: ('asset' | 'phone' | 'system')[];
}

/** An asset number after its label (资产号 PC 0231); without a label only the hospital's own prefixes count. */
const LABELLED_ASSET = /(?:资产(?:编号|号)?|设备(?:编号|号)|编号)\s*[:：]?\s*([A-Za-z]{2,5})[\s_-]?(\d{3,8})(?!\d)/;
const MOBILE_DIGITS = String.raw`1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}`;
const LABELLED_PHONE = new RegExp(
  String.raw`(?:电话|分机|手机|座机|内线|短号|联系人|联系方式|联系|tel)\s*(?:号码|号)?\s*[:：是]?\s*(?:[\u4e00-\u9fa5]{1,4}\s*)?(` +
    MOBILE_DIGITS +
    String.raw`|0\d{2,3}-?\d{7,8}|\d{3,8})`,
  'i',
);
const MOBILE = new RegExp(String.raw`(?<!\d)(` + MOBILE_DIGITS + String.raw`)(?!\d)`);
const FLOOR_ROOM =
  /(?<floor>\d{1,2}|[一二三四五六七八九十]{1,3}|[Bb]\d)\s*(?:楼|层|F)(?!梯)\s*的?\s*(?<room>\d{1,4}[A-Za-z]?\s*(?:诊室|病房|房间|办公室|室|号)|\d{2,4}[A-Za-z]?|[A-Za-z\u4e00-\u9fa5]{0,6}?(?:诊室|病房|护士站|办公室|收费处|药房|机房|室|站|台))?/;
const CHINESE_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
/** Words that make a question about a fault that blocks work now, not a routine P4 question. */
const BLOCKING = /蓝屏|黑屏|死机|开不了机|打不开|登不上|用不了|报错|卡住|卡死|闪退|没反应|病人.{0,3}等/;
const MILD_P4 = new Set(['请问', '咨询', '如何']);

const CLAUSE_END = /[，。,.;；!！?？\n]/;

const segmenters = new WeakMap<Directory, Segmenter>();

/** The segmenter that knows every keyword of the organisation file. */
export function segmenterOf(directory: Directory): Segmenter {
  let seg = segmenters.get(directory);
  if (!seg) {
    const { systems, priorities } = directory.org;
    seg = new Segmenter([...systems.flatMap((s) => s.keywords), ...Object.values(priorities).flatMap((p) => p?.keywords ?? [])]);
    segmenters.set(directory, seg);
  }
  return seg;
}

export function extractReport(text: string, sender: OrgPerson, directory: Directory): ReportFields {
  // NFKC folds full-width digits, letters and punctuation (ＰＣ－０２３１，８１２３) to half-width.
  const clean = text.normalize('NFKC').trim();
  const words = segmenterOf(directory).words(clean);
  const asset = assetOf(clean, directory.org.assets.prefixes);
  const location = locationOf(clean, directory.org.locations.buildings);
  const system = matchSystem(words, directory.org.systems);
  const fields: ReportFields = {
    title: titleOf(clean),
    departmentId: departmentFromText(clean, location, directory) ?? sender.department,
    location,
    assetNumber: asset,
    phone: phoneOf(clean, asset),
    system,
    priority: priorityOf(withoutPlace(clean, location), words, directory),
    missing: [],
  };
  if (!fields.system) fields.missing.push('system');
  else if (fields.system.needsAsset && !fields.assetNumber) fields.missing.push('asset');
  if (!fields.phone && !sender.phone) fields.missing.push('phone');
  return fields;
}

const SMALL_TALK =
  /^(?:(?:你好|您好|老师好|师傅好|早上好|上午好|下午好|晚上好|hi|hello|在吗|在不在|谢谢|多谢|感谢|谢了|麻烦了|麻烦您了|好的|好嘞|好|嗯|收到|ok|辛苦了|没事了|已经好了|好了|可以了|那我等你们(?:过来)?|\p{Extended_Pictographic})(?:老师|师傅|工程师|啦|了|呀|哈|您)*)+$/iu;

/** Greetings and thanks are not faults: they create no ticket. */
export function looksLikeSmallTalk(text: string): boolean {
  const t = text.normalize('NFKC').replace(/[\s，。、,.!！~～?？@\uFE0F]/g, '');
  return t.length === 0 || SMALL_TALK.test(t);
}

function titleOf(text: string): string {
  const first = text.split(CLAUSE_END).find((s) => s.trim().length > 0)?.trim() ?? text;
  const chars = [...first];
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : first;
}

function assetOf(text: string, prefixes: string[]): string | undefined {
  const labelled = LABELLED_ASSET.exec(text);
  if (labelled) return `${labelled[1]!.toUpperCase()}-${labelled[2]}`;
  if (prefixes.length === 0) return undefined;
  const known = new RegExp(String.raw`(?<![A-Za-z])(${prefixes.join('|')})[\s_-]?(\d{3,8})(?!\d)`, 'i').exec(text);
  return known ? `${known[1]!.toUpperCase()}-${known[2]}` : undefined;
}

function phoneOf(text: string, asset: string | undefined): string | undefined {
  const withoutAsset = asset ? text.replace(new RegExp(asset.replace('-', '[\\s_-]?'), 'i'), '') : text;
  const found = LABELLED_PHONE.exec(withoutAsset)?.[1] ?? MOBILE.exec(withoutAsset)?.[1];
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
  const names = directory.org.departments
    .filter((d) => d.id !== 'it')
    .flatMap((d) => [d.name, ...d.aliases].map((name) => ({ id: d.id, name })))
    .sort((a, b) => b.name.length - a.name.length);
  const rest = location?.building && location.floor ? text.replace(location.building, ' ') : text;
  for (const part of [location?.room ?? '', rest]) {
    const found = names.find((n) => part.includes(n.name));
    if (found) return found.id;
  }
  return undefined;
}

/** The system whose keywords match most words; ties go to the one listed first in the organisation file. */
function matchSystem(words: string[], systems: OrgSystem[]): OrgSystem | undefined {
  let best: { system: OrgSystem; score: number } | undefined;
  for (const system of systems) {
    const score = system.keywords.filter((k) => Segmenter.has(words, k)).length;
    if (score > 0 && (!best || score > best.score)) best = { system, score };
  }
  return best?.system;
}

/** The text without its location, so 门诊3楼 (a building) is not read as the outpatient department. */
function withoutPlace(text: string, location: ReportFields['location']): string {
  let rest = text;
  // A building counts as a place only as part of an address (门诊3楼); 门诊、急诊都… names departments.
  for (const part of [location?.floor ? location.building : undefined, location?.room]) if (part) rest = rest.replace(part, ' ');
  return rest;
}

function priorityOf(text: string, words: string[], directory: Directory): Priority {
  const rules = directory.org.priorities;
  const hits = (level: 'P1' | 'P2' | 'P4') => rules[level]?.keywords.filter((k) => Segmenter.has(words, k)) ?? [];
  if (hits('P1').length > 0) return 'P1';
  // Several departments named, all down: the hospital's key departments are stopped.
  const named = new Set(directory.org.departments.filter((d) => [d.name, ...d.aliases].some((n) => text.includes(n))).map((d) => d.id));
  if (named.size >= 2 && /都|全/.test(text)) return 'P1';
  if (hits('P2').length > 0) return 'P2';
  const p4 = hits('P4');
  // "请问…蓝屏了怎么办" is a fault blocking work now, asked politely.
  if (p4.length > 0 && !(p4.every((k) => MILD_P4.has(k)) && BLOCKING.test(text))) return 'P4';
  return 'P3';
}
