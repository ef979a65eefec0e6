import { describe, expect, it } from 'vitest';
import { actionName, changeText } from '../../../../bot/dashboard/audit-page.js';
import { auditQuery } from '../../../../bot/dashboard/audit.js';
import { detailOf, stepsOf } from '../../../../bot/dashboard/incidents.js';
import type { TimelineEntry } from '../../../../bot/incidents/timeline.js';
import { sampleDirectory } from '../../../helpers/db.js';

const directory = sampleDirectory();
const TZ = 'Asia/Shanghai';
const entry = (e: Partial<TimelineEntry>): TimelineEntry => ({
  at: '2026-11-25T02:05:00.000Z',
  source: 'ticket',
  ticket: 'IT-20261125-0001',
  type: 'note',
  actor: null,
  data: {},
  ...e,
});

describe('an outage’s timeline in words', () => {
  it('says what each step carried: priorities, who was told, merges, ratings, closing reasons, texts', () => {
    const said = (e: Partial<TimelineEntry>) => detailOf(directory, entry(e));
    expect(said({ source: 'incident', type: 'open', data: { system: 'HIS', priority: 'P1', reports: 3 } })).toBe('HIS，P1，3 份报修');
    expect(said({ type: 'priority_changed', data: { from: 'P3', to: 'P1', reason: '全院挂号停摆' } })).toBe('P3 → P1；全院挂号停摆');
    expect(said({ source: 'incident', type: 'priority_changed', data: { priority: 'P1', reason: '扩大' } })).toBe('→ P1；扩大');
    expect(said({ type: 'escalated', data: { what: 'response', level: 2, to: 'leadership' } })).toBe('响应超时，第 2 级；通知 信息化领导小组');
    expect(said({ type: 'paged', data: { to: ['luo-xin', 'han-mei'] } })).toBe('通知 罗欣、韩梅');
    expect(said({ type: 'merged', data: { into: 'IT-20261125-0002' } })).toBe('并入 IT-20261125-0002');
    expect(said({ type: 'closed', data: { reason: 'duplicate', of: 'IT-20261125-0002' } })).toBe('已关闭（重复，见 IT-20261125-0002）');
    expect(said({ type: 'confirmed', data: { rating: 5, comment: '很快' } })).toBe('评分 5；很快');
    expect(said({ type: 'joined_incident', data: { incident: 'INC-20261125-01' } })).toBe('');
    expect(said({ type: 'note', data: null })).toBe('');
  });

  it('names the step, its time in the hospital’s zone and its actor, and folds the same step of several reports into one line', () => {
    const luo = { id: 'luo-xin', name: '罗欣' };
    const steps = stepsOf(
      directory,
      [
        entry({ source: 'incident', ticket: null, type: 'progress', actor: luo, data: { text: '扩容中' } }),
        entry({ type: 'progress', actor: luo, data: { text: '扩容中', incident: 'INC-20261125-01' } }),
        entry({ ticket: 'IT-20261125-0002', type: 'progress', actor: luo, data: { text: '扩容中', incident: 'INC-20261125-01' } }),
        entry({ ticket: 'IT-20261125-0003', type: 'progress', actor: luo, data: { text: '另一条' } }),
        entry({ at: '2026-11-25T02:06:00.000Z', type: 'unheard_of', data: {} }),
      ],
      TZ,
    );
    expect(steps).toEqual([
      { at: '11-25 10:05', type: 'incident.progress', what: '通报进展', actor: '罗欣', tickets: [], detail: '扩容中' },
      { at: '11-25 10:05', type: 'ticket.progress', what: '进展', actor: '罗欣', tickets: ['IT-20261125-0001', 'IT-20261125-0002'], detail: '扩容中' },
      { at: '11-25 10:05', type: 'ticket.progress', what: '进展', actor: '罗欣', tickets: ['IT-20261125-0003'], detail: '另一条' },
      { at: '11-25 10:06', type: 'ticket.unheard_of', what: 'unheard_of', actor: null, tickets: ['IT-20261125-0001'], detail: '' },
    ]);
  });
});

describe('the audit view', () => {
  it('names actions in Chinese where it can, and shows what changed with times in the hospital’s zone', () => {
    expect(actionName('ticket.created')).toBe('报修');
    expect(actionName('incident.resolve')).toBe('故障解决');
    expect(actionName('audit.read')).toBe('查阅审计日志');
    expect(actionName('something.new')).toBe('something.new');
    expect(changeText({ status: 'open', note: 'x' }, { status: 'claimed', note: 'x', claimedAt: '2026-11-25T02:05:01.073Z' }, TZ)).toBe(
      '状态：待认领 → 处理中；认领时间：2026-11-25 10:05:01',
    );
    expect(changeText({ solution: null }, { solution: '更换硒鼓', costly: 1 }, TZ)).toBe('解决方案：空 → 更换硒鼓；costly：1');
    expect(changeText(null, { to: ['han-mei'] }, TZ)).toBe('通知：["han-mei"]');
    expect(changeText(null, null, TZ)).toBe('');
  });

  it('reads the form: blanks ignored, an actor by name, bad fields named', () => {
    expect(auditQuery({ entity: '', actor: '罗欣', from: '2026-11-01', to: '' }, directory)).toEqual({
      ok: true,
      query: { entity: undefined, id: undefined, actor: '罗欣', actorId: 'luo-xin', fromDay: '2026-11-01', toDay: undefined, cursor: undefined, limit: 50 },
    });
    expect(auditQuery({ actor: 'audit office' }, directory)).toMatchObject({ ok: true, query: { actorId: 'audit office' } });
    expect(auditQuery({ entity: 'Ticket' }, directory)).toEqual({ ok: false, problem: 'entity' });
    expect(auditQuery({ from: '2026-02-30' }, directory)).toEqual({ ok: false, problem: 'date' });
    expect(auditQuery({ from: '2026-11-02', to: '2026-11-01' }, directory)).toEqual({ ok: false, problem: 'order' });
    expect(auditQuery({ cursor: '0' }, directory)).toEqual({ ok: false, problem: 'cursor' });
    expect(auditQuery({ limit: '201' }, directory)).toEqual({ ok: false, problem: 'limit' });
  });
});
