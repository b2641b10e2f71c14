/**
 * What the monthly evaluation reads and over which months (docs/rules.md, Monthly evaluation): the
 * months a month's figures depend on, so the store reads the flows, enterprise counts and benchmarks of
 * those months and no others. Pure.
 */
import { addMonths } from './calendar-dates.ts';
import type { Campaign, DriftLine } from './evaluation.ts';

/** Per district: counter or flow attribute → value. */
export type Counts = ReadonlyMap<string, Readonly<Record<string, number>>>;

/**
 * How far back the latest enterprise count is looked for: a district that loaded none for two years has
 * no denominator rather than a stale one.
 */
export const COUNTS_LOOKBACK_MONTHS = 24;

/** Everything the evaluation of `month` reads. */
export interface EvaluationData {
  readonly month: string;
  readonly computedAt: string;
  /** The month of `computedAt` (Asia/Shanghai): the flows are read through it. */
  readonly currentMonth: string;
  readonly campaign: Campaign;
  readonly ruleTableVersion: string;
  /** The current counters (`STAT#CURRENT`), summed over shards. */
  readonly current: Counts;
  /** The flows of each month of {@link flowMonths}. */
  readonly flows: ReadonlyMap<string, Counts>;
  /** Enterprise counts per month, district → count, over {@link countsMonths}. */
  readonly enterpriseCounts: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Benchmark ratios per month, over {@link countsMonths}. */
  readonly benchmarks: ReadonlyMap<string, number>;
  readonly drift: readonly DriftLine[];
}

/** `yyyy-mm` shifted by `months`. */
export function shiftMonth(month: string, months: number): string {
  return addMonths(`${month}-01`, months).slice(0, 7);
}

/** The months from `from` to `to`, both included (none when `from` is later). */
export function monthRange(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from; month <= to; month = shiftMonth(month, 1)) months.push(month);
  return months;
}

/**
 * The months whose figures the evaluation of `month` needs: the month, the one before (month on
 * month), and every milestone month already due with its reference month.
 */
export function judgedMonths(month: string, campaign: Campaign): string[] {
  const months = new Set([month, shiftMonth(month, -1)]);
  for (const milestone of campaign.milestones) {
    const due = milestone.due.slice(0, 7);
    if (due > month) continue;
    months.add(due);
    if (milestone.rule.kind === 'below-month') months.add(milestone.rule.reference);
  }
  return [...months].sort();
}

/** The months whose flows the evaluation reads: after the earliest judged month, through `currentMonth`. */
export function flowMonths(month: string, campaign: Campaign, currentMonth: string): string[] {
  const earliest = judgedMonths(month, campaign)[0] ?? month;
  return monthRange(shiftMonth(earliest, 1), currentMonth);
}

/** The months whose enterprise counts and benchmarks may serve a judged month. */
export function countsMonths(month: string, campaign: Campaign): string[] {
  const earliest = judgedMonths(month, campaign)[0] ?? month;
  return monthRange(shiftMonth(earliest, -COUNTS_LOOKBACK_MONTHS), month);
}

/** Why a month cannot be evaluated yet, or undefined when it can: only a month that has ended. */
export function unevaluableMonth(month: string, currentMonth: string): string | undefined {
  return month >= currentMonth ? `${month} 尚未结束，不能评估（当前为 ${currentMonth}）` : undefined;
}
