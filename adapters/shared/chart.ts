import type { CardChart } from '../../bot/chat/model.js';

/** A chart's numbers as lines, for channels that cannot draw it. */
export function chartLines(chart: CardChart): string {
  return [
    chart.title,
    ...chart.categories.map(
      (c, i) =>
        `${c}：${chart.series.map((s) => `${s.name} ${s.values[i] === null || s.values[i] === undefined ? '—' : `${s.values[i]}${s.unit ?? ''}`}`).join('，')}`,
    ),
  ].join('\n');
}
