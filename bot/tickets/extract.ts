import type { Directory } from '../org/directory.js';
import type { OrgPerson, OrgSystem, Priority } from '../org/schema.js';

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

const ASSET = /(?:资产(?:编号|号)?|设备(?:编号|号)|编号)?\s*[:：]?\s*\b([A-Za-z]{2,5}-?\d{3,8})\b/;
const LABELLED_PHONE = /(?:电话|分机|手机|座机|联系方式|联系|tel)\s*(?:号码|号)?\s*[:：是]?\s*(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{3,8})/i;
const MOBILE = /(?<!\d)(1[3-9]\d{9})(?!\d)/;
const FLOOR_ROOM =
  /(?<floor>\d{1,2}|[一二三四五六七八九十]{1,3}|[Bb]\d)\s*(?:楼|层|F)(?!梯)\s*(?<room>\d{2,4}[A-Za-z]?\s*(?:诊室|病房|房间|办公室|室|号)?|[\u4e00-\u9fa5]{1,6}?(?:诊室|病房|护士站|办公室|收费处|药房|室|站|台))?/;

const CLAUSE_END = /[，。,.;；!！?？\n]/;

export function extractReport(text: string, sender: OrgPerson, directory: Directory): ReportFields {
  const clean = text.trim();
  const asset = ASSET.exec(clean)?.[1]?.toUpperCase();
  const system = matchSystem(clean, directory.org.systems);
  const fields: ReportFields = {
    title: titleOf(clean),
    departmentId: departmentFromText(clean, directory) ?? sender.department,
    location: locationOf(clean, directory.org.locations.buildings),
    assetNumber: asset ? normalizeAsset(asset) : undefined,
    phone: phoneOf(clean, asset),
    system,
    priority: priorityOf(clean, directory),
    missing: [],
  };
  if (!fields.system) fields.missing.push('system');
  else if (fields.system.needsAsset && !fields.assetNumber) fields.missing.push('asset');
  if (!fields.phone && !sender.phone) fields.missing.push('phone');
  return fields;
}

/** Greetings and thanks are not faults: they create no ticket. */
export function looksLikeSmallTalk(text: string): boolean {
  const t = text.replace(/[\s，。,.!！~～?？@]/g, '');
  if (t.length === 0) return true;
  return /^(你好|您好|hi|hello|在吗|在不在|谢谢|多谢|感谢|谢了|好的|好|嗯|收到|ok|辛苦了|没事了)+(老师|师傅|工程师|啦|了|呀|哈|您)*$/i.test(t);
}

function titleOf(text: string): string {
  const first = text.split(CLAUSE_END).find((s) => s.trim().length > 0)?.trim() ?? text;
  const chars = [...first];
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : first;
}

function normalizeAsset(asset: string): string {
  return asset.includes('-') ? asset : asset.replace(/^([A-Z]+)(\d+)$/, '$1-$2');
}

function phoneOf(text: string, asset: string | undefined): string | undefined {
  const labelled = LABELLED_PHONE.exec(text)?.[1];
  if (labelled) return labelled;
  const withoutAsset = asset ? text.replace(new RegExp(asset, 'i'), '') : text;
  return MOBILE.exec(withoutAsset)?.[1];
}

function locationOf(text: string, buildings: string[]): ReportFields['location'] {
  const byLength = [...buildings].sort((a, b) => b.length - a.length);
  const building = byLength.find((b) => text.includes(b));
  const m = FLOOR_ROOM.exec(text);
  if (!building && !m) return undefined;
  const floor = m?.groups?.floor;
  const room = m?.groups?.room?.replace(/\s+/g, '');
  const parts = [building, floor ? `${floor}楼` : undefined, room].filter(Boolean);
  return { text: parts.join(''), building, floor, room };
}

/** A department is read from the text only when named in full (心内科); the sender's profile is the fallback. */
function departmentFromText(text: string, directory: Directory): string | undefined {
  return directory.org.departments.find((d) => text.includes(d.name))?.id;
}

/** The system whose keywords match most; ties go to the one listed first in the organisation file. */
function matchSystem(text: string, systems: OrgSystem[]): OrgSystem | undefined {
  const lower = text.toLowerCase();
  let best: { system: OrgSystem; score: number } | undefined;
  for (const system of systems) {
    const score = system.keywords.filter((k) => lower.includes(k.toLowerCase())).length;
    if (score > 0 && (!best || score > best.score)) best = { system, score };
  }
  return best?.system;
}

function priorityOf(text: string, directory: Directory): Priority {
  const rules = directory.org.priorities;
  for (const level of ['P1', 'P2', 'P4'] as const) {
    if (rules[level]?.keywords.some((k) => text.includes(k))) return level;
  }
  return 'P3';
}
