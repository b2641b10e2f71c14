/**
 * The evaluation of one month as one use case, shared by the evaluate function (schedule, `npm run
 * evaluate`) and `POST /evaluations/{month}`: read the campaign and the data, compute the snapshot
 * (pure, evaluation-figures.ts), check the counters for drift, store it, hand it to the reports.
 */

import { COUNTER } from '#domain/counting.ts';
import type { DriftLine, EvaluationSnapshot } from '#domain/evaluation.ts';
import { evaluateMonth, staleReason, unevaluableMonth } from '#domain/evaluation-figures.ts';
import { shanghaiMonth } from '#domain/model.ts';
import { DEFAULT_RULE_TABLE } from '#domain/rule-table.ts';
import type { ChangedBy } from '#domain/trail.ts';
import type { Logger } from '#shared/logger.ts';
import { readCampaign } from './campaign-store.ts';
import { compareCounts, readCurrentCounters, recountListedSubjects } from './counter-store.ts';
import {
  readEvaluation,
  readEvaluationData,
  type StoredEvaluation,
  saveEvaluation,
} from './evaluation-store.ts';
import type { StoreDeps } from './subject-store.ts';

export interface EvaluationRunDeps {
  readonly store: StoreDeps;
  readonly logger: Logger;
  /** Writes the month's reports from the stored snapshot; absent while no report writer is wired. */
  readonly writeReports?: (snapshot: EvaluationSnapshot) => Promise<void>;
  /**
   * Run the drift check (default true). It scans the listed-subject index, so its cost follows the
   * listed subjects while the figures' cost does not; the bench times the two apart.
   */
  readonly drift?: boolean;
}

/** A month that has not ended yet (or is in the future). */
export class MonthNotEndedError extends Error {
  constructor(
    readonly month: string,
    readonly detail: string,
  ) {
    super(`month ${month} has not ended`);
    this.name = 'MonthNotEndedError';
  }
}

/**
 * Listed subjects per district: the counters against a recount from the sparse listed-subjects index.
 * A difference seen once is checked again, since a write between the two reads (an import under way)
 * shows as a passing difference; what differs both times is drift.
 */
export async function checkDrift(store: StoreDeps, scopePrefixes: readonly string[]): Promise<DriftLine[]> {
  const attributes = [
    COUNTER.listedSubjects,
    ...scopePrefixes.map((prefix) => COUNTER.listedByPrefix(prefix)),
  ];
  const once = async () => {
    const [stored, recount] = await Promise.all([readCurrentCounters(store), recountListedSubjects(store)]);
    return compareCounts(stored, recount, attributes);
  };
  const first = await once();
  if (first.length === 0) return first;
  const second = await once();
  const key = (line: DriftLine) => `${line.district}\u0000${line.attribute}`;
  const again = new Set(first.map(key));
  return second.filter((line) => again.has(key(line)));
}

async function computeSnapshot(
  store: StoreDeps,
  month: string,
  withDrift: boolean,
): Promise<EvaluationSnapshot> {
  const now = store.clock.now();
  const currentMonth = shanghaiMonth(now);
  const refusal = unevaluableMonth(month, currentMonth);
  if (refusal !== undefined) throw new MonthNotEndedError(month, refusal);
  const { campaign, ruleTable } = await readCampaign(store);
  const [data, drift] = await Promise.all([
    readEvaluationData(store, {
      month,
      currentMonth,
      computedAt: now.toISOString(),
      campaign,
      ruleTableVersion: (ruleTable ?? DEFAULT_RULE_TABLE).version,
    }),
    withDrift ? checkDrift(store, campaign.scopePrefixes) : Promise.resolve([]),
  ]);
  return evaluateMonth({ ...data, drift });
}

/** Evaluates `month` now, stores the snapshot (a rerun keeps the previous figures in its history). */
export async function runEvaluation(
  deps: EvaluationRunDeps,
  month: string,
  changedBy: ChangedBy,
): Promise<StoredEvaluation> {
  const snapshot = await computeSnapshot(deps.store, month, deps.drift ?? true);
  for (const line of snapshot.drift) deps.logger.warn('counter drift', { month, ...line });
  const stored = await saveEvaluation(deps.store, snapshot, changedBy);
  deps.logger.info('month evaluated', {
    month,
    ratio: snapshot.city.ratio,
    numerator: snapshot.city.numerator,
    denominator: snapshot.city.denominator,
    drift: snapshot.drift.length,
    runs: stored.runs,
  });
  await deps.writeReports?.(stored.snapshot);
  return stored;
}

/**
 * A stored evaluation with `stale` set when the data it was computed from has changed since: the
 * figures are computed again from the current data (without the drift scan) and compared. Sound by
 * construction: stale exactly when a rerun would give other figures, whatever the change was (a late
 * exit placed in the month or before, late enterprise counts, a new benchmark).
 */
export async function readEvaluationWithStaleness(
  store: StoreDeps,
  month: string,
): Promise<StoredEvaluation | undefined> {
  const stored = await readEvaluation(store, month);
  if (stored === undefined) return undefined;
  const fresh = await computeSnapshot(store, month, false);
  const reason = staleReason(stored.snapshot, fresh);
  if (reason === undefined) return stored;
  return {
    ...stored,
    snapshot: { ...stored.snapshot, stale: { since: stored.snapshot.computedAt, reason } },
  };
}
