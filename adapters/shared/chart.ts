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

/** The series drawn against one value axis, and the unit they share. */
export interface ValueAxis {
  series: number[];
  unit: string | undefined;
}

/**
 * Which series share a value axis: those in the first series' unit on the left, those in another
 * unit (a percentage beside counts) on the right, so neither flattens the other.
 */
export function valueAxes(chart: CardChart): { left: ValueAxis; right?: ValueAxis } {
  const first = chart.series[0]?.unit;
  const left: ValueAxis = { series: [], unit: first };
  const right: ValueAxis = { series: [], unit: undefined };
  chart.series.forEach((s, i) => {
    if (s.unit === first) left.series.push(i);
    else {
      right.series.push(i);
      right.unit ??= s.unit;
    }
  });
  return right.series.length > 0 ? { left, right } : { left };
}
