/**
 * ECharts as the city pages use it: only the bar and line series, the 1% mark line, the grid, tooltip
 * and legend, drawn by the SVG renderer. SVG rather than canvas so that each bar is an element of the
 * page (a test can count them), the chart prints sharp on A4, and the chunk stays small.
 */

import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import { BarChart, LineChart } from 'echarts/charts';
import type {
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { type ComposeOption, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { formatPercent } from '../../format.ts';

use([BarChart, LineChart, MarkLineComponent, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
>;

/**
 * The value axis of a ratio: from 0 to the larger of the highest value and 1.5 × the target, so the
 * target line stays in view and a month of zeros is not drawn against 100%.
 */
export function ratioAxis(target: number): ChartOption['yAxis'] {
  return {
    type: 'value',
    min: 0,
    max: (extent: { max: number }) => Math.max(extent.max * 1.1, target * 1.5),
    axisLabel: { formatter: (value: number) => formatPercent(value, 1) },
  };
}

/** A4 portrait at 12 mm margins leaves about 186 mm: the chart's width while printing. */
const PRINT_WIDTH_PX = 680;

/**
 * A chart in `element`, resized with the window and narrowed to the printed page while printing.
 * Answers the function that disposes of it.
 */
export function mountChart(
  element: HTMLElement,
  option: ChartOption,
): { update(next: ChartOption): void; dispose(): void } {
  const chart = init(element, undefined, { renderer: 'svg', locale: 'ZH' });
  chart.setOption(option);
  const fit = (): void => chart.resize();
  const narrow = (): void => chart.resize({ width: PRINT_WIDTH_PX });
  const print = window.matchMedia('print');
  const onPrintChange = (event: MediaQueryListEvent): void => (event.matches ? narrow() : fit());
  window.addEventListener('resize', fit);
  window.addEventListener('beforeprint', narrow);
  window.addEventListener('afterprint', fit);
  print.addEventListener('change', onPrintChange);
  return {
    update: (next) => chart.setOption(next, { notMerge: true }),
    dispose: () => {
      window.removeEventListener('resize', fit);
      window.removeEventListener('beforeprint', narrow);
      window.removeEventListener('afterprint', fit);
      print.removeEventListener('change', onPrintChange);
      chart.dispose();
    },
  };
}
