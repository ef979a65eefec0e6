import { z } from 'zod';
import { BotError } from '../errors.js';
import { scoped, t } from '../i18n/zh.js';
import { localDateTime } from '../time.js';
import { affectedDepartments, check, choice, type ApprovalKind, itStaff, name, optional, parseLocal, refuse, text } from './form.js';
import { describeWindows, insideChangeWindows } from './windows.js';

const L = scoped('approvalForm.change');

/** A change request (变更申请): its plan, risk and rollback, a window inside the change windows unless urgent, its implementer. */
export const change: ApprovalKind = {
  type: 'change',
  label: t('approval.kind.change'),
  inputs: (directory) => [
    { name: 'title', label: L('title'), kind: 'input', required: true },
    { name: 'reason', label: L('reason'), kind: 'textarea', required: true },
    { name: 'content', label: L('content'), kind: 'textarea', required: true },
    { name: 'risk', label: L('risk'), kind: 'textarea', required: true },
    { name: 'plan', label: L('plan'), kind: 'textarea', required: true },
    { name: 'rollback', label: L('rollback'), kind: 'textarea', required: true },
    { name: 'test', label: L('test'), kind: 'textarea', required: true },
    { name: 'systems', label: L('systems'), kind: 'input', required: true },
    { name: 'departments', label: L('departmentsInput'), kind: 'input', placeholder: L('departmentsHint') },
    { name: 'start', label: L('start'), kind: 'input', required: true, placeholder: '2026-11-28 22:00' },
    { name: 'end', label: L('end'), kind: 'input', required: true, placeholder: '2026-11-29 02:00' },
    {
      name: 'level',
      label: L('level'),
      kind: 'select',
      required: true,
      options: [
        { label: L('normal'), value: 'normal' },
        { label: L('major'), value: 'major' },
      ],
    },
    {
      name: 'emergency',
      label: L('emergency'),
      kind: 'select',
      options: [
        { label: L('no'), value: 'no' },
        { label: L('yes'), value: 'yes' },
      ],
    },
    { name: 'implementer', label: L('implementer'), kind: 'select', required: true, options: itStaff(directory) },
  ],
  parse: (raw, c) => {
    const form = check(
      {
        title: text(L('title'), 100),
        reason: text(L('reason')),
        content: text(L('content'), 2000),
        risk: text(L('risk'), 2000),
        plan: text(L('plan'), 2000),
        rollback: text(L('rollback'), 2000),
        test: text(L('test'), 2000),
        systems: text(L('systems')),
        departments: optional(),
        start: text(L('start'), 20),
        end: text(L('end'), 20),
        level: choice(['normal', 'major'], L('level')),
        emergency: z.preprocess((v) => (v === '' || v === undefined ? 'no' : v), z.enum(['no', 'yes'])),
        implementer: text(L('implementer'), 64),
      },
      raw,
    );
    const person = c.directory.person(form.implementer!);
    if (!person || !c.directory.isItStaff(person)) throw refuse(L('implementerNotIt', { label: L('implementer') }));
    const start = parseLocal(form.start!, L('start'), c.calendar.timeZone);
    const end = parseLocal(form.end!, L('end'), c.calendar.timeZone);
    if (end <= start) throw refuse(L('endAfterStart', { end: L('end'), start: L('start') }));
    if (start <= c.now) throw refuse(L('inFuture'));
    const windows = c.directory.org.approvals.changeWindows;
    if (form.emergency !== 'yes' && !insideChangeWindows(start, end, windows, c.calendar)) {
      throw new BotError('outside_change_window', { windows: describeWindows(windows) });
    }
    const { unknown } = affectedDepartments(form.departments!, c.directory);
    if (unknown.length > 0) throw refuse(L('unknownDepartments', { names: unknown.join('、') }));
    return form;
  },
  title: (f) =>
    L('heading', {
      level: L(f.level === 'major' ? 'headingMajor' : 'headingNormal'),
      emergency: f.emergency === 'yes' ? L('headingEmergency') : '',
      title: f.title!,
    }),
  fields: (f, d, tz) => [
    { label: L('level'), value: `${L(f.level === 'major' ? 'major' : 'normal')}${f.emergency === 'yes' ? L('emergencySuffix') : ''}` },
    { label: L('window'), value: `${localDateTime(parseLocal(f.start!, '', tz), tz)} – ${localDateTime(parseLocal(f.end!, '', tz), tz)}` },
    { label: L('systems'), value: f.systems! },
    { label: L('departments'), value: f.departments || '—' },
    { label: L('implementer'), value: name(d, f.implementer) },
    { label: L('reason'), value: f.reason! },
    { label: L('content'), value: f.content! },
    { label: L('risk'), value: f.risk! },
    { label: L('plan'), value: f.plan! },
    { label: L('rollback'), value: f.rollback! },
    { label: L('test'), value: f.test! },
  ],
  chain: (f, d) => {
    const chains = d.org.approvals.chains;
    const base = f.level === 'major' ? chains.change_major : chains.change_normal;
    if (f.emergency !== 'yes') return base;
    const hasDirector = base.some((s) => typeof s.approver === 'object' && 'role' in s.approver && s.approver.role === 'it_director');
    return hasDirector ? base : [...base, ...chains.change_emergency];
  },
};
