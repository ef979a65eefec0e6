import { z } from 'zod';
import { zonedInstant } from '../calendar.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { CardField, CardInput } from '../chat/model.js';
import type { WorkCalendar } from '../calendar.js';
import type { Tx } from '../db/client.js';
import type { ApprovalType, ChainStep } from '../org/approvals-schema.js';
import type { Directory, Person } from '../org/directory.js';
import { isCalendarDay, localDate } from '../time.js';

/** What a kind of request needs to know when a form is checked. */
export interface KindContext {
  directory: Directory;
  calendar: WorkCalendar;
  now: Date;
  requester: Person;
}

/** What a kind of request reads of the database when its form is opened or checked (the asset register). */
export interface StoredContext extends KindContext {
  tx: Tx;
}

/**
 * A form opened for one thing (`申请 报废 PC-0231`): what the card shows of it, and the values the
 * form then carries itself, with no input for them (in its submit button's value, beside `type` and
 * `form`: checked again on submission like every field).
 */
export interface FormOpening {
  fields: CardField[];
  preset: Record<string, string>;
}

/** One kind of request: its form, how the form is checked, its title, fields and chain. */
export interface ApprovalKind {
  type: ApprovalType;
  label: string;
  /**
   * `about`: the person the request is to be about, offered first (someone remembered from a
   * directory is in no list). `preset`: the values the form carries already (no input for them).
   */
  inputs(directory: Directory, requester: Person, about?: Person, preset?: Record<string, string>): CardInput[];
  /** The checked form; a mistake throws a BotError that names it in Chinese. */
  parse(raw: Record<string, unknown>, c: KindContext): Record<string, string>;
  /** The checked form against what the database holds (an asset against the register): the form with what was read there, or a BotError. */
  against?(form: Record<string, string>, c: StoredContext): Promise<Record<string, string>>;
  /** The form opened for what follows the kind's word (`申请 报废 PC-0231`); a BotError refuses it. Kinds without it take no such words. */
  opening?(about: string, c: StoredContext): Promise<FormOpening>;
  title(form: Record<string, string>, directory: Directory): string;
  fields(form: Record<string, string>, directory: Directory, timeZone: string): CardField[];
  chain(form: Record<string, string>, directory: Directory): ChainStep[];
  /** The person the request is about, when not the requester. */
  subject?(form: Record<string, string>): string | undefined;
  /** Who may ask for it, when not everyone (the words for them, and the check). */
  onlyFor?: { who: string; may(person: Person, directory: Directory): boolean };
}

/** Refuses a request of `kind` from someone it is not for. */
export function requireMayRequest(kind: ApprovalKind, person: Person, directory: Directory): void {
  if (kind.onlyFor && !kind.onlyFor.may(person, directory)) {
    throw new BotError('not_allowed', { who: kind.onlyFor.who, what: t('approval.what.apply', { kind: kind.label }) });
  }
}

/** How the fields of a request form are read and checked; a mistake is a BotError that names the field. */

/** A form value as text: the first of a multi-select, a number or checkbox as its text, anything else as empty. */
const asText = (v: unknown) => {
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' || typeof first === 'number' || typeof first === 'boolean' ? String(first) : '';
};

/** A required text field, named by its label in the mistakes. */
export const text = (label: string, max = 500) =>
  z.preprocess(asText, z.string().trim().min(1, t('approvalForm.error.required', { label })).max(max, t('approvalForm.error.tooLong', { label })));
export const optional = (max = 500) => z.preprocess(asText, z.string().trim().max(max, t('approvalForm.error.optionalTooLong')));
/** One of the options of a select. */
export const choice = <const T extends readonly [string, ...string[]]>(values: T, label: string) =>
  z.enum(values, { message: t('approvalForm.error.choose', { label }) });

export function check<T extends z.ZodRawShape>(shape: T, raw: Record<string, unknown>): Record<string, string> {
  const parsed = z.object(shape).safeParse(raw);
  if (!parsed.success) throw new BotError('invalid_form', { reason: parsed.error.issues[0]?.message ?? t('approvalForm.error.incomplete') });
  return parsed.data as Record<string, string>;
}

/** A refused form, with the reason it names. */
export const refuse = (reason: string) => new BotError('invalid_form', { reason });

const personOption = (directory: Directory) => (p: Person) => ({ label: `${p.name}（${directory.departmentName(p.department) ?? ''}）`, value: p.id });
export const everyone = (directory: Directory, first?: Person) => [
  ...(first ? [personOption(directory)(first)] : []),
  ...directory
    .allPeople()
    .filter((p) => p.id !== first?.id)
    .map(personOption(directory)),
];
export const itStaff = (directory: Directory) =>
  directory
    .allPeople()
    .filter((p) => directory.isItStaff(p))
    .map(personOption(directory));
export const colleagues = (directory: Directory, requester: Person) =>
  directory
    .allPeople()
    .filter((p) => p.department === requester.department && p.id !== requester.id)
    .map(personOption(directory));
export const name = (directory: Directory, id: string | undefined) => (id ? (directory.person(id)?.name ?? id) : '—');

export function knownPerson(directory: Directory, id: string, label: string): string {
  if (!directory.person(id)) throw refuse(t('approvalForm.error.pickColleague', { label }));
  return id;
}

/** A date as people type it (2026-12-5, ２０２６-１２-０５) as YYYY-MM-DD, or a BotError naming the field. */
export function parseDay(value: string, label: string, timeZone: string): string {
  return localDate(parseLocal(value, label, timeZone), timeZone);
}

/** `2026-11-28 22:00` in the hospital's zone. */
export function parseLocal(value: string, label: string, timeZone: string): Date {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?$/.exec(value.trim().normalize('NFKC'));
  if (!m) throw refuse(t('approvalForm.error.dateFormat', { label }));
  const day = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const time = m[4] ? `${m[4].padStart(2, '0')}:${m[5]}` : '00:00';
  const at = zonedInstant(day, time, timeZone);
  // 2026-02-30 or 25:00 would roll over to another day rather than fail (24:00 is the end of the day).
  const [hour, minute] = [Number(m[4] ?? 0), Number(m[5] ?? 0)];
  const clockOk = minute <= 59 && (hour <= 23 || (hour === 24 && minute === 0));
  if (!isCalendarDay(day) || !clockOk || Number.isNaN(at.getTime())) throw refuse(t('approvalForm.error.invalidDate', { label }));
  return at;
}

/** 门诊部，检验科 / 门诊部、检验科 → names. */
/** The words for "every department" in a change's affected departments. */
const WHOLE_HOSPITAL = new Set(['全院', '全院各科室', '全院科室', '所有科室', '全部科室', '各科室']);

/** A change's affected departments as typed: the departments named, the names not known, and whether it is the whole hospital. */
export function affectedDepartments(value: string, directory: Directory) {
  const names = departmentList(value);
  const wholeHospital = names.some((n) => WHOLE_HOSPITAL.has(n));
  const named = names.filter((n) => !WHOLE_HOSPITAL.has(n));
  const find = (n: string) => directory.org.departments.find((d) => d.name === n || d.aliases.includes(n));
  return {
    wholeHospital,
    departments: wholeHospital ? directory.org.departments : named.map(find).filter((d) => d !== undefined),
    unknown: named.filter((n) => !find(n)),
  };
}

export function departmentList(value: string): string[] {
  return value
    .split(/[,，、;；\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * A secret typed into a comment (初始密码 Abc@1234, 口令：…, password …) is never kept: it would be
 * stored, audited and shown to the requester and on the group card. The word stays, the value goes.
 */
const SECRET = /((?:初始|临时|默认)?(?:密码|口令)|password|passwd|pwd)(\s*(?:是|为|[:：=])?\s*)([\x21-\x7e]{3,})/giu;

export function withoutSecrets(comment: string): string {
  return comment.replace(SECRET, (_all, word: string, between: string) => `${word}${between}******`);
}

/** Whether `withoutSecrets` would hide something in `comment`. */
export const hasSecret = (comment: string) => withoutSecrets(comment) !== comment;
