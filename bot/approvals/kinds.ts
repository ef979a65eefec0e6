import { scoped, t } from '../i18n/zh.js';
import type { ApprovalType } from '../org/approvals-schema.js';
import type { Directory } from '../org/directory.js';
import { assetKinds } from './asset-kinds.js';
import { change } from './change-kind.js';
import { check, choice, colleagues, type ApprovalKind, everyone, itStaff, knownPerson, name, optional, parseDay, parseLocal, refuse, text } from './form.js';

const P = scoped('approvalForm.permission');
const systemName = (d: Directory, id: string | undefined) => d.org.approvals.systems.find((s) => s.id === id)?.name ?? id!;

const permission: ApprovalKind = {
  type: 'permission',
  label: t('approval.kind.permission'),
  inputs: (directory, requester) => [
    { name: 'person', label: P('person'), kind: 'select', required: true, options: everyone(directory), placeholder: requester.name },
    {
      name: 'system',
      label: P('system'),
      kind: 'select',
      required: true,
      options: directory.org.approvals.systems.map((s) => ({ label: s.name, value: s.id })),
    },
    {
      name: 'action',
      label: P('action'),
      kind: 'select',
      required: true,
      options: [
        { label: P('create'), value: 'create' },
        { label: P('change'), value: 'change' },
      ],
    },
    { name: 'permissions', label: P('permissions'), kind: 'input', required: true, placeholder: P('permissionsHint') },
    { name: 'reason', label: P('reason'), kind: 'textarea', required: true },
  ],
  parse: (raw, c) => {
    const form = check(
      {
        person: optional(64),
        system: text(P('system'), 64),
        action: choice(['create', 'change'], P('action')),
        permissions: text(P('permissions')),
        reason: text(P('reason')),
      },
      raw,
    );
    form.person = knownPerson(c.directory, form.person || c.requester.id, P('person'));
    if (!c.directory.org.approvals.systems.some((s) => s.id === form.system)) throw refuse(P('pickSystem', { label: P('system') }));
    return form;
  },
  title: (f, d) => P('title', { person: name(d, f.person), system: systemName(d, f.system), action: P(f.action === 'create' ? 'create' : 'change') }),
  fields: (f, d) => [
    { label: P('user'), value: name(d, f.person) },
    { label: P('system'), value: systemName(d, f.system) },
    { label: P('action'), value: P(f.action === 'create' ? 'create' : 'change') },
    { label: P('permissions'), value: f.permissions! },
    { label: P('why'), value: f.reason! },
  ],
  chain: (_f, d) => d.org.approvals.chains.permission,
  subject: (f) => f.person,
};

const R = scoped('approvalForm.revocation');
/** Leaving, away, moving: the option is also the word the request's title says. */
const LEAVING = [R('resign'), R('leave'), R('transfer')] as [string, ...string[]];

const revocation: ApprovalKind = {
  type: 'revocation',
  label: t('approval.kind.revocation'),
  inputs: (directory, _requester, about) => [
    { name: 'person', label: R('person'), kind: 'select', required: true, options: everyone(directory, about) },
    { name: 'kind', label: R('kind'), kind: 'select', required: true, options: LEAVING.map((k) => ({ label: k, value: k })) },
    { name: 'date', label: R('date'), kind: 'input', required: true, placeholder: '2026-11-30' },
    { name: 'systems', label: R('systems'), kind: 'input', required: true, placeholder: R('systemsHint') },
  ],
  parse: (raw, c) => {
    const form = check({ person: text(R('person'), 64), kind: choice(LEAVING, R('kind')), date: text(R('date'), 20), systems: text(R('systems')) }, raw);
    knownPerson(c.directory, form.person!, R('person'));
    form.date = parseDay(form.date!, R('date'), c.calendar.timeZone);
    return form;
  },
  title: (f, d) => R('title', { person: name(d, f.person), kind: f.kind! }),
  fields: (f, d) => [
    { label: R('who'), value: `${name(d, f.person)}（${d.departmentName(d.person(f.person!)?.department) ?? ''}）` },
    { label: R('kind'), value: f.kind! },
    { label: R('date'), value: f.date! },
    { label: R('accounts'), value: f.systems! },
  ],
  chain: (_f, d) => d.org.approvals.chains.revocation,
  subject: (f) => f.person,
};

const X = scoped('approvalForm.dataExport');

const dataExport: ApprovalKind = {
  type: 'data_export',
  label: t('approval.kind.data_export'),
  inputs: () => [
    { name: 'scope', label: X('scope'), kind: 'textarea', required: true, placeholder: X('scopeHint') },
    { name: 'purpose', label: X('purpose'), kind: 'textarea', required: true },
    {
      name: 'masking',
      label: X('masking'),
      kind: 'select',
      required: true,
      options: [
        { label: X('maskedOption'), value: 'yes' },
        { label: X('unmaskedOption'), value: 'no' },
      ],
    },
    { name: 'recipient', label: X('recipient'), kind: 'input', required: true },
  ],
  parse: (raw) =>
    check(
      { scope: text(X('scope'), 1000), purpose: text(X('purpose'), 1000), masking: choice(['yes', 'no'], X('masking')), recipient: text(X('recipient'), 100) },
      raw,
    ),
  title: (f) => X('title', { scope: f.scope!.slice(0, 30) }),
  fields: (f) => [
    { label: X('scope'), value: f.scope! },
    { label: X('purpose'), value: f.purpose! },
    { label: X('masking'), value: X(f.masking === 'yes' ? 'masked' : 'unmasked') },
    { label: X('recipient'), value: f.recipient! },
  ],
  chain: (_f, d) => d.org.approvals.chains.data_export,
};

const A = scoped('approvalForm.asset');

const assetRequisition: ApprovalKind = {
  type: 'asset_requisition',
  label: t('approval.kind.asset_requisition'),
  inputs: () => [
    { name: 'item', label: A('item'), kind: 'input', required: true, placeholder: A('itemHint') },
    { name: 'quantity', label: A('quantity'), kind: 'input', required: true, placeholder: '1' },
    { name: 'reason', label: A('reason'), kind: 'textarea', required: true },
  ],
  parse: (raw) => {
    const form = check({ item: text(A('item'), 100), quantity: text(A('quantity'), 10), reason: text(A('reason')) }, raw);
    if (!/^[1-9]\d{0,3}$/.test(form.quantity!.normalize('NFKC'))) throw refuse(A('quantityRange', { label: A('quantity') }));
    return form;
  },
  title: (f) => A('title', { item: f.item!, quantity: f.quantity! }),
  fields: (f) => [
    { label: A('item'), value: f.item! },
    { label: A('quantity'), value: f.quantity! },
    { label: A('reason'), value: f.reason! },
  ],
  chain: (_f, d) => d.org.approvals.chains.asset_requisition,
};

const V = scoped('approvalForm.leave');

const leave: ApprovalKind = {
  type: 'leave',
  label: t('approval.kind.leave'),
  inputs: (directory, requester) => [
    { name: 'start', label: V('start'), kind: 'input', required: true, placeholder: '2026-12-01' },
    { name: 'end', label: V('end'), kind: 'input', required: true, placeholder: '2026-12-03' },
    { name: 'reason', label: V('reason'), kind: 'textarea', required: true },
    { name: 'covered', label: V('covered'), kind: 'select', required: true, options: colleagues(directory, requester) },
  ],
  parse: (raw, c) => {
    const form = check({ start: text(V('start'), 20), end: text(V('end'), 20), reason: text(V('reason')), covered: text(V('covered'), 64) }, raw);
    knownPerson(c.directory, form.covered!, V('covered'));
    if (form.covered === c.requester.id) throw refuse(t('approvalForm.error.otherColleague', { label: V('covered') }));
    const tz = c.calendar.timeZone;
    form.start = parseDay(form.start!, V('start'), tz);
    form.end = parseDay(form.end!, V('end'), tz);
    const start = parseLocal(form.start, V('start'), tz);
    const end = parseLocal(form.end, V('end'), tz);
    if (end < start) throw refuse(V('endNotBeforeStart', { end: V('end'), start: V('start') }));
    let workdays = 0;
    for (let d = start; d <= end; d = new Date(d.getTime() + 24 * 60 * 60 * 1000)) if (c.calendar.isWorkday(d)) workdays++;
    const max = c.directory.org.approvals.leaveMaxWorkdays;
    if (workdays > max) throw refuse(V('tooLong', { max, workdays }));
    form.workdays = String(workdays);
    return form;
  },
  title: (f, d) => V('title', { start: f.start!, end: f.end!, covered: name(d, f.covered) }),
  fields: (f, d) => [
    { label: V('time'), value: V('timeValue', { start: f.start!, end: f.end!, workdays: f.workdays ?? '?' }) },
    { label: V('reason'), value: f.reason! },
    { label: V('covered'), value: name(d, f.covered) },
  ],
  chain: (_f, d) => d.org.approvals.chains.leave,
};

const S = scoped('approvalForm.swap');

const dutySwap: ApprovalKind = {
  type: 'duty_swap',
  label: t('approval.kind.duty_swap'),
  // Only the people on the IT duty roster have shifts to swap.
  onlyFor: { who: t('approval.swap.who'), may: (person, directory) => directory.isItStaff(person) },
  inputs: (directory, requester) => [
    { name: 'colleague', label: S('colleague'), kind: 'select', required: true, options: itStaff(directory).filter((o) => o.value !== requester.id) },
    { name: 'mine', label: S('mine'), kind: 'input', required: true, placeholder: '2026-12-05' },
    { name: 'theirs', label: S('theirs'), kind: 'input', required: true, placeholder: '2026-12-06' },
    { name: 'reason', label: S('reason'), kind: 'textarea', required: true },
  ],
  parse: (raw, c) => {
    const form = check({ colleague: text(S('colleague'), 64), mine: text(S('mine'), 20), theirs: text(S('theirs'), 20), reason: text(S('reason')) }, raw);
    knownPerson(c.directory, form.colleague!, S('colleague'));
    if (form.colleague === c.requester.id) throw refuse(t('approvalForm.error.otherColleague', { label: S('colleague') }));
    form.mine = parseDay(form.mine!, S('mine'), c.calendar.timeZone);
    form.theirs = parseDay(form.theirs!, S('theirs'), c.calendar.timeZone);
    return form;
  },
  title: (f, d) => S('title', { colleague: name(d, f.colleague), mine: f.mine!, theirs: f.theirs! }),
  fields: (f, d) => [
    { label: S('colleagueField'), value: name(d, f.colleague) },
    { label: S('mineField'), value: f.mine! },
    { label: S('theirsField'), value: f.theirs! },
    { label: S('reason'), value: f.reason! },
  ],
  chain: (_f, d) => d.org.approvals.chains.duty_swap,
};

export const KINDS: Record<ApprovalType, ApprovalKind> = {
  permission,
  revocation,
  change,
  data_export: dataExport,
  asset_requisition: assetRequisition,
  ...assetKinds,
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
  调拨: 'asset_transfer',
  资产调拨: 'asset_transfer',
  报废: 'asset_scrap',
  资产报废: 'asset_scrap',
  离岗: 'leave',
  请假: 'leave',
  换班: 'duty_swap',
};
