/**
 * The report's table, one definition for the CSV and the XLSX: the city row first, then the districts in
 * ranking order, under Chinese headers (docs/files.md, The evaluation report). Each cell keeps its kind,
 * so the CSV writes a ratio as `0.9312%` and the XLSX as a number shown as a percentage.
 */
import type { EvaluationFlows, EvaluationSnapshot } from '#domain/evaluation.ts';
import { aboveTargetText, percentagePoints, rowsInRankOrder } from './report-input.ts';

/** One line of the table: the city or a district. */
export interface ReportRow {
  readonly name: string;
  /** The district code; empty for the city. */
  readonly code: string;
  readonly numerator: number;
  readonly denominator: number | null;
  readonly denominatorMonth: string | null;
  readonly ratio: number | null;
  readonly rank: number | null;
  readonly flows: EvaluationFlows;
  readonly previousRatio: number | null;
  readonly ratioChange: number | null;
  readonly aboveTarget: boolean | null;
}

/** How a cell is written: text (neutralised), a whole number, a ratio, or percentage points. */
export type CellKind = 'text' | 'integer' | 'ratio' | 'points';

export interface ReportColumn {
  readonly header: string;
  readonly kind: CellKind;
  /** Width in characters in the XLSX. */
  readonly width: number;
  readonly value: (row: ReportRow) => string | number | null;
}

export const REPORT_COLUMNS: readonly ReportColumn[] = [
  { header: '区县', kind: 'text', width: 14, value: (row) => row.name },
  { header: '代码', kind: 'text', width: 9, value: (row) => row.code },
  { header: '列入企业数', kind: 'integer', width: 11, value: (row) => row.numerator },
  { header: '法人企业数', kind: 'integer', width: 11, value: (row) => row.denominator },
  { header: '企业数所属月份', kind: 'text', width: 14, value: (row) => row.denominatorMonth },
  { header: '比例', kind: 'ratio', width: 9, value: (row) => row.ratio },
  { header: '排名', kind: 'integer', width: 6, value: (row) => row.rank },
  { header: '本月新增', kind: 'integer', width: 9, value: (row) => row.flows.newlyListed },
  { header: '本月退出', kind: 'integer', width: 9, value: (row) => row.flows.exited },
  { header: '迁入', kind: 'integer', width: 6, value: (row) => row.flows.movedIn },
  { header: '迁出', kind: 'integer', width: 6, value: (row) => row.flows.movedOut },
  { header: '净变化', kind: 'integer', width: 8, value: (row) => row.flows.net },
  { header: '上月比例', kind: 'ratio', width: 9, value: (row) => row.previousRatio },
  {
    header: '环比（百分点）',
    kind: 'points',
    width: 14,
    value: (row) => (row.ratioChange === null ? null : percentagePoints(row.ratioChange)),
  },
  { header: '是否高于目标', kind: 'text', width: 12, value: (row) => aboveTargetText(row.aboveTarget) },
];

/** The city row (全市), then each district of the snapshot in ranking order. */
export function reportRows(snapshot: EvaluationSnapshot): ReportRow[] {
  const { city } = snapshot;
  const cityRow: ReportRow = {
    name: '全市',
    code: '',
    numerator: city.numerator,
    denominator: city.denominator,
    denominatorMonth: snapshot.inputs.countsMonth,
    ratio: city.ratio,
    rank: null,
    flows: city.flows,
    previousRatio: city.monthOnMonth.previousRatio,
    ratioChange: city.monthOnMonth.ratioChange,
    aboveTarget: city.aboveTarget,
  };
  const districtRows = rowsInRankOrder(snapshot.districts).map(
    (d): ReportRow => ({
      name: d.name,
      code: d.district,
      numerator: d.numerator,
      denominator: d.denominator,
      denominatorMonth: d.denominatorMonth,
      ratio: d.ratio,
      rank: d.rank,
      flows: d.flows,
      previousRatio: d.change.previousRatio,
      ratioChange: d.change.ratioChange,
      aboveTarget: d.aboveTarget,
    }),
  );
  return [cityRow, ...districtRows];
}
