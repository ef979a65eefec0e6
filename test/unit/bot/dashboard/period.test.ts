import { describe, expect, it } from 'vitest';
import { dashboardView, viewQuery } from '../../../../bot/dashboard/period.js';
import { sampleDirectory } from '../../../helpers/db.js';

const ctx = { directory: sampleDirectory(), timeZone: 'Asia/Shanghai', now: new Date('2026-11-20T02:00:00Z') };

describe('the period and filters of a dashboard URL', () => {
  it('shows this month by default, both days included, as instants in the hospital’s zone', () => {
    const view = dashboardView({}, ctx);
    expect(view).toMatchObject({ ok: true, view: { fromDay: '2026-11-01', toDay: '2026-11-30' } });
    if (!view.ok) return;
    expect(view.view.from.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(view.view.to.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    // December's last day runs into the next year.
    const december = dashboardView({}, { ...ctx, now: new Date('2026-12-15T02:00:00Z') });
    expect(december).toMatchObject({ ok: true, view: { fromDay: '2026-12-01', toDay: '2026-12-31' } });
  });

  it('takes a period with one end to that end’s month, and names the department and system', () => {
    expect(dashboardView({ from: '2026-10-10' }, ctx)).toMatchObject({ ok: true, view: { fromDay: '2026-10-10', toDay: '2026-10-31' } });
    expect(dashboardView({ to: '2026-09-15' }, ctx)).toMatchObject({ ok: true, view: { fromDay: '2026-09-01', toDay: '2026-09-15' } });
    const view = dashboardView({ from: '2026-10-01', to: '2026-12-31', department: '放射科', system: 'pacs' }, ctx);
    expect(view).toMatchObject({ ok: true, view: { department: { id: 'radiology', name: '放射科' }, system: 'PACS' } });
    if (view.ok) expect(viewQuery(view.view)).toBe('from=2026-10-01&to=2026-12-31&department=radiology&system=PACS');
  });

  it('says what is wrong with a bad URL', () => {
    expect(dashboardView({ from: '2026-11-31' }, ctx)).toEqual({ ok: false, problem: 'badDate' });
    expect(dashboardView({ from: 'yesterday' }, ctx)).toEqual({ ok: false, problem: 'badDate' });
    expect(dashboardView({ from: '2026-11-30', to: '2026-11-01' }, ctx)).toEqual({ ok: false, problem: 'order' });
    expect(dashboardView({ from: '2025-01-01', to: '2026-11-01' }, ctx)).toEqual({ ok: false, problem: 'tooLong' });
    expect(dashboardView({ department: 'nowhere' }, ctx)).toEqual({ ok: false, problem: 'department' });
    expect(dashboardView({ system: 'x'.repeat(101) }, ctx)).toEqual({ ok: false, problem: 'system' });
    expect(dashboardView({ system: '不存在的系统' }, ctx)).toEqual({ ok: false, problem: 'system' });
  });
});
