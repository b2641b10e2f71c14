/**
 * `evaluation_1k_ms`, `evaluation_100k_ms`, `evaluation_100k_vs_1k` (budget 1.5): the evaluation of the
 * month just ended, on two tables of one fresh DynamoDB Local that differ only in the number of listed
 * subjects (1 000 and 100 000). Each table is seeded as the writes leave it: the district counters and
 * the monthly flows (summing to the listed subjects), the enterprise counts, and one subject item per
 * listed subject carrying the listed-subject index key (GSI4) the drift check scans.
 *
 * The figures (numerator from counters and flows, denominators, ranking, milestones, the stored
 * snapshot) are timed apart from the drift check: the figures read a few items per district and month
 * whatever the number of listed subjects, which is what the budget asks; the drift check is a recount
 * of the listed subjects by a parallel scan of GSI4 and cannot but grow with them. Both are reported,
 * with the drift check's own ratio, so nobody mistakes one for the other.
 */
import { DISTRICTS } from '#domain/district.ts';
import { shiftMonth } from '#domain/evaluation-figures.ts';
import { shanghaiMonth } from '#domain/model.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { silentLogger } from '#shared/logger.ts';
import { batchPutAll } from '#storage/batch.ts';
import { createDocumentClient } from '#storage/client.ts';
import { checkDrift, runEvaluation } from '#storage/evaluation-run.ts';
import { ITEM_TYPES, indexKeys, keys } from '#storage/keys.ts';
import { type StoreDeps, systemClock } from '#storage/subject-store.ts';
import { ensureTable, startDynamoLocal } from '../local/dynamodb-local.ts';
import { benchUscc } from './push-file.ts';

export const BUDGET_EVALUATION_100K_VS_1K = 1.5;
const SIZES = [1_000, 100_000] as const;
/** Timed runs per size; the median is reported (the first run of each warms the table). */
const RUNS = 5;
const WRITERS = 8;
const SLICE = 5_000;
const actor: ChangedBy = {
  principal: 'bench',
  role: 'system',
  cause: { kind: 'system', id: 'bench-evaluation' },
};

/** Listed subjects of district `index` out of `total`, spread evenly. */
function share(total: number, index: number): number {
  return Math.floor(total / DISTRICTS.length) + (index < total % DISTRICTS.length ? 1 : 0);
}

/** Counters, flows and enterprise counts of the month just ended and the current month. */
async function seedFigures(store: StoreDeps, listed: number) {
  const current = shanghaiMonth(new Date());
  const month = shiftMonth(current, -1);
  const at = new Date().toISOString();
  const items = DISTRICTS.flatMap((district, index) => {
    const count = share(listed, index);
    const base = { district: district.code, updatedAt: at };
    return [
      {
        ...keys.currentCounter(0, district.code),
        type: ITEM_TYPES.counter,
        ...base,
        listedSubjects: count,
        listed_91: count,
        activeListings: count,
      },
      {
        ...keys.monthlyFlow(current, 0, district.code),
        type: ITEM_TYPES.flow,
        ...base,
        newlyListed_91: 2,
        exited_91: 1,
      },
      {
        ...keys.monthlyFlow(month, 0, district.code),
        type: ITEM_TYPES.flow,
        ...base,
        newlyListed_91: 3,
        exited_91: 5,
      },
      {
        ...keys.enterpriseCount(month, district.code),
        type: ITEM_TYPES.enterpriseCount,
        ...base,
        month,
        enterprises: count * 120,
        changedBy: actor,
      },
    ];
  });
  await batchPutAll(store.client, store.tableName, items, WRITERS);
  return month;
}

/** One subject item per listed subject, with the listed-subject index key, written a slice at a time. */
async function seedListedSubjects(store: StoreDeps, listed: number) {
  let written = 0;
  for (const [index, district] of DISTRICTS.entries()) {
    const count = share(listed, index);
    for (let start = 0; start < count; start += SLICE) {
      const items = Array.from({ length: Math.min(SLICE, count - start) }, (_, offset) => {
        const uscc = benchUscc(written + start + offset);
        return {
          ...keys.subject(uscc),
          ...indexKeys.listedSubject(district.code, uscc),
          type: ITEM_TYPES.subject,
          uscc,
          district: district.code,
          activeListings: 1,
        };
      });
      await batchPutAll(store.client, store.tableName, items, WRITERS);
    }
    written += count;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

interface SizeResult {
  readonly figuresMs: number;
  readonly driftMs: number;
}

interface SeededTable {
  readonly listed: number;
  readonly store: StoreDeps;
  readonly month: string;
  readonly figures: number[];
  readonly drift: number[];
}

async function seedTable(
  endpoint: string,
  listed: number,
  progress: (message: string) => void,
): Promise<SeededTable> {
  const tableName = `bench-evaluation-${listed}`;
  await ensureTable(endpoint, tableName);
  const store: StoreDeps = { client: createDocumentClient({ endpoint }), tableName, clock: systemClock };
  progress(`evaluation: seeding ${listed} listed subjects`);
  const month = await seedFigures(store, listed);
  await seedListedSubjects(store, listed);
  return { listed, store, month, figures: [], drift: [] };
}

/** One evaluation of the table's month, the figures and the drift check timed apart. */
async function evaluateOnce(table: SeededTable): Promise<SizeResult> {
  const { store, month, listed } = table;
  let numerator = 0;
  const figuresMs = await timed(async () => {
    const stored = await runEvaluation({ store, logger: silentLogger, drift: false }, month, actor);
    numerator = stored.snapshot.city.numerator;
  });
  // the month just ended: the listed now, less the current month's net flow (+1 in each district)
  if (numerator !== listed - DISTRICTS.length)
    throw new Error(`numerator ${numerator}, expected ${listed - DISTRICTS.length}`);
  const driftMs = await timed(async () => {
    const lines = await checkDrift(store, ['91']);
    if (lines.length > 0) throw new Error(`drift in the bench's own seed: ${JSON.stringify(lines[0])}`);
  });
  return { figuresMs, driftMs };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Both sizes on one fresh DynamoDB Local, in the same run: both tables seeded first, then the timed
 * evaluations alternate between them, so a busy moment of the machine falls on both alike.
 */
export async function measureEvaluation(progress: (message: string) => void) {
  progress('evaluation: starting DynamoDB Local (in memory)');
  const dynamo = await startDynamoLocal();
  const tables: SeededTable[] = [];
  try {
    for (const listed of SIZES) tables.push(await seedTable(dynamo.endpoint, listed, progress));
    for (let run = 0; run < RUNS + 1; run++) {
      for (const table of tables) {
        const once = await evaluateOnce(table);
        // the first run of each warms its table
        if (run === 0) continue;
        table.figures.push(once.figuresMs);
        table.drift.push(once.driftMs);
      }
    }
    const [small, large] = tables.map((table) => {
      const result = { figuresMs: median(table.figures), driftMs: median(table.drift) };
      progress(
        `evaluation: ${table.listed} listed: figures ${result.figuresMs.toFixed(0)} ms, drift check ${result.driftMs.toFixed(0)} ms (median of ${RUNS})`,
      );
      return result;
    }) as [SizeResult, SizeResult];
    const ratio = round(large.figuresMs / small.figuresMs, 3);
    return {
      evaluation_1k_ms: Math.round(small.figuresMs),
      evaluation_100k_ms: Math.round(large.figuresMs),
      evaluation_100k_vs_1k: ratio,
      budget_evaluation_100k_vs_1k: BUDGET_EVALUATION_100K_VS_1K,
      evaluation_verdict:
        ratio <= BUDGET_EVALUATION_100K_VS_1K
          ? 'ok'
          : `over-budget (evaluation_100k_vs_1k ${ratio} > ${BUDGET_EVALUATION_100K_VS_1K})`,
      evaluation_drift_1k_ms: Math.round(small.driftMs),
      evaluation_drift_100k_ms: Math.round(large.driftMs),
      evaluation_drift_100k_vs_1k: round(large.driftMs / small.driftMs, 3),
    };
  } finally {
    for (const table of tables) table.store.client.destroy();
    await dynamo.stop();
  }
}
