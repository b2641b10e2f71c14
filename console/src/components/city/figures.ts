/** The headline figures of an evaluation, as the figure cards show them. */
import { formatCount, formatMonth, formatPercent } from '../../format.ts';
import type { DistrictFigure, Evaluation } from './evaluation.ts';

export interface Figure {
  readonly label: string;
  readonly value: string;
  readonly note?: string;
  /** Red when the figure is not where the campaign wants it. */
  readonly bad?: boolean;
  /** The `data-test` hook of its card. */
  readonly test?: string;
}

/** A change of a ratio in percentage points: −0.12 个百分点. */
export function formatPoints(change: number | null | undefined): string {
  if (change === null || change === undefined) return '—';
  const points = change * 100;
  return `${points > 0 ? '+' : ''}${points.toFixed(2)} 个百分点`;
}

function ratioNote(numerator: number, denominator: number | null): string {
  return `${formatCount(numerator)} 家 / ${formatCount(denominator)} 家法人企业`;
}

export function cityFigures(evaluation: Evaluation): Figure[] {
  const { city, campaign, benchmark } = evaluation;
  const flows = city.flows;
  return [
    {
      label: '全市严重失信企业占比',
      value: formatPercent(city.ratio),
      note: ratioNote(city.numerator, city.denominator),
      bad: city.aboveTarget === true,
      test: 'city-ratio',
    },
    {
      label: '目标',
      value: `低于 ${formatPercent(campaign.targetRatio, 0)}`,
      note: city.aboveTarget === null ? '尚无法判断' : city.aboveTarget ? '尚未达到' : '已达到',
      bad: city.aboveTarget === true,
    },
    {
      label: '省会及副省级城市平均',
      value: benchmark === undefined ? '未录入' : formatPercent(benchmark.value),
      note:
        benchmark === undefined
          ? '请在“专项设置”中录入'
          : `${formatMonth(benchmark.month)}${city.ratio !== null && city.ratio < benchmark.value ? '，全市低于平均' : '，全市未低于平均'}`,
      bad: benchmark !== undefined && city.ratio !== null && city.ratio >= benchmark.value,
    },
    {
      label: `较${formatMonth(city.monthOnMonth.previousMonth)}`,
      value: formatPoints(city.monthOnMonth.ratioChange),
      note: `失信企业 ${city.monthOnMonth.numeratorChange > 0 ? '+' : ''}${formatCount(city.monthOnMonth.numeratorChange)} 家`,
      bad: (city.monthOnMonth.ratioChange ?? 0) > 0,
    },
    {
      label: '本月增减',
      value: `净 ${flows.net > 0 ? '+' : ''}${formatCount(flows.net)}`,
      note: `新增 ${formatCount(flows.newlyListed)}，退出 ${formatCount(flows.exited)}，迁入 ${formatCount(flows.movedIn)}，迁出 ${formatCount(flows.movedOut)}`,
    },
  ];
}

export function districtFigures(row: DistrictFigure, total: number, target: number): Figure[] {
  return [
    {
      label: `${row.name}严重失信企业占比`,
      value: formatPercent(row.ratio),
      note: ratioNote(row.numerator, row.denominator),
      bad: row.aboveTarget === true,
      test: 'district-ratio',
    },
    {
      label: '全市排名',
      value: row.rank === null ? '—' : `第 ${row.rank} 名`,
      note: `共 ${total} 个县（市、区）和园区，占比越低排名越前`,
      test: 'district-rank',
    },
    {
      label: '目标',
      value: `低于 ${formatPercent(target, 0)}`,
      note: row.aboveTarget === null ? '尚无法判断' : row.aboveTarget ? '尚未达到' : '已达到',
      bad: row.aboveTarget === true,
    },
    {
      label: `较${formatMonth(row.change.previousMonth)}`,
      value: formatPoints(row.change.ratioChange),
      note: `新增 ${formatCount(row.flows.newlyListed)}，退出 ${formatCount(row.flows.exited)}，迁入 ${formatCount(row.flows.movedIn)}，迁出 ${formatCount(row.flows.movedOut)}`,
      bad: (row.change.ratioChange ?? 0) > 0,
    },
  ];
}
