/**
 * The campaign's milestones judged against the city's figures (docs/rules.md, Monthly evaluation): below
 * the target, below the benchmark of the provincial capitals and sub-provincial cities, or below a
 * reference month. Pure.
 */
import type { CampaignMilestone, MilestoneResult } from './evaluation.ts';
import type { MonthFigures } from './evaluation-arithmetic.ts';
import { COUNTS_LOOKBACK_MONTHS, type EvaluationData, shiftMonth } from './evaluation-months.ts';

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(3)}%`;
}

/** The month's benchmark or the latest loaded before it within the look-back. */
export function benchmarkAt(benchmarks: ReadonlyMap<string, number>, month: string) {
  for (let back = 0; back <= COUNTS_LOOKBACK_MONTHS; back++) {
    const candidate = shiftMonth(month, -back);
    const value = benchmarks.get(candidate);
    if (value !== undefined) return { month: candidate, value };
  }
  return undefined;
}

export function judgeMilestone(
  milestone: CampaignMilestone,
  month: string,
  figures: MonthFigures,
  data: EvaluationData,
): MilestoneResult {
  const head = { id: milestone.id, label: milestone.label, due: milestone.due };
  const dueMonth = milestone.due.slice(0, 7);
  if (dueMonth > month) return { ...head, met: null, detail: `未到期（${milestone.due}）` };
  const city = figures.city(dueMonth);
  if (city.ratio === null) {
    return {
      ...head,
      met: null,
      detail: `${dueMonth} 缺少法人企业数（${city.missing.join('、')}），无法判断`,
    };
  }
  const ratio = city.ratio;
  switch (milestone.rule.kind) {
    case 'below-target': {
      const target = data.campaign.targetRatio;
      return {
        ...head,
        met: ratio < target,
        detail: `${dueMonth} 全市占比 ${percent(ratio)}，目标 ${percent(target)}`,
      };
    }
    case 'below-benchmark': {
      const benchmark = benchmarkAt(data.benchmarks, dueMonth);
      if (benchmark === undefined)
        return { ...head, met: null, detail: `${dueMonth} 尚无对标数据，无法判断` };
      return {
        ...head,
        met: ratio < benchmark.value,
        detail: `${dueMonth} 全市占比 ${percent(ratio)}，${benchmark.month} 省会及副省级城市平均 ${percent(benchmark.value)}`,
      };
    }
    case 'below-month': {
      const reference = figures.city(milestone.rule.reference);
      if (reference.ratio === null) {
        return { ...head, met: null, detail: `${milestone.rule.reference} 缺少法人企业数，无法判断` };
      }
      return {
        ...head,
        met: ratio < reference.ratio,
        detail: `${dueMonth} 全市占比 ${percent(ratio)}，${milestone.rule.reference} 为 ${percent(reference.ratio)}`,
      };
    }
  }
}
