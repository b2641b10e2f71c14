/**
 * The monthly evaluation (docs/rules.md, Monthly evaluation). Pure: the store reads the counters, the
 * monthly flows, the enterprise counts and the benchmarks, and this turns them into the snapshot. The
 * parts live beside it: the months read (evaluation-months.ts), the numerator/denominator arithmetic
 * (evaluation-arithmetic.ts), the ranking (evaluation-ranking.ts), the milestones
 * (evaluation-milestones.ts) and the stale comparison (evaluation-stale.ts); this module re-exports what
 * the store, handlers, bench, local runtime and tests import, so they keep one import path.
 */
import { DISTRICTS, type District } from './district.ts';
import type { CityFigure, DistrictFigure, EvaluationSnapshot, MonthOnMonth } from './evaluation.ts';
import {
  activeCounts,
  addFlows,
  change,
  type MonthFigure,
  MonthFigures,
  NO_FLOWS,
} from './evaluation-arithmetic.ts';
import { benchmarkAt, judgeMilestone } from './evaluation-milestones.ts';
import { type EvaluationData, shiftMonth } from './evaluation-months.ts';
import { named, rankDistricts } from './evaluation-ranking.ts';

export {
  COUNTS_LOOKBACK_MONTHS,
  type Counts,
  countsMonths,
  type EvaluationData,
  flowMonths,
  judgedMonths,
  monthRange,
  shiftMonth,
  unevaluableMonth,
} from './evaluation-months.ts';
export { rankDistricts } from './evaluation-ranking.ts';
export { dataFigures, staleReason } from './evaluation-stale.ts';

/** A reporting unit's figures at the end of the month and their change over it. */
interface DistrictRow {
  readonly unit: District;
  readonly now: MonthFigure;
  readonly change: MonthOnMonth;
}

function districtRows(figures: MonthFigures, month: string, previousMonth: string): DistrictRow[] {
  return DISTRICTS.map((unit) => {
    const now = figures.district(unit.code, month);
    const before = figures.district(unit.code, previousMonth);
    return { unit, now, change: change(previousMonth, now, before) };
  });
}

function districtFigures(
  rows: readonly DistrictRow[],
  ranks: ReadonlyMap<string, number>,
  figures: MonthFigures,
  data: EvaluationData,
): DistrictFigure[] {
  return rows.map(({ unit, now, change: c }) => ({
    district: unit.code,
    name: unit.name,
    kind: unit.kind,
    ...now,
    flows: figures.flows(unit.code, data.month),
    ...activeCounts(data.current.get(unit.code)),
    rank: ranks.get(unit.code) ?? null,
    aboveTarget: now.ratio === null ? null : now.ratio >= data.campaign.targetRatio,
    change: c,
  }));
}

function cityFigure(
  figures: MonthFigures,
  districts: readonly DistrictFigure[],
  data: EvaluationData,
  previousMonth: string,
): CityFigure {
  const cityNow = figures.city(data.month);
  const cityBefore = figures.city(previousMonth);
  return {
    numerator: cityNow.numerator,
    denominator: cityNow.denominator,
    ratio: cityNow.ratio,
    flows: districts.reduce((sum, d) => addFlows(sum, d.flows), NO_FLOWS),
    monthOnMonth: change(previousMonth, cityNow, cityBefore),
    missingDenominators: cityNow.missing,
    aboveTarget: cityNow.ratio === null ? null : cityNow.ratio >= data.campaign.targetRatio,
  };
}

function snapshotInputs(districts: readonly DistrictFigure[], data: EvaluationData) {
  const countsMonths = Object.fromEntries(
    districts.flatMap((d) => (d.denominatorMonth === null ? [] : [[d.district, d.denominatorMonth]])),
  );
  const usedMonths = Object.values(countsMonths).sort();
  return {
    countsMonths,
    countsMonth: usedMonths[0] ?? null,
    ruleTableVersion: data.ruleTableVersion,
    campaignVersion: data.campaign.version,
    flowsThrough: data.currentMonth,
  };
}

/** The snapshot of `data.month` from what the store read. */
export function evaluateMonth(data: EvaluationData): EvaluationSnapshot {
  const { month, campaign } = data;
  const previousMonth = shiftMonth(month, -1);
  const figures = new MonthFigures(data);
  const rows = districtRows(figures, month, previousMonth);
  const ranks = rankDistricts(
    rows.map(({ unit, now, change: c }) => ({
      district: unit.code,
      ratio: now.ratio,
      ratioChange: c.ratioChange,
    })),
  );
  const districts = districtFigures(rows, ranks, figures, data);
  return {
    month,
    computedAt: data.computedAt,
    inputs: snapshotInputs(districts, data),
    campaign: {
      version: campaign.version,
      name: campaign.name,
      targetRatio: campaign.targetRatio,
      scopePrefixes: campaign.scopePrefixes,
    },
    city: cityFigure(figures, districts, data, previousMonth),
    districts,
    unassigned: figures.unassigned(month),
    ranking: named(ranks, campaign.namedCount),
    milestones: campaign.milestones.map((m) => judgeMilestone(m, month, figures, data)),
    benchmark: benchmarkAt(data.benchmarks, month),
    drift: data.drift,
  };
}
