/**
 * `npm run bench -- --conflicts [--rows N]`: counters that parallel writers do not fight over, shown on
 * DynamoDB Local (README.md, Benchmark). One push split into {@link WORKERS} chunks is written by as
 * many worker processes at once, first with the counters on one write shard (before), then on
 * {@link SHARDS_AFTER}; each run logs every transaction's in-flight window and counter keys, counts the
 * pairs in flight together that update the same counter item, and checks the counters against a
 * recount from the listings.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { COUNTER } from '#domain/counting.ts';
import { IMPORT_WORKER_NODE_OPTIONS } from '#shared/limits.ts';
import { createDocumentClient } from '#storage/client.ts';
import { compareCounts, readCurrentCounters, recountFromListings } from '#storage/counter-store.ts';
import { systemClock } from '#storage/subject-store.ts';
import { getImport } from '../functions/storage/import-store.ts';
import { type DynamoLocal, ensureTable, startDynamoLocal } from '../local/dynamodb-local.ts';
import { bundleBenchChild } from './bundle.ts';
import { runChild } from './child.ts';
import type { ChunkChildResult, NotifyChildResult } from './chunk-child.ts';
import { type DistrictOrder, writePushFile } from './push-file.ts';
import { conflictPairs, type PairCounts } from './transaction-log.ts';

const WORKERS = 8;
const SHARDS_BEFORE = 1;
const SHARDS_AFTER = 8;
/** Time given to the workers' processes to load before they all start at once. */
const START_DELAY_MS = 3_000;
const KEY = 'incoming/push/石家庄市严重失信主体名单2026年12月.csv';
/** Listed subjects, listed enterprises and active listings, per district (as the tests check them). */
const RECOUNTED = [COUNTER.listedSubjects, COUNTER.listedByPrefix('91'), COUNTER.activeListings];

interface Options {
  readonly rows: number;
  readonly keep: boolean;
  readonly districts: DistrictOrder;
}

interface ShardRun extends PairCounts {
  readonly counterShards: number;
  readonly chunks: number;
  readonly seconds: number;
  readonly failedTransactions: number;
  readonly receipt: string;
  readonly drift: number;
  readonly mismatchedSubjects: number;
}

/** One import of the push by {@link WORKERS} workers at once, with the counters on `counterShards`. */
async function runOnce(
  context: { projectRoot: string; endpoint: string; bundle: string; file: string; rows: number },
  counterShards: number,
  progress: (message: string) => void,
): Promise<ShardRun> {
  const { projectRoot, endpoint, bundle } = context;
  const table = `bench-conflicts-shards-${counterShards}`;
  await ensureTable(endpoint, table);
  const root = await mkdtemp(join(tmpdir(), 'bench-conflicts-'));
  try {
    await mkdir(dirname(join(root, KEY)), { recursive: true });
    await copyFile(context.file, join(root, KEY));
    const chunkRows = Math.ceil(context.rows / WORKERS);
    const common = [
      ...['--endpoint', endpoint, '--table', table, '--root', root, '--key', KEY],
      ...['--counter-shards', String(counterShards), '--chunk-rows', String(chunkRows)],
    ];
    const { messages } = await runChild<NotifyChildResult>(projectRoot, bundle, [...common, '--notify']);
    progress(
      `counterShards ${counterShards}: ${messages.length} chunk messages; ${WORKERS} workers start at once`,
    );
    const startAt = String(Date.now() + START_DELAY_MS);
    const workers = await Promise.all(
      messages.map((message) =>
        runChild<ChunkChildResult>(
          projectRoot,
          bundle,
          [...common, '--message', message, '--start-at', startAt],
          IMPORT_WORKER_NODE_OPTIONS,
        ),
      ),
    );
    const transactions = workers.flatMap((worker) => worker.transactions);
    const importId = (JSON.parse(messages[0] ?? '{}') as { importId?: string }).importId ?? '';
    return {
      counterShards,
      chunks: messages.length,
      seconds: Math.max(...workers.map((worker) => worker.seconds)),
      failedTransactions: transactions.filter((transaction) => !transaction.ok).length,
      ...conflictPairs(transactions),
      ...(await checkCounters(endpoint, table, counterShards, importId)),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The receipt's status, and how far the stored counters are from a recount from the listings. */
async function checkCounters(endpoint: string, tableName: string, counterShards: number, importId: string) {
  const client = createDocumentClient({ endpoint });
  try {
    const store = { client, tableName, clock: systemClock, counterShards };
    const receipt = await getImport(store, importId);
    const stored = await readCurrentCounters(store);
    const truth = await recountFromListings(store);
    const drift = compareCounts(stored, truth.counts, RECOUNTED);
    return {
      receipt: receipt?.status ?? 'missing',
      drift: drift.length,
      mismatchedSubjects: truth.mismatchedSubjects.length,
    };
  } finally {
    client.destroy();
  }
}

/** Of the pairs in flight together, the share that update a counter item in common. */
function share(run: PairCounts): number {
  return run.overlapping === 0 ? 0 : Number((run.sameCounter / run.overlapping).toFixed(3));
}

export async function runConflicts(
  projectRoot: string,
  options: Options,
  progress: (message: string) => void,
): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'bench-conflicts-file-'));
  let dynamo: DynamoLocal | undefined;
  try {
    const file = join(work, 'push.csv');
    progress(`writing ${options.rows} rows to ${file}`);
    await writePushFile(file, options.rows, options.districts);
    progress('bundling the worker child with esbuild, as the Lambda is bundled');
    const bundle = await bundleBenchChild(projectRoot, 'chunk-child');
    progress('starting DynamoDB Local (in memory)');
    dynamo = await startDynamoLocal();
    const context = { projectRoot, endpoint: dynamo.endpoint, bundle, file, rows: options.rows };
    const before = await runOnce(context, SHARDS_BEFORE, progress);
    progress(`before: ${JSON.stringify(before)}`);
    const after = await runOnce(context, SHARDS_AFTER, progress);
    progress(`after: ${JSON.stringify(after)}`);
    const results = {
      conflicts_rows: options.rows,
      conflicts_workers: WORKERS,
      transactions_before: before.transactions,
      transactions_after: after.transactions,
      overlapping_pairs_before: before.overlapping,
      overlapping_pairs_after: after.overlapping,
      overlapping_pairs_same_counter_before: before.sameCounter,
      overlapping_pairs_same_counter_after: after.sameCounter,
      same_counter_share_before: share(before),
      same_counter_share_after: share(after),
      failed_transactions_before: before.failedTransactions,
      failed_transactions_after: after.failedTransactions,
      receipts: `${before.receipt},${after.receipt}`,
      counters_equal_recount:
        before.drift + before.mismatchedSubjects + after.drift + after.mismatchedSubjects === 0 &&
        before.receipt === 'succeeded' &&
        after.receipt === 'succeeded',
    };
    for (const [name, value] of Object.entries(results)) process.stdout.write(`${name} ${value}\n`);
    await mkdir(join(projectRoot, '.bench'), { recursive: true });
    await writeFile(
      join(projectRoot, '.bench', 'conflicts.json'),
      `${JSON.stringify({ ...results, at: new Date().toISOString(), before, after }, null, 2)}\n`,
    );
  } finally {
    await dynamo?.stop();
    if (!options.keep) await rm(work, { recursive: true, force: true });
  }
}
