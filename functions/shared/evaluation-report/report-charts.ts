/**
 * The report's two inline SVG charts, drawn as plain markup (no script, no external asset): the
 * districts' ratios as bars against the target line, and the city's ratio month by month over the
 * campaign. Every bar, line and point carries its figures in data attributes, so a test in a real
 * browser can hold the drawing to the numbers.
 */
import type { DistrictFigure } from '#domain/evaluation.ts';
import { escapeHtml } from './html-text.ts';
import { percent, type TrendPoint } from './report-input.ts';

/** A round step for the axis: 1, 2, 2.5 or 5 times a power of ten, at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 0.001;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const multiple of [1, 2, 2.5, 5, 10]) if (multiple * power >= raw - 1e-15) return multiple * power;
  return 10 * power;
}

/** The axis's top and step: room above the highest of the values and the reference lines. */
export function axisOf(values: readonly number[]): { max: number; step: number } {
  const highest = Math.max(...values, 0);
  const step = niceStep((highest * 1.08) / 4);
  return { max: Math.max(step, Math.ceil((highest * 1.08) / step - 1e-9) * step), step };
}

const round = (value: number) => Math.round(value * 100) / 100;

interface Plot {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

function yOf(plot: Plot, max: number, ratio: number): number {
  const inner = plot.height - plot.top - plot.bottom;
  return round(plot.top + inner * (1 - ratio / max));
}

function gridLines(plot: Plot, axis: { max: number; step: number }): string {
  const lines: string[] = [];
  const decimals = axis.step * 100 >= 0.1 ? 1 : 2;
  for (let tick = 0; tick <= axis.max + 1e-12; tick += axis.step) {
    const y = yOf(plot, axis.max, tick);
    lines.push(
      `<line class="grid" x1="${plot.left}" x2="${plot.width - plot.right}" y1="${y}" y2="${y}"/>`,
      `<text class="tick" x="${plot.left - 4}" y="${y + 3}" text-anchor="end">${(tick * 100).toFixed(decimals)}%</text>`,
    );
  }
  return lines.join('');
}

/**
 * A horizontal line across the plot at `ratio`, labelled at the left end (the bars are drawn lowest
 * first, so that end is clear): above the line, or below it when another line lies just above.
 */
function referenceLine(
  plot: Plot,
  max: number,
  reference: { ratio: number; className: string; label: string; labelBelow?: boolean },
): string {
  const y = yOf(plot, max, reference.ratio);
  const labelY = reference.labelBelow === true ? y + 9 : y - 3;
  return (
    `<line class="${reference.className}" data-ratio="${reference.ratio}" x1="${plot.left}" x2="${plot.width - plot.right}" y1="${y}" y2="${y}"/>` +
    `<text class="${reference.className}-label" x="${plot.left + 3}" y="${labelY}">${escapeHtml(reference.label)}</text>`
  );
}

export interface BarChartInput {
  /** In the order drawn, left to right. */
  readonly districts: readonly DistrictFigure[];
  readonly targetRatio: number;
  readonly benchmark?: { readonly month: string; readonly value: number } | undefined;
}

const BAR_PLOT: Plot = { width: 720, height: 240, left: 38, right: 6, top: 10, bottom: 62 };

/**
 * Bars of the districts' ratios (red at or above the target), the value over each, the name under it
 * written top to bottom; the target as a dashed line, the benchmark as a dotted one. A district
 * without a ratio keeps its place, marked 无数据.
 */
export function barChartSvg(input: BarChartInput): string {
  const plot = BAR_PLOT;
  const ratios = input.districts.flatMap((d) => (d.ratio === null ? [] : [d.ratio]));
  const axis = axisOf([...ratios, input.targetRatio, ...(input.benchmark ? [input.benchmark.value] : [])]);
  const slot = Math.min(60, (plot.width - plot.left - plot.right) / Math.max(1, input.districts.length));
  const baseline = yOf(plot, axis.max, 0);
  const bars = input.districts.map((d, index) => {
    const x = plot.left + index * slot;
    const middle = round(x + slot / 2);
    const name = `<text class="bar-name" x="${middle}" y="${baseline + 5}">${escapeHtml(d.name)}</text>`;
    if (d.ratio === null) {
      return `<g class="bar-missing" data-district="${escapeHtml(d.district)}"><text class="bar-value" x="${middle}" y="${baseline - 3}" text-anchor="middle">无数据</text>${name}</g>`;
    }
    const top = yOf(plot, axis.max, d.ratio);
    const over = d.aboveTarget === true ? ' over' : '';
    return (
      `<g class="bar${over}" data-district="${escapeHtml(d.district)}" data-name="${escapeHtml(d.name)}" data-ratio="${d.ratio}">` +
      `<rect x="${round(x + slot * 0.16)}" y="${top}" width="${round(slot * 0.68)}" height="${round(baseline - top)}"><title>${escapeHtml(d.name)} ${percent(d.ratio)}</title></rect>` +
      `<text class="bar-value" x="${middle}" y="${top - 3}" text-anchor="middle">${(d.ratio * 100).toFixed(2)}</text>${name}</g>`
    );
  });
  const benchmark = input.benchmark;
  const references = [
    referenceLine(plot, axis.max, {
      ratio: input.targetRatio,
      className: 'target-line',
      label: `目标 ${percent(input.targetRatio)}`,
      labelBelow: benchmark !== undefined && benchmark.value > input.targetRatio,
    }),
    benchmark
      ? referenceLine(plot, axis.max, {
          ratio: benchmark.value,
          className: 'benchmark-line',
          label: `对标 ${percent(benchmark.value)}（${benchmark.month}）`,
          labelBelow: benchmark.value <= input.targetRatio,
        })
      : '',
  ];
  return (
    `<svg class="bar-chart" viewBox="0 0 ${plot.width} ${plot.height}" role="img" aria-label="各区县占比" data-baseline="${baseline}" data-axis-max="${axis.max}">` +
    `${gridLines(plot, axis)}${bars.join('')}${references.join('')}` +
    `<line class="axis" x1="${plot.left}" x2="${plot.width - plot.right}" y1="${baseline}" y2="${baseline}"/></svg>`
  );
}

const TREND_PLOT: Plot = { width: 360, height: 150, left: 38, right: 8, top: 10, bottom: 22 };

/** `2023-03` → `23-03`, short enough for fifteen months under a half-page chart. */
const shortMonth = (month: string) => month.slice(2);

/**
 * The city's ratio month by month: a line through the months evaluated (broken where one is missing),
 * a point per month with its figure, the target as a dashed line. Months still ahead stay on the axis.
 */
export function trendChartSvg(points: readonly TrendPoint[], targetRatio: number): string {
  const plot = TREND_PLOT;
  const known = points.flatMap((p) => (p.ratio === null ? [] : [p.ratio]));
  const axis = axisOf([...known, targetRatio]);
  const inner = plot.width - plot.left - plot.right;
  const xOf = (index: number) => round(plot.left + (inner * (index + 0.5)) / Math.max(1, points.length));
  const segments: string[][] = [[]];
  const marks: string[] = [];
  // about eight month labels, whatever the campaign's length
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  points.forEach((point, index) => {
    const x = xOf(index);
    if (index % labelEvery === 0) {
      marks.push(
        `<text class="tick" x="${x}" y="${plot.height - 8}" text-anchor="middle">${shortMonth(point.month)}</text>`,
      );
    }
    if (point.ratio === null) {
      segments.push([]);
      return;
    }
    const y = yOf(plot, axis.max, point.ratio);
    segments[segments.length - 1]?.push(`${x},${y}`);
    marks.push(
      `<circle class="trend-point" data-month="${point.month}" data-ratio="${point.ratio}" cx="${x}" cy="${y}" r="2.6"><title>${point.month} ${percent(point.ratio)}</title></circle>`,
    );
  });
  const lines = segments
    .filter((segment) => segment.length > 1)
    .map((segment) => `<polyline class="trend-line" points="${segment.join(' ')}"/>`);
  const last = [...points].reverse().find((p) => p.ratio !== null);
  const lastLabel =
    last?.ratio == null
      ? ''
      : `<text class="trend-value" x="${xOf(points.indexOf(last)) + 5}" y="${yOf(plot, axis.max, last.ratio) + 3}">${percent(last.ratio)}</text>`;
  return (
    `<svg class="trend-chart" viewBox="0 0 ${plot.width} ${plot.height}" role="img" aria-label="全市占比走势">` +
    `${gridLines(plot, axis)}${referenceLine(plot, axis.max, { ratio: targetRatio, className: 'target-line', label: `目标 ${percent(targetRatio)}` })}` +
    `${lines.join('')}${marks.join('')}${lastLabel}</svg>`
  );
}
