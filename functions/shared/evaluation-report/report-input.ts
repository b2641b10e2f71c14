/**
 * What every rendering of a month's evaluation report reads (CSV, XLSX, HTML), and the small pieces of
 * formatting they share so the three agree to the digit: percentages, percentage-point changes, the
 * rows in ranking order, the campaign's months for the trend, and what a district office may see.
 */
import { COUNTER } from '#domain/counting.ts';
import type { Campaign, DistrictFigure, EvaluationSnapshot } from '#domain/evaluation.ts';
import { monthRange } from '#domain/evaluation-figures.ts';

/** The city's ratio at the end of an earlier month; null where it was not evaluated or had no ratio. */
export interface TrendPoint {
  readonly month: string;
  readonly ratio: number | null;
}

export interface ReportInput {
  readonly snapshot: EvaluationSnapshot;
  /** The campaign as configured now: its phases lay out the trend's months. */
  readonly campaign: Campaign;
  /** The city's ratio over the campaign's months up to the snapshot's (other months are ignored). */
  readonly trend: readonly TrendPoint[];
  /** Set for a district office's rendering: the city figure and this district's row only. */
  readonly district?: string;
}

/** `0.009312` → `0.93%` (digits as asked). */
export function percent(ratio: number, digits = 2): string {
  return `${(ratio * 100).toFixed(digits)}%`;
}

/** A ratio change in percentage points, rounded for reading and for the files: `-0.0512`. */
export function percentagePoints(change: number): number {
  return Math.round(change * 100 * 10_000) / 10_000;
}

/**
 * `-0.012 个百分点`, `+0.120 个百分点`, `持平`: three decimals, since a month moves a ratio near 1% by
 * hundredths of a point.
 */
export function changeText(change: number | null): string {
  if (change === null) return '—';
  const shown = percentagePoints(change).toFixed(3);
  if (Number(shown) === 0) return '持平';
  return `${change > 0 ? '+' : ''}${shown} 个百分点`;
}

/** `是` when at or above the target, `否` below it, `—` without a ratio. */
export function aboveTargetText(aboveTarget: boolean | null): string {
  if (aboveTarget === null) return '—';
  return aboveTarget ? '是' : '否';
}

/** Ranked districts by rank (then report order), then the districts without a ratio in report order. */
export function rowsInRankOrder(districts: readonly DistrictFigure[]): DistrictFigure[] {
  const order = new Map(districts.map((d, index) => [d.district, index]));
  const position = (d: DistrictFigure) => order.get(d.district) ?? 0;
  return [...districts].sort((a, b) => {
    if (a.rank === null || b.rank === null) {
      if (a.rank !== b.rank) return a.rank === null ? 1 : -1;
      return position(a) - position(b);
    }
    return a.rank - b.rank || position(a) - position(b);
  });
}

/**
 * A district office's view of a snapshot: the city figure, its own row and its own drift lines; nobody
 * else's row, and no names of the best and worst (they would tell other districts' standing).
 */
export function snapshotForDistrict(snapshot: EvaluationSnapshot, district: string): EvaluationSnapshot {
  return {
    ...snapshot,
    districts: snapshot.districts.filter((d) => d.district === district),
    ranking: { best: [], worst: [] },
    drift: snapshot.drift.filter((line) => line.district === district),
  };
}

/** The input as a district office may read it: the snapshot filtered when `district` is set. */
export function visibleSnapshot(input: ReportInput): EvaluationSnapshot {
  return input.district === undefined ? input.snapshot : snapshotForDistrict(input.snapshot, input.district);
}

/**
 * The months the trend spans: the campaign's first phase to its last, stretched to the evaluated month
 * when that lies outside (a month after the campaign is still shown against it).
 */
export function campaignMonths(campaign: Campaign, month: string): string[] {
  const starts = campaign.phases.map((phase) => phase.from.slice(0, 7)).sort();
  const ends = campaign.phases.map((phase) => phase.to.slice(0, 7)).sort();
  const first = [starts[0] ?? month, month].sort()[0] as string;
  const last = [ends[ends.length - 1] ?? month, month].sort()[1] as string;
  return monthRange(first, last);
}

/**
 * The trend's points over the campaign's months: the given ratios up to the evaluated month, the
 * snapshot's own figure for its month (the freshest), nothing after it.
 */
export function trendPoints(input: ReportInput): TrendPoint[] {
  const { snapshot } = input;
  const known = new Map(input.trend.map((point) => [point.month, point.ratio]));
  known.set(snapshot.month, snapshot.city.ratio);
  return campaignMonths(input.campaign, snapshot.month).map((month) => ({
    month,
    ratio: month <= snapshot.month ? (known.get(month) ?? null) : null,
  }));
}

/** The phases of the campaign the month falls in (`组织实施`, `中期评估督导`), by their dates. */
export function phasesOf(campaign: Campaign, month: string): string[] {
  return campaign.phases
    .filter((phase) => phase.from.slice(0, 7) <= month && month <= phase.to.slice(0, 7))
    .map((phase) => phase.label);
}

/** `评价报告-2023-03` (the district's name appended for a district office's rendering). */
export function reportBaseName(month: string, districtName?: string): string {
  return districtName === undefined ? `评价报告-${month}` : `评价报告-${month}-${districtName}`;
}

/** The counter's name as a person reads it: `listed_91` → `列入主体数（代码 91 开头）`. */
export function counterLabel(attribute: string): string {
  if (attribute === COUNTER.listedSubjects) return '列入主体数';
  const prefix = /^listed_(\w+)$/.exec(attribute)?.[1];
  return prefix === undefined ? attribute : `列入主体数（代码 ${prefix} 开头）`;
}
