import { describe, expect, it } from 'vitest';
import { chartElement } from '../../../../adapters/feishu/chart.js';
import { renderCard } from '../../../../adapters/feishu/render.js';
import { valueAxes } from '../../../../adapters/shared/chart.js';
import type { CardChart } from '../../../../bot/chat/model.js';
import { cardProblems } from '../../../helpers/feishu-card-schema.js';

/** The digest's week: a handful of reports a day beside a percentage. */
const week: CardChart = {
  title: '近 7 天报修量与响应达标率',
  categories: ['11-24', '11-25', '11-26'],
  series: [
    { name: '报修量', kind: 'bar', values: [3, 7, 2] },
    { name: '响应达标率', kind: 'line', values: [100, null, 50], unit: '%' },
  ],
};

describe('the chart in a Feishu card (VChart spec of the chart component)', () => {
  it('draws counts against the left axis and percentages against the right, so the bars do not flatten', () => {
    const spec = chartElement(week).chart_spec as any;
    const left = spec.axes.find((a: any) => a.orient === 'left');
    const right = spec.axes.find((a: any) => a.orient === 'right');
    expect(spec.series.map((s: any) => s.type)).toEqual(['bar', 'line']);
    expect(left).toMatchObject({ type: 'linear', seriesIndex: [0], min: 0, title: { visible: true, text: '报修量' } });
    expect(left).not.toHaveProperty('max');
    expect(right).toMatchObject({ type: 'linear', seriesIndex: [1], min: 0, max: 100, title: { visible: true, text: '响应达标率（%）' } });
    expect(spec.axes.find((a: any) => a.orient === 'bottom')).toMatchObject({ type: 'band' });
    // A day without tickets has no rate: a gap in the line, not a zero.
    expect(spec.data[1].values).toEqual([
      { x: '11-24', y: 100, series: '响应达标率' },
      { x: '11-26', y: 50, series: '响应达标率' },
    ]);
  });

  it('keeps one value axis when every series is in one unit', () => {
    const counts: CardChart = { ...week, series: [week.series[0]!, { name: '已解决', kind: 'bar', values: [1, 2, 3] }] };
    expect(valueAxes(counts)).toEqual({ left: { series: [0, 1], unit: undefined } });
    const spec = chartElement(counts).chart_spec as any;
    expect(spec.axes.map((a: any) => a.orient)).toEqual(['bottom', 'left']);
  });

  it('is a chart Feishu takes: documented properties, every axis bound to a series that exists', () => {
    const card = renderCard({ title: '信息科日报', color: 'blue', fields: [], buttons: [], chart: week });
    expect(cardProblems(card)).toEqual([]);
    const broken = JSON.parse(JSON.stringify(card));
    broken.body.elements[0].chart_spec.axes[1].seriesIndex = [5];
    expect(cardProblems(broken)).toMatchObject([{ errCode: 200550 }]);
  });
});
