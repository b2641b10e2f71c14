/**
 * A month's evaluation with known figures for the report tests: the 24 reporting units, each with an
 * enterprise count and a chosen ratio, ranked by the evaluation's own ranking, the city summed from
 * them, milestones as the default campaign judges them in 2023-03, and the city's trend before.
 */
import { DISTRICTS } from '#domain/district.ts';
import {
  DEFAULT_CAMPAIGN,
  type DistrictFigure,
  type EvaluationFlows,
  type EvaluationSnapshot,
} from '#domain/evaluation.ts';
import { rankDistricts } from '#domain/evaluation-figures.ts';
import type { ReportInput, TrendPoint } from '#shared/evaluation-report/report-input.ts';

/** Ratios in per ten thousand, one per reporting unit in report order: some above 1%, most below. */
const PER_TEN_THOUSAND = [
  142, 118, 96, 64, 101, 88, 73, 92, 110, 67, 81, 95, 58, 77, 104, 86, 90, 71, 99, 63, 84, 79, 55, 120,
];

function flows(newlyListed: number, exited: number): EvaluationFlows {
  return { newlyListed, exited, movedIn: 0, movedOut: 0, net: newlyListed - exited };
}

export interface FixtureOptions {
  /** Replaces the report name of the first unit (长安区): to test escaping and neutralisation. */
  readonly firstName?: string;
  readonly stale?: EvaluationSnapshot['stale'];
  readonly drift?: EvaluationSnapshot['drift'];
}

/** The snapshot of 2023-03. */
export function fixtureSnapshot(options: FixtureOptions = {}): EvaluationSnapshot {
  const month = '2023-03';
  const target = DEFAULT_CAMPAIGN.targetRatio;
  const partial = DISTRICTS.map((unit, index) => {
    const denominator = 20_000 + index * 1_500;
    const numerator = Math.round((denominator * (PER_TEN_THOUSAND[index] ?? 80)) / 10_000);
    const previousNumerator = numerator + (index % 4);
    return {
      unit,
      numerator,
      denominator,
      ratio: numerator / denominator,
      previousNumerator,
      ratioChange: numerator / denominator - previousNumerator / denominator,
    };
  });
  const ranks = rankDistricts(
    partial.map((p) => ({ district: p.unit.code, ratio: p.ratio, ratioChange: p.ratioChange })),
  );
  const districts: DistrictFigure[] = partial.map((p, index) => ({
    district: p.unit.code,
    name: index === 0 && options.firstName !== undefined ? options.firstName : p.unit.name,
    kind: p.unit.kind,
    numerator: p.numerator,
    denominator: p.denominator,
    denominatorMonth: index === 5 ? '2023-02' : month,
    ratio: p.ratio,
    flows: flows(2 + (index % 3), 2 + (index % 3) + (index % 4)),
    byListType: { 'court-debtor': p.numerator },
    byTriageList: { exit: p.numerator },
    rank: ranks.get(p.unit.code) ?? null,
    aboveTarget: p.ratio >= target,
    change: {
      previousMonth: '2023-02',
      previousNumerator: p.previousNumerator,
      previousRatio: p.previousNumerator / p.denominator,
      ratioChange: p.ratioChange,
      numeratorChange: p.numerator - p.previousNumerator,
    },
  }));
  const numerator = districts.reduce((sum, d) => sum + d.numerator, 0);
  const denominator = districts.reduce((sum, d) => sum + (d.denominator ?? 0), 0);
  const previousNumerator = districts.reduce((sum, d) => sum + d.change.previousNumerator, 0);
  const ratio = numerator / denominator;
  const byRank = [...ranks.entries()].sort((a, b) => a[1] - b[1]).map(([code]) => code);
  return {
    month,
    computedAt: '2023-03-31T18:00:00.000Z',
    inputs: {
      countsMonths: Object.fromEntries(districts.map((d) => [d.district, d.denominatorMonth ?? month])),
      countsMonth: '2023-02',
      ruleTableVersion: '2022-10-31',
      campaignVersion: 1,
      flowsThrough: '2023-04',
    },
    campaign: {
      version: 1,
      name: DEFAULT_CAMPAIGN.name,
      targetRatio: target,
      scopePrefixes: ['91'],
    },
    city: {
      numerator,
      denominator,
      ratio,
      flows: districts.reduce(
        (sum, d) => flows(sum.newlyListed + d.flows.newlyListed, sum.exited + d.flows.exited),
        flows(0, 0),
      ),
      monthOnMonth: {
        previousMonth: '2023-02',
        previousNumerator,
        previousRatio: previousNumerator / denominator,
        ratioChange: ratio - previousNumerator / denominator,
        numeratorChange: numerator - previousNumerator,
      },
      missingDenominators: [],
      aboveTarget: ratio >= target,
    },
    districts,
    unassigned: 7,
    ranking: { best: byRank.slice(0, 3), worst: byRank.slice(-3).reverse() },
    milestones: [
      {
        id: 'below-target',
        label: '全市严重失信企业占比降至1%以下',
        due: '2023-03-31',
        met: ratio < target,
        detail: `2023-03 全市占比 ${(ratio * 100).toFixed(3)}%，目标 1.000%`,
      },
      {
        id: 'below-benchmark',
        label: '全市占比低于省会及副省级城市平均水平',
        due: '2023-06-30',
        met: null,
        detail: '未到期（2023-06-30）',
      },
      {
        id: 'lower-again',
        label: '年底占比较6月底进一步下降',
        due: '2023-12-31',
        met: null,
        detail: '未到期（2023-12-31）',
      },
    ],
    benchmark: { month: '2023-03', value: 0.0095 },
    drift: options.drift ?? [],
    ...(options.stale === undefined ? {} : { stale: options.stale }),
  };
}

/** The city's ratio in the months before 2023-03 (2022-12 not evaluated). */
export const FIXTURE_TREND: readonly TrendPoint[] = [
  { month: '2022-10', ratio: 0.0131 },
  { month: '2022-11', ratio: 0.0124 },
  { month: '2023-01', ratio: 0.0109 },
  { month: '2023-02', ratio: 0.0101 },
];

export function fixtureInput(options: FixtureOptions = {}): ReportInput {
  return { snapshot: fixtureSnapshot(options), campaign: DEFAULT_CAMPAIGN, trend: FIXTURE_TREND };
}
