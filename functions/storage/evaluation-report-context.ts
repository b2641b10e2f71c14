/**
 * What a month's report reads beside its snapshot: the current campaign (its phases lay out the trend)
 * and the city ratio of every month evaluated, from the list of evaluated months (one query, however
 * many months).
 */
import type { EvaluationSnapshot } from '#domain/evaluation.ts';
import type { ReportContext } from '#shared/evaluation-report/report-files.ts';
import { readCampaign } from './campaign-store.ts';
import { listEvaluations } from './evaluation-store.ts';
import type { StoreDeps } from './subject-store.ts';

/** The campaign and the city's ratios of the months evaluated up to the snapshot's month. */
export async function readReportContext(
  store: Pick<StoreDeps, 'client' | 'tableName'>,
  snapshot: Pick<EvaluationSnapshot, 'month'>,
): Promise<ReportContext> {
  const [{ campaign }, months] = await Promise.all([readCampaign(store), listEvaluations(store)]);
  const trend = months
    .filter((evaluated) => evaluated.month <= snapshot.month)
    .map((evaluated) => ({ month: evaluated.month, ratio: evaluated.ratio }))
    .reverse();
  return { campaign, trend };
}

/** `readReportContext` bound to a store: the second argument of `createReportWriter`. */
export function reportContextReader(store: Pick<StoreDeps, 'client' | 'tableName'>) {
  return (snapshot: EvaluationSnapshot) => readReportContext(store, snapshot);
}
