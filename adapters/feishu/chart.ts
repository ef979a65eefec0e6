import type { CardChart } from '../../bot/chat/model.js';
import { valueAxes, type ValueAxis } from '../shared/chart.js';

type Element = Record<string, unknown>;

/** A value axis of the VChart spec: the series bound to it, titled by their names and unit. */
function axis(chart: CardChart, orient: 'left' | 'right', { series, unit }: ValueAxis): Element {
  const names = series.map((i) => chart.series[i]!.name).join('、');
  return {
    orient,
    type: 'linear',
    seriesIndex: series,
    min: 0,
    ...(unit === '%' ? { max: 100 } : {}),
    title: { visible: true, text: unit ? `${names}（${unit}）` : names },
    // The second axis draws no grid of its own: one set of lines, the left axis's.
    ...(orient === 'right' ? { grid: { visible: false } } : {}),
  };
}

/**
 * Feishu's chart component (card JSON 2.0) with a VChart `common` spec: bars and lines over the
 * same categories, counts against the left axis and a series in another unit (a percentage)
 * against the right one, so that neither flattens the other. A null value is a gap.
 */
export function chartElement(chart: CardChart): Element {
  const { left, right } = valueAxes(chart);
  return {
    tag: 'chart',
    aspect_ratio: '16:9',
    chart_spec: {
      type: 'common',
      title: { text: chart.title },
      data: chart.series.map((s, i) => ({
        id: `s${i}`,
        values: chart.categories.flatMap((c, j) => (s.values[j] === null || s.values[j] === undefined ? [] : [{ x: c, y: s.values[j], series: s.name }])),
      })),
      series: chart.series.map((s, i) => ({ type: s.kind, dataIndex: i, xField: 'x', yField: 'y', seriesField: 'series' })),
      axes: [{ orient: 'bottom', type: 'band' }, axis(chart, 'left', left), ...(right ? [axis(chart, 'right', right)] : [])],
      legends: { visible: true, orient: 'bottom' },
    },
  };
}
