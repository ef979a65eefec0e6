import type { CardChart } from '../../bot/chat/model.js';

type Element = Record<string, unknown>;

/** Feishu's chart component (card JSON 2.0) with a VChart spec: bars and lines over the same categories. */
export function chartElement(chart: CardChart): Element {
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
      axes: [
        { orient: 'bottom', type: 'band' },
        { orient: 'left', type: 'linear' },
      ],
      legends: { visible: true, orient: 'bottom' },
    },
  };
}
