import { describe, expect, it } from 'vitest';
import { renderCard } from '../../../../adapters/feishu/render.js';
import { AdjustableClock } from '../../../../bot/clock.js';
import { mask } from '../../../../bot/digest/mask.js';
import { DigestService } from '../../../../bot/digest/service.js';
import { sampleDirectory } from '../../../helpers/db.js';

describe('digest', () => {
  it('masks ID-card numbers, mobile numbers and patient names', () => {
    expect(mask('患者王小明 身份证 110101199003071234 电话 13812345678 分机 8123')).toBe('患者王* 身份证 110101********1234 电话 138****5678 分机 8123');
    expect(mask('病人李四的检验报告')).toBe('病人李*的检验报告');
  });

  it('covers yesterday, the last seven days, and last month, in the hospital’s zone', () => {
    const clock = new AdjustableClock(new Date('2026-12-01T08:17:00+08:00'));
    const digest = new DigestService({ tx: {} as never, directory: sampleDirectory(), clock, timeZone: 'Asia/Shanghai' }, {} as never);
    const iso = (p: { from: Date; to: Date }) => [p.from.toISOString(), p.to.toISOString()];
    expect(iso(digest.period('daily'))).toEqual(['2026-11-29T16:00:00.000Z', '2026-11-30T16:00:00.000Z']);
    expect(iso(digest.period('weekly'))).toEqual(['2026-11-23T16:00:00.000Z', '2026-11-30T16:00:00.000Z']);
    expect(iso(digest.period('monthly'))).toEqual(['2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z']);
  });

  it('draws the week as Feishu’s native chart element', () => {
    const card = renderCard({
      title: '信息科日报',
      color: 'blue',
      fields: [],
      buttons: [],
      chart: { title: '近 7 天', categories: ['11-22', '11-23'], series: [{ name: '报修量', kind: 'bar', values: [1, 3] }] },
    }) as any;
    const chart = card.body.elements.find((e: any) => e.tag === 'chart');
    expect(chart.chart_spec.data[0].values).toEqual([
      { x: '11-22', y: 1, series: '报修量' },
      { x: '11-23', y: 3, series: '报修量' },
    ]);
    expect(chart.chart_spec.series[0]).toMatchObject({ type: 'bar', xField: 'x', yField: 'y' });
  });
});
