/**
 * The evaluation as the API answers it (functions/api/routes/evaluations.ts): the stored snapshot's
 * shape, with the number of runs; a district office's answer holds its own row only.
 */
import type { EvaluationSnapshot } from '../../../../functions/domain/evaluation.ts';
import { api } from '../../api.ts';

export type { DistrictFigure, MilestoneResult } from '../../../../functions/domain/evaluation.ts';

export type Evaluation = EvaluationSnapshot & { readonly runs: number };

export interface EvaluatedMonth {
  readonly month: string;
  readonly computedAt: string;
  readonly ratio: number | null;
  readonly runs: number;
}

export function readMonths(): Promise<EvaluatedMonth[]> {
  return api<{ months: EvaluatedMonth[] }>('/evaluations').then((answer) => answer.months);
}

export function readEvaluation(month: string): Promise<Evaluation> {
  return api<Evaluation>(`/evaluations/${month}`);
}

/** One month of a trend line. */
export interface TrendPoint {
  readonly month: string;
  readonly ratio: number | null;
}

/** How many months the trend shows. */
export const TREND_MONTHS = 12;

/** The trend's months: the last TREND_MONTHS evaluated up to `month` (the list is newest first), oldest first. */
export function trendMonths(months: readonly EvaluatedMonth[], month: string): EvaluatedMonth[] {
  return months
    .filter((entry) => entry.month <= month)
    .slice(0, TREND_MONTHS)
    .reverse();
}

/** The attribute names of a drift line, as the clerk reads them. */
export const DRIFT_LABELS: Readonly<Record<string, string>> = {
  listedSubjects: '在册主体数',
  activeListings: '有效名单数',
};

export function driftLabel(attribute: string): string {
  const prefix = /^listed_(\w{2})$/.exec(attribute)?.[1];
  if (prefix !== undefined) return `在册主体数（代码前缀 ${prefix}）`;
  return DRIFT_LABELS[attribute] ?? attribute;
}
