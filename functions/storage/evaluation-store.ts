/**
 * The evaluation's reads and its snapshot. Reads: the current counters, the monthly flows of the months
 * after the earliest judged month, the enterprise counts and benchmarks of the months that may serve as
 * denominators. Writes: `EVAL#<month>`/`CITY`, the snapshot with the previous runs' figures in
 * `history`, and a line under `EVALS` for the list of months evaluated; plus the city's enterprise
 * counts and benchmarks.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Campaign, EvaluationSnapshot } from '#domain/evaluation.ts';
import { type Counts, countsMonths, type EvaluationData, flowMonths } from '#domain/evaluation-figures.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { batchGetAll, prefixQuery, queryAll, transactWrite } from './batch.ts';
import { readCurrentCounters, readMonthlyFlows } from './counter-store.ts';
import { enterpriseCountPut } from './enterprise-count-store.ts';
import { isTransactionRace } from './errors.ts';
import { ITEM_TYPES, keys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Previous runs kept on the snapshot; older ones remain in the trail, which records every run. */
export const HISTORY_LIMIT = 20;

/** The figures of an earlier run of the same month, kept when a rerun replaces it. */
export interface EvaluationRun {
  readonly computedAt: string;
  readonly inputs: EvaluationSnapshot['inputs'];
  readonly city: { numerator: number; denominator: number; ratio: number | null };
  readonly districts: readonly {
    district: string;
    numerator: number;
    denominator: number | null;
    ratio: number | null;
    rank: number | null;
  }[];
}

export interface StoredEvaluation {
  readonly snapshot: EvaluationSnapshot;
  /** Earlier runs, newest first. */
  readonly history: readonly EvaluationRun[];
  readonly runs: number;
}

export interface EvaluatedMonth {
  readonly month: string;
  readonly computedAt: string;
  readonly ratio: number | null;
  readonly runs: number;
}

/** What the evaluation of `month` reads from the table, as of `computedAt`. */
export async function readEvaluationData(
  deps: Pick<StoreDeps, 'client' | 'tableName' | 'counterShards'>,
  request: {
    readonly month: string;
    readonly currentMonth: string;
    readonly computedAt: string;
    readonly campaign: Campaign;
    readonly ruleTableVersion: string;
  },
): Promise<Omit<EvaluationData, 'drift'>> {
  const { month, campaign, currentMonth } = request;
  const flowsOf = flowMonths(month, campaign, currentMonth);
  const countsOf = countsMonths(month, campaign);
  const [current, flows, enterpriseCounts, benchmarks] = await Promise.all([
    readCurrentCounters(deps),
    Promise.all(flowsOf.map(async (m) => [m, await readMonthlyFlows(deps, m)] as const)),
    readEnterpriseCounts(deps, countsOf),
    readBenchmarks(deps, countsOf),
  ]);
  return {
    ...request,
    current: current as Counts,
    flows: new Map<string, Counts>(flows),
    enterpriseCounts,
    benchmarks,
  };
}

/** Enterprise counts per month, district → count. */
export async function readEnterpriseCounts(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
  months: readonly string[],
): Promise<Map<string, Map<string, number>>> {
  const pages = await Promise.all(
    months.map(async (month) => {
      const items = await queryAll(
        deps.client,
        prefixQuery(deps.tableName, keys.enterpriseCountPrefix(month)),
      );
      return [
        month,
        new Map(items.map((item) => [String(item.district), Number(item.enterprises)])),
      ] as const;
    }),
  );
  return new Map(pages.filter(([, counts]) => counts.size > 0));
}

/** The benchmark ratio of each month that has one. */
export async function readBenchmarks(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
  months: readonly string[],
): Promise<Map<string, number>> {
  const items = await batchGetAll(
    deps.client,
    deps.tableName,
    months.map((month) => keys.benchmark(month)),
  );
  return new Map(items.map((item) => [String(item.month), Number(item.value)]));
}

/** The city's enterprise counts of a month, one item per district, written together. */
export async function putEnterpriseCounts(
  deps: Pick<StoreDeps, 'client' | 'tableName' | 'clock'>,
  month: string,
  counts: ReadonlyMap<string, number>,
  changedBy: ChangedBy,
): Promise<void> {
  const at = deps.clock.now().toISOString();
  const puts = [...counts].map(([district, enterprises]) =>
    enterpriseCountPut(deps, { month, district, enterprises }, changedBy, at),
  );
  await transactWrite(deps.client, puts);
}

/** The benchmark (average ratio of provincial capitals and sub-provincial cities) of a month. */
export async function putBenchmark(
  deps: Pick<StoreDeps, 'client' | 'tableName' | 'clock'>,
  month: string,
  value: number,
  changedBy: ChangedBy,
): Promise<void> {
  await deps.client.send(
    new PutCommand({
      TableName: deps.tableName,
      Item: {
        ...keys.benchmark(month),
        type: ITEM_TYPES.benchmark,
        month,
        value,
        updatedAt: deps.clock.now().toISOString(),
        changedBy,
      },
    }),
  );
}

export async function readEvaluation(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
  month: string,
): Promise<StoredEvaluation | undefined> {
  const result = await deps.client.send(
    new GetCommand({ TableName: deps.tableName, Key: keys.evaluationCity(month), ConsistentRead: true }),
  );
  const item = result.Item;
  if (item === undefined) return undefined;
  return {
    snapshot: item.snapshot as EvaluationSnapshot,
    history: (item.history ?? []) as EvaluationRun[],
    runs: Number(item.runs ?? 1),
  };
}

/** The months evaluated, newest first. */
export async function listEvaluations(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
): Promise<EvaluatedMonth[]> {
  const items = await queryAll(
    deps.client,
    prefixQuery(deps.tableName, keys.evaluationMonthPrefix(), { ScanIndexForward: false }),
  );
  return items.map((item) => ({
    month: String(item.month),
    computedAt: String(item.computedAt),
    ratio: typeof item.ratio === 'number' ? item.ratio : null,
    runs: Number(item.runs ?? 1),
  }));
}

function runOf(snapshot: EvaluationSnapshot): EvaluationRun {
  return {
    computedAt: snapshot.computedAt,
    inputs: snapshot.inputs,
    city: {
      numerator: snapshot.city.numerator,
      denominator: snapshot.city.denominator,
      ratio: snapshot.city.ratio,
    },
    districts: snapshot.districts.map((d) => ({
      district: d.district,
      numerator: d.numerator,
      denominator: d.denominator,
      ratio: d.ratio,
      rank: d.rank,
    })),
  };
}

const MAX_ATTEMPTS = 4;

/**
 * Stores the snapshot of its month, replacing an earlier run whose figures move to `history`; the
 * write is conditioned on the run read, so two runs at once both land, one after the other.
 */
export async function saveEvaluation(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
  snapshot: EvaluationSnapshot,
  changedBy: ChangedBy,
): Promise<StoredEvaluation> {
  for (let attempt = 0; ; attempt++) {
    const previous = await readEvaluation(deps, snapshot.month);
    const runs = (previous?.runs ?? 0) + 1;
    const history =
      previous === undefined ? [] : [runOf(previous.snapshot), ...previous.history].slice(0, HISTORY_LIMIT);
    const { stale: _stale, ...stored } = snapshot;
    const actions: TransactItem[] = [
      {
        Put: {
          TableName: deps.tableName,
          Item: {
            ...keys.evaluationCity(snapshot.month),
            type: ITEM_TYPES.evaluation,
            month: snapshot.month,
            computedAt: snapshot.computedAt,
            runs,
            snapshot: stored,
            history,
            changedBy,
          },
          ConditionExpression: previous === undefined ? 'attribute_not_exists(PK)' : 'runs = :runs',
          ...(previous === undefined ? {} : { ExpressionAttributeValues: { ':runs': previous.runs } }),
        },
      },
      {
        Put: {
          TableName: deps.tableName,
          Item: {
            ...keys.evaluationMonth(snapshot.month),
            type: ITEM_TYPES.evaluationMonth,
            month: snapshot.month,
            computedAt: snapshot.computedAt,
            ratio: snapshot.city.ratio,
            runs,
          },
        },
      },
    ];
    try {
      await transactWrite(deps.client, actions);
      return { snapshot: stored, history, runs };
    } catch (error) {
      if (!isTransactionRace(error) || attempt + 1 >= MAX_ATTEMPTS) throw error;
    }
  }
}
