import { z } from 'zod';
import type { CardField, CardInput } from '../chat/model.js';
import type { WorkCalendar } from '../calendar.js';
import { zonedInstant } from '../calendar.js';
import { BotError } from '../errors.js';
import type { ApprovalType, ChainStep } from '../org/approvals-schema.js';
import type { Directory, Person } from '../org/directory.js';
import { isCalendarDay, localDate, localDateTime } from '../time.js';
import { describeWindows, insideChangeWindows } from './windows.js';

/** What a kind of request needs to know when a form is checked. */
export interface KindContext {
  directory: Directory;
  calendar: WorkCalendar;
  now: Date;
  requester: Person;
}

/** One kind of request: its form, how the form is checked, its title, fields and chain. */
export interface ApprovalKind {
  type: ApprovalType;
  label: string;
  inputs(directory: Directory, requester: Person): CardInput[];
  /** The checked form; a mistake throws a BotError that names it in Chinese. */
  parse(raw: Record<string, unknown>, c: KindContext): Record<string, string>;
  title(form: Record<string, string>, directory: Directory): string;
  fields(form: Record<string, string>, directory: Directory, timeZone: string): CardField[];
  chain(form: Record<string, string>, directory: Directory): ChainStep[];
  /** The person the request is about, when not the requester. */
  subject?(form: Record<string, string>): string | undefined;
}

/** A form value as text: the first of a multi-select, a number or checkbox as its text, anything else as empty. */
const asText = (v: unknown) => {
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' || typeof first === 'number' || typeof first === 'boolean' ? String(first) : '';
};
const text = (label: string, max = 500) => z.preprocess(asText, z.string().trim().min(1, `请填写「${label}」`).max(max, `「${label}」过长`));
const optional = (max = 500) => z.preprocess(asText, z.string().trim().max(max, '填写的内容过长'));

function check<T extends z.ZodRawShape>(shape: T, raw: Record<string, unknown>): Record<string, string> {
  const parsed = z.object(shape).safeParse(raw);
  if (!parsed.success) throw new BotError('invalid_form', { reason: parsed.error.issues[0]?.message ?? '表单不完整' });
  return parsed.data as Record<string, string>;
}

const personOption = (directory: Directory) => (p: Person) => ({ label: `${p.name}（${directory.departmentName(p.department) ?? ''}）`, value: p.id });
const everyone = (directory: Directory) => directory.allPeople().map(personOption(directory));
const itStaff = (directory: Directory) => directory.allPeople().filter((p) => directory.isItStaff(p)).map(personOption(directory));
const name = (directory: Directory, id: string | undefined) => (id ? (directory.person(id)?.name ?? id) : '—');

function knownPerson(directory: Directory, id: string, label: string): string {
  if (!directory.person(id)) throw new BotError('invalid_form', { reason: `请在「${label}」中选择一位同事` });
  return id;
}

/** A date as people type it (2026-12-5, ２０２６-１２-０５) as YYYY-MM-DD, or a BotError naming the field. */
export function parseDay(value: string, label: string, timeZone: string): string {
  return localDate(parseLocal(value, label, timeZone), timeZone);
}

/** `2026-11-28 22:00` in the hospital's zone. */
export function parseLocal(value: string, label: string, timeZone: string): Date {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?$/.exec(value.trim().normalize('NFKC'));
  if (!m) throw new BotError('invalid_form', { reason: `「${label}」请写成 2026-11-28 22:00 的格式` });
  const day = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const time = m[4] ? `${m[4].padStart(2, '0')}:${m[5]}` : '00:00';
  const at = zonedInstant(day, time, timeZone);
  // 2026-02-30 or 25:00 would roll over to another day rather than fail (24:00 is the end of the day).
  const [hour, minute] = [Number(m[4] ?? 0), Number(m[5] ?? 0)];
  const clockOk = minute <= 59 && (hour <= 23 || (hour === 24 && minute === 0));
  if (!isCalendarDay(day) || !clockOk || Number.isNaN(at.getTime())) throw new BotError('invalid_form', { reason: `「${label}」不是有效的日期` });
  return at;
}

const permission: ApprovalKind = {
  type: 'permission',
  label: '权限申请',
  inputs: (directory, requester) => [
    { name: 'person', label: '为谁申请', kind: 'select', required: true, options: everyone(directory), placeholder: requester.name },
    { name: 'system', label: '系统', kind: 'select', required: true, options: directory.org.approvals.systems.map((s) => ({ label: s.name, value: s.id })) },
    { name: 'action', label: '操作', kind: 'select', required: true, options: [{ label: '开通账号', value: 'create' }, { label: '变更权限', value: 'change' }] },
    { name: 'permissions', label: '所需权限', kind: 'input', required: true, placeholder: '如：门诊医生站 开立处方、查看检验结果' },
    { name: 'reason', label: '申请理由', kind: 'textarea', required: true },
  ],
  parse: (raw, c) => {
    const form = check({ person: optional(64), system: text('系统', 64), action: z.enum(['create', 'change'], { message: '请选择「操作」' }), permissions: text('所需权限'), reason: text('申请理由') }, raw);
    form.person = knownPerson(c.directory, form.person || c.requester.id, '为谁申请');
    if (!c.directory.org.approvals.systems.some((s) => s.id === form.system)) throw new BotError('invalid_form', { reason: '请在「系统」中选择一个系统' });
    return form;
  },
  title: (f, d) => `${name(d, f.person)}：${d.org.approvals.systems.find((s) => s.id === f.system)?.name ?? f.system}${f.action === 'create' ? '开通账号' : '变更权限'}`,
  fields: (f, d) => [
    { label: '使用人', value: name(d, f.person) },
    { label: '系统', value: d.org.approvals.systems.find((s) => s.id === f.system)?.name ?? f.system! },
    { label: '操作', value: f.action === 'create' ? '开通账号' : '变更权限' },
    { label: '所需权限', value: f.permissions! },
    { label: '理由', value: f.reason! },
  ],
  chain: (_f, d) => d.org.approvals.chains.permission,
  subject: (f) => f.person,
};

const revocation: ApprovalKind = {
  type: 'revocation',
  label: '账号注销',
  inputs: (directory) => [
    { name: 'person', label: '离岗 / 转岗人员', kind: 'select', required: true, options: everyone(directory) },
    { name: 'kind', label: '类型', kind: 'select', required: true, options: ['离职', '离岗', '转岗'].map((k) => ({ label: k, value: k })) },
    { name: 'date', label: '生效日期', kind: 'input', required: true, placeholder: '2026-11-30' },
    { name: 'systems', label: '需停用的系统账号', kind: 'input', required: true, placeholder: '如：HIS、电子病历、OA' },
  ],
  parse: (raw, c) => {
    const form = check({ person: text('离岗 / 转岗人员', 64), kind: z.enum(['离职', '离岗', '转岗'], { message: '请选择「类型」' }), date: text('生效日期', 20), systems: text('需停用的系统账号') }, raw);
    knownPerson(c.directory, form.person!, '离岗 / 转岗人员');
    form.date = parseDay(form.date!, '生效日期', c.calendar.timeZone);
    return form;
  },
  title: (f, d) => `${name(d, f.person)}${f.kind}，注销账号`,
  fields: (f, d) => [
    { label: '人员', value: `${name(d, f.person)}（${d.departmentName(d.person(f.person!)?.department) ?? ''}）` },
    { label: '类型', value: f.kind! },
    { label: '生效日期', value: f.date! },
    { label: '停用账号', value: f.systems! },
  ],
  chain: (_f, d) => d.org.approvals.chains.revocation,
  subject: (f) => f.person,
};

const change: ApprovalKind = {
  type: 'change',
  label: '变更申请',
  inputs: (directory) => [
    { name: 'title', label: '变更名称', kind: 'input', required: true },
    { name: 'reason', label: '变更原因', kind: 'textarea', required: true },
    { name: 'content', label: '变更内容', kind: 'textarea', required: true },
    { name: 'risk', label: '风险评估', kind: 'textarea', required: true },
    { name: 'plan', label: '实施方案', kind: 'textarea', required: true },
    { name: 'rollback', label: '回退方案', kind: 'textarea', required: true },
    { name: 'test', label: '测试报告', kind: 'textarea', required: true },
    { name: 'systems', label: '影响系统', kind: 'input', required: true },
    { name: 'departments', label: '影响科室（逗号分隔）', kind: 'input', placeholder: '如：门诊部，检验科' },
    { name: 'start', label: '窗口开始', kind: 'input', required: true, placeholder: '2026-11-28 22:00' },
    { name: 'end', label: '窗口结束', kind: 'input', required: true, placeholder: '2026-11-29 02:00' },
    { name: 'level', label: '级别', kind: 'select', required: true, options: [{ label: '一般变更', value: 'normal' }, { label: '重大变更', value: 'major' }] },
    { name: 'emergency', label: '紧急变更', kind: 'select', options: [{ label: '否', value: 'no' }, { label: '是', value: 'yes' }] },
    { name: 'implementer', label: '实施人', kind: 'select', required: true, options: itStaff(directory) },
  ],
  parse: (raw, c) => {
    const form = check(
      {
        title: text('变更名称', 100),
        reason: text('变更原因'),
        content: text('变更内容', 2000),
        risk: text('风险评估', 2000),
        plan: text('实施方案', 2000),
        rollback: text('回退方案', 2000),
        test: text('测试报告', 2000),
        systems: text('影响系统'),
        departments: optional(),
        start: text('窗口开始', 20),
        end: text('窗口结束', 20),
        level: z.enum(['normal', 'major'], { message: '请选择「级别」' }),
        emergency: z.preprocess((v) => (v === '' || v === undefined ? 'no' : v), z.enum(['no', 'yes'])),
        implementer: text('实施人', 64),
      },
      raw,
    );
    const person = c.directory.person(form.implementer!);
    if (!person || !c.directory.isItStaff(person)) throw new BotError('invalid_form', { reason: '「实施人」须为信息科工程师' });
    const start = parseLocal(form.start!, '窗口开始', c.calendar.timeZone);
    const end = parseLocal(form.end!, '窗口结束', c.calendar.timeZone);
    if (end <= start) throw new BotError('invalid_form', { reason: '「窗口结束」须晚于「窗口开始」' });
    if (start <= c.now) throw new BotError('invalid_form', { reason: '变更窗口须在将来' });
    const windows = c.directory.org.approvals.changeWindows;
    if (form.emergency !== 'yes' && !insideChangeWindows(start, end, windows, c.calendar)) {
      throw new BotError('outside_change_window', { windows: describeWindows(windows) });
    }
    const unknown = departmentList(form.departments!).filter((n) => !c.directory.org.departments.some((d) => d.name === n || d.aliases.includes(n)));
    if (unknown.length > 0) throw new BotError('invalid_form', { reason: `没有这些科室：${unknown.join('、')}` });
    return form;
  },
  title: (f) => `${f.level === 'major' ? '重大' : '一般'}${f.emergency === 'yes' ? '紧急' : ''}变更：${f.title}`,
  fields: (f, d, tz) => [
    { label: '级别', value: `${f.level === 'major' ? '重大变更' : '一般变更'}${f.emergency === 'yes' ? '（紧急）' : ''}` },
    { label: '窗口', value: `${localDateTime(parseLocal(f.start!, '', tz), tz)} – ${localDateTime(parseLocal(f.end!, '', tz), tz)}` },
    { label: '影响系统', value: f.systems! },
    { label: '影响科室', value: f.departments || '—' },
    { label: '实施人', value: name(d, f.implementer) },
    { label: '变更原因', value: f.reason! },
    { label: '变更内容', value: f.content! },
    { label: '风险评估', value: f.risk! },
    { label: '实施方案', value: f.plan! },
    { label: '回退方案', value: f.rollback! },
    { label: '测试报告', value: f.test! },
  ],
  chain: (f, d) => {
    const chains = d.org.approvals.chains;
    const base = f.level === 'major' ? chains.change_major : chains.change_normal;
    if (f.emergency !== 'yes') return base;
    const hasDirector = base.some((s) => typeof s.approver === 'object' && 'role' in s.approver && s.approver.role === 'it_director');
    return hasDirector ? base : [...base, ...chains.change_emergency];
  },
};

/** 门诊部，检验科 / 门诊部、检验科 → names. */
export function departmentList(value: string): string[] {
  return value.split(/[,，、;；\s]+/).map((s) => s.trim()).filter(Boolean);
}

const dataExport: ApprovalKind = {
  type: 'data_export',
  label: '敏感数据导出',
  inputs: () => [
    { name: 'scope', label: '数据范围', kind: 'textarea', required: true, placeholder: '如：2026 年 10 月心内科出院患者的诊断与费用' },
    { name: 'purpose', label: '用途', kind: 'textarea', required: true },
    { name: 'masking', label: '脱敏', kind: 'select', required: true, options: [{ label: '脱敏（隐去姓名、身份证号、电话）', value: 'yes' }, { label: '不脱敏（需说明理由）', value: 'no' }] },
    { name: 'recipient', label: '接收人', kind: 'input', required: true },
  ],
  parse: (raw) => check({ scope: text('数据范围', 1000), purpose: text('用途', 1000), masking: z.enum(['yes', 'no'], { message: '请选择「脱敏」' }), recipient: text('接收人', 100) }, raw),
  title: (f) => `数据导出：${f.scope!.slice(0, 30)}`,
  fields: (f) => [
    { label: '数据范围', value: f.scope! },
    { label: '用途', value: f.purpose! },
    { label: '脱敏', value: f.masking === 'yes' ? '脱敏' : '不脱敏' },
    { label: '接收人', value: f.recipient! },
  ],
  chain: (_f, d) => d.org.approvals.chains.data_export,
};

const assetRequisition: ApprovalKind = {
  type: 'asset_requisition',
  label: '资产领用',
  inputs: () => [
    { name: 'item', label: '物品', kind: 'input', required: true, placeholder: '如：台式电脑、扫码枪' },
    { name: 'quantity', label: '数量', kind: 'input', required: true, placeholder: '1' },
    { name: 'reason', label: '用途', kind: 'textarea', required: true },
  ],
  parse: (raw) => {
    const form = check({ item: text('物品', 100), quantity: text('数量', 10), reason: text('用途') }, raw);
    if (!/^[1-9]\d{0,3}$/.test(form.quantity!.normalize('NFKC'))) throw new BotError('invalid_form', { reason: '「数量」请填 1 到 9999 的整数' });
    return form;
  },
  title: (f) => `领用 ${f.item} ×${f.quantity}`,
  fields: (f) => [
    { label: '物品', value: f.item! },
    { label: '数量', value: f.quantity! },
    { label: '用途', value: f.reason! },
  ],
  chain: (_f, d) => d.org.approvals.chains.asset_requisition,
};

const leave: ApprovalKind = {
  type: 'leave',
  label: '离岗申请',
  inputs: (directory, requester) => [
    { name: 'start', label: '开始日期', kind: 'input', required: true, placeholder: '2026-12-01' },
    { name: 'end', label: '结束日期', kind: 'input', required: true, placeholder: '2026-12-03' },
    { name: 'reason', label: '事由', kind: 'textarea', required: true },
    {
      name: 'covered',
      label: '工作交由',
      kind: 'select',
      required: true,
      options: directory.allPeople().filter((p) => p.department === requester.department && p.id !== requester.id).map(personOption(directory)),
    },
  ],
  parse: (raw, c) => {
    const form = check({ start: text('开始日期', 20), end: text('结束日期', 20), reason: text('事由'), covered: text('工作交由', 64) }, raw);
    knownPerson(c.directory, form.covered!, '工作交由');
    if (form.covered === c.requester.id) throw new BotError('invalid_form', { reason: '「工作交由」须为另一位同事' });
    const tz = c.calendar.timeZone;
    form.start = parseDay(form.start!, '开始日期', tz);
    form.end = parseDay(form.end!, '结束日期', tz);
    const start = parseLocal(form.start, '开始日期', tz);
    const end = parseLocal(form.end, '结束日期', tz);
    if (end < start) throw new BotError('invalid_form', { reason: '「结束日期」须不早于「开始日期」' });
    let workdays = 0;
    for (let d = start; d <= end; d = new Date(d.getTime() + 24 * 60 * 60 * 1000)) if (c.calendar.isWorkday(d)) workdays++;
    const max = c.directory.org.approvals.leaveMaxWorkdays;
    if (workdays > max) throw new BotError('invalid_form', { reason: `离岗最长 ${max} 个工作日，本次为 ${workdays} 个工作日` });
    form.workdays = String(workdays);
    return form;
  },
  title: (f, d) => `离岗 ${f.start} 至 ${f.end}，工作交由${name(d, f.covered)}`,
  fields: (f, d) => [
    { label: '时间', value: `${f.start} 至 ${f.end}（${f.workdays ?? '?'} 个工作日）` },
    { label: '事由', value: f.reason! },
    { label: '工作交由', value: name(d, f.covered) },
  ],
  chain: (_f, d) => d.org.approvals.chains.leave,
};

const dutySwap: ApprovalKind = {
  type: 'duty_swap',
  label: '换班申请',
  inputs: (directory, requester) => [
    { name: 'colleague', label: '与谁换班', kind: 'select', required: true, options: itStaff(directory).filter((o) => o.value !== requester.id) },
    { name: 'mine', label: '我的班次日期', kind: 'input', required: true, placeholder: '2026-12-05' },
    { name: 'theirs', label: '对方班次日期', kind: 'input', required: true, placeholder: '2026-12-06' },
    { name: 'reason', label: '原因', kind: 'textarea', required: true },
  ],
  parse: (raw, c) => {
    const form = check({ colleague: text('与谁换班', 64), mine: text('我的班次日期', 20), theirs: text('对方班次日期', 20), reason: text('原因') }, raw);
    knownPerson(c.directory, form.colleague!, '与谁换班');
    if (form.colleague === c.requester.id) throw new BotError('invalid_form', { reason: '「与谁换班」须为另一位同事' });
    form.mine = parseDay(form.mine!, '我的班次日期', c.calendar.timeZone);
    form.theirs = parseDay(form.theirs!, '对方班次日期', c.calendar.timeZone);
    return form;
  },
  title: (f, d) => `与${name(d, f.colleague)}换班：${f.mine} ↔ ${f.theirs}`,
  fields: (f, d) => [
    { label: '换班同事', value: name(d, f.colleague) },
    { label: '我的班次', value: f.mine! },
    { label: '对方班次', value: f.theirs! },
    { label: '原因', value: f.reason! },
  ],
  chain: (_f, d) => d.org.approvals.chains.duty_swap,
};

export const KINDS: Record<ApprovalType, ApprovalKind> = {
  permission,
  revocation,
  change,
  data_export: dataExport,
  asset_requisition: assetRequisition,
  leave,
  duty_swap: dutySwap,
};

/** What people type after 申请: 权限, 销户, 变更 … */
export const KIND_WORDS: Record<string, ApprovalType> = {
  权限: 'permission',
  开通: 'permission',
  销户: 'revocation',
  注销: 'revocation',
  变更: 'change',
  数据导出: 'data_export',
  导出: 'data_export',
  领用: 'asset_requisition',
  离岗: 'leave',
  请假: 'leave',
  换班: 'duty_swap',
};
