/**
 * The import budget of README.md (Benchmark), measured: a push file of `--rows` rows (default 100 000)
 * imported by the real worker against an in-memory DynamoDB Local while the trail function reads the
 * table's stream in a process of its own; the import's time runs until its trail has caught up, and
 * its items include the trail's. Compared with raw BatchWriteItem of as many items on the same DynamoDB
 * in the same run, by one writer and by {@link PARALLEL_WRITERS}, with the worker's peak RSS. Prints
 * `name value` lines on stdout and writes them to `.bench/results.json`; exits non-zero only when
 * something failed, never for a figure over budget.
 *
 *   npm run bench -- --rows 2000
 *
 * Options: `--keep` keeps the temporary drop folder; `--districts blocks` writes the file sorted by
 * district instead of cycling through the districts row by row (the default); `--cpu-prof` writes a
 * CPU profile of the import process to `.bench/`; `--conflicts` measures counter conflicts of parallel
 * chunk workers instead (`bench/conflicts.ts`); `--checks` measures only the joint-punishment check
 * (`bench/checks.ts`), which the full run measures after the import, and `--exits` the exit confirmation's
 * latency (`bench/exits.ts`), measured right after it; `--retriage [--listings N]` measures
 * only the re-triage of N listings after a rule-table change (`bench/retriage.ts`), as the full run does
 * after the import; `--evaluation` only the monthly evaluation with 1 000 and 100 000 listed subjects
 * (`bench/evaluation.ts`), as the full run does near the end; `--province [--subjects N]` a province of
 * 170 units and N listed subjects (default 200 000) beside one city, never in the full run
 * (`bench/province.ts`); `--bundles` only the size and module-load time of each Lambda bundle
 * (`bench/bundles.ts`), as the full run does last; `--console` the console's first-load size and the
 * evaluation page's largest contentful paint (`bench/console.ts`), as the full run does; `--import` only
 * the import with its trail and the two baselines, the figures of the import budget (`.bench/import.json`).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { IMPORT_WORKER_NODE_OPTIONS } from '#shared/limits.ts';
import { type DynamoLocal, ensureTable, startDynamoLocal } from '../local/dynamodb-local.ts';
import type { BatchWriteChildResult } from './batchwrite-child.ts';
import { bundleBenchChild } from './bundle.ts';
import { measureBundles } from './bundles.ts';
import { measureChecks } from './checks.ts';
import { runChild, startChild } from './child.ts';
import { runConflicts } from './conflicts.ts';
import { measureConsole } from './console.ts';
import { measureEvaluation } from './evaluation.ts';
import { measureExits } from './exits.ts';
import { DEFAULT_MEMORY_SUBJECTS, measureFunctionMemory } from './function-memory.ts';
import type { ImportChildResult } from './import-child.ts';
import { runProvince } from './province.ts';
import { DISTRICT_ORDERS, writePushFile } from './push-file.ts';
import { checkFigures, describeImport, figures, type Measured, round } from './report.ts';
import { runRetriage } from './retriage.ts';
import type { TrailChildResult } from './trail-child.ts';

const WARM_UP_ITEMS = 2_500;
/** Writers of the parallel baseline: as many as the import's parallel chunks in the cloud. */
const PARALLEL_WRITERS = 8;
const TABLES = {
  warmUp: 'bench-warm-up',
  import: 'bench-import',
  batchWrite: 'bench-batchwrite',
  batchWriteParallel: 'bench-batchwrite-parallel',
  checks: 'bench-checks',
  exits: 'bench-exits',
};
const FILE_NAME = '石家庄市严重失信主体名单2026年11月.csv';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

function positiveInteger(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${option} wants a positive integer, got ${text}`);
  return value;
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      keep: { type: 'boolean', default: false },
      districts: { type: 'string', default: 'cycle' },
      'cpu-prof': { type: 'boolean', default: false },
      conflicts: { type: 'boolean', default: false },
      checks: { type: 'boolean', default: false },
      exits: { type: 'boolean', default: false },
      retriage: { type: 'boolean', default: false },
      evaluation: { type: 'boolean', default: false },
      bundles: { type: 'boolean', default: false },
      console: { type: 'boolean', default: false },
      memory: { type: 'boolean', default: false },
      import: { type: 'boolean', default: false },
      listings: { type: 'string', default: '100000' },
      province: { type: 'boolean', default: false },
      subjects: { type: 'string', default: '200000' },
    },
  });
  // the conflicts mode runs the import twice, and needs fewer rows to show what it shows
  const rows = positiveInteger('--rows', values.rows ?? (values.conflicts ? '16000' : '100000'));
  const districts = DISTRICT_ORDERS.find((order) => order === values.districts);
  if (districts === undefined)
    throw new Error(`--districts wants ${DISTRICT_ORDERS.join(' or ')}, got ${values.districts}`);
  return {
    rows,
    keep: values.keep,
    districts,
    cpuProf: values['cpu-prof'],
    conflicts: values.conflicts,
    checks: values.checks,
    exits: values.exits,
    retriage: values.retriage,
    evaluation: values.evaluation,
    bundles: values.bundles,
    console: values.console,
    memory: values.memory,
    importOnly: values.import,
    listings: positiveInteger('--listings', values.listings),
    province: values.province,
    subjects: positiveInteger('--subjects', values.subjects),
  };
}

/**
 * The code measured: HEAD, and whether the worker's sources differ from it. Others commit to this tree
 * while a run lasts, so a figure is only meaningful with the version it was taken on.
 */
function sourceVersion(): { commit: string; dirty: boolean } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8' }).trim();
  try {
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      dirty: git('status', '--porcelain', '--', 'functions', 'local') !== '',
    };
  } catch {
    return { commit: 'unknown', dirty: true };
  }
}

function describeVersion(version: { commit: string; dirty: boolean }): string {
  return `${version.commit}${version.dirty ? ' with uncommitted changes in functions/ or local/' : ''}`;
}

type Options = ReturnType<typeof readOptions>;

/**
 * A fresh in-memory DynamoDB Local for one measurement, warmed up, with the one table definition
 * (stream on). On every item written to a table with a stream, DynamoDB Local (2026-01-16) looks up its
 * stream's first record with `SELECT MIN(SequenceNumber) FROM us WHERE StreamID = ?`; its stream-record
 * table has no index on StreamID, so SQLite walks the records of all streams in sequence order until
 * it meets one of this stream (seen in the JVM's stacks: `getStreamDescription` under
 * `insertUpdateStreamRecordIfActiveShardPresent`). The records of a stream written earlier are walked on
 * every later write: 40 000 of them slow a table's writes about 15×, to some 140 items/s. The cloud does
 * nothing of the kind. So each measurement gets an instance of its own, and the warm-up table has no
 * stream.
 */
async function onFreshDynamo<T>(table: string, run: (endpoint: string) => Promise<T>): Promise<T> {
  const dynamo: DynamoLocal = await startDynamoLocal();
  try {
    await ensureTable(dynamo.endpoint, TABLES.warmUp, { stream: false });
    await ensureTable(dynamo.endpoint, table);
    await runChild<BatchWriteChildResult>(projectRoot, 'bench/batchwrite-child.ts', [
      ...['--endpoint', dynamo.endpoint, '--table', TABLES.warmUp, '--items', String(WARM_UP_ITEMS)],
    ]);
    return await run(dynamo.endpoint);
  } finally {
    await dynamo.stop();
  }
}

/** The import with its trail, each in a process of its own, as two Lambdas. */
async function measureImport(endpoint: string, dropRoot: string, key: string, options: Options) {
  progress('bundling the import child with esbuild, as the Lambda is bundled');
  const bundle = await bundleBenchChild(projectRoot, 'import-child');
  progress("starting the trail function on the import table's stream (child process)");
  const trailChild = startChild<TrailChildResult>(projectRoot, 'bench/trail-child.ts', [
    ...['--endpoint', endpoint, '--table', TABLES.import],
  ]);
  progress('importing through the worker (child process, plain Node on the bundle)');
  const imported = await runChild<ImportChildResult>(
    projectRoot,
    bundle,
    ['--endpoint', endpoint, '--table', TABLES.import, '--root', dropRoot, '--key', key],
    [
      ...(options.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', join(projectRoot, '.bench')] : []),
      // the Node flags the stack gives the import Lambda
      ...IMPORT_WORKER_NODE_OPTIONS,
    ],
  );
  trailChild.send('import ended');
  const trail = await trailChild.result;
  progress(
    `import ${imported.importId}: ${imported.seconds.toFixed(2)} s to its receipt; counts ${JSON.stringify(imported.counts)}`,
  );
  progress(
    `trail: ${trail.entries} entries from ${trail.records} records in ${trail.batches} batches, ${(trail.handlerMs / 1000).toFixed(2)} s in the handler; caught up ${((trail.lastWriteAt - imported.finishedAt) / 1000).toFixed(2)} s after the receipt`,
  );
  for (const line of describeImport(imported)) progress(`  ${line}`);
  return { imported, trail };
}

/**
 * The import with its trail, then raw BatchWriteItem of as many items by one writer and by
 * {@link PARALLEL_WRITERS}, each on a fresh DynamoDB Local of the same build on this machine.
 */
async function measure(dropRoot: string, key: string, options: Options): Promise<Measured> {
  progress('starting DynamoDB Local (in memory) for the import');
  const { imported, trail } = await onFreshDynamo(TABLES.import, (endpoint) =>
    measureImport(endpoint, dropRoot, key, options),
  );
  const items = String(imported.counts.itemsWritten + trail.entries);
  progress(`BatchWriteItem baseline: ${items} items, one writer (child process, fresh DynamoDB Local)`);
  const baseline = await onFreshDynamo(TABLES.batchWrite, (endpoint) =>
    runChild<BatchWriteChildResult>(projectRoot, 'bench/batchwrite-child.ts', [
      ...['--endpoint', endpoint, '--table', TABLES.batchWrite, '--items', items],
    ]),
  );
  progress(
    `BatchWriteItem baseline: ${items} items, ${PARALLEL_WRITERS} writers (child process, fresh DynamoDB Local)`,
  );
  const parallel = await onFreshDynamo(TABLES.batchWriteParallel, (endpoint) =>
    runChild<BatchWriteChildResult>(projectRoot, 'bench/batchwrite-child.ts', [
      ...['--endpoint', endpoint, '--table', TABLES.batchWriteParallel, '--items', items],
      ...['--writers', String(PARALLEL_WRITERS)],
    ]),
  );
  for (const run of [baseline, parallel])
    progress(
      `  ${run.writers} writer(s): ${run.seconds.toFixed(2)} s, ${Math.round(run.items / run.seconds)} items/s`,
    );
  return { imported, trail, baseline, parallel };
}

/** The joint-punishment check's figures, on a DynamoDB Local of their own. */
async function measureCheckFigures() {
  progress('checks: starting DynamoDB Local (in memory)');
  const checks = await onFreshDynamo(TABLES.checks, (endpoint) =>
    measureChecks(endpoint, TABLES.checks, progress),
  );
  return checkFigures(checks);
}

/** `exit_confirm_p50_ms`/`_p99_ms`: 1 000 confirmations through the exits handler, 8 in flight. */
async function measureExitFigures() {
  progress('exits: starting DynamoDB Local (in memory)');
  return onFreshDynamo(TABLES.exits, (endpoint) => measureExits(endpoint, TABLES.exits, progress));
}

/** `retriage_100k_s` and its rates: a rule-table change over `--listings` listings (default 100 000). */
function measureRetriageFigures(options: Options) {
  return runRetriage(options.listings, progress);
}

/** `--checks` or `--retriage`: one measurement alone, printed and kept in `.bench/<name>.json`. */
async function runOnly(name: string, measureOne: () => Promise<object>): Promise<void> {
  const code = sourceVersion();
  progress(`code: ${describeVersion(code)}`);
  const results = await measureOne();
  for (const [figure, value] of Object.entries(results)) process.stdout.write(`${figure} ${value}\n`);
  await mkdir(join(projectRoot, '.bench'), { recursive: true });
  const details = { at: new Date().toISOString(), code };
  await writeFile(
    join(projectRoot, '.bench', `${name}.json`),
    `${JSON.stringify({ ...results, ...details }, null, 2)}\n`,
  );
}

/** Everything the full run measures after the import and its baselines. */
async function measureTheRest(options: Options) {
  return {
    ...(await measureCheckFigures()),
    ...(await measureExitFigures()),
    ...(await measureRetriageFigures(options)),
    ...(await measureEvaluation(progress)),
    ...(await measureBundles(progress)),
    ...(await measureConsole(progress)),
    ...(await measureFunctionMemory(DEFAULT_MEMORY_SUBJECTS, projectRoot, progress)),
  };
}

async function main(): Promise<void> {
  const options = readOptions();
  if (options.conflicts) {
    await runConflicts(projectRoot, options, progress);
    return;
  }
  if (options.checks) {
    await runOnly('checks', measureCheckFigures);
    return;
  }
  if (options.exits) {
    await runOnly('exits', measureExitFigures);
    return;
  }
  if (options.retriage) {
    await runOnly('retriage', () => measureRetriageFigures(options));
    return;
  }
  if (options.province) {
    await runOnly('province', () => runProvince(options.subjects, progress));
    return;
  }
  if (options.evaluation) {
    await runOnly('evaluation', () => measureEvaluation(progress));
    return;
  }
  if (options.bundles) {
    await runOnly('bundles', () => measureBundles(progress));
    return;
  }
  if (options.console) {
    await runOnly('console', () => measureConsole(progress));
    return;
  }
  if (options.memory) {
    await runOnly('memory', () =>
      measureFunctionMemory(DEFAULT_MEMORY_SUBJECTS, projectRoot, progress, { cpuProf: options.cpuProf }),
    );
    return;
  }
  const dropRoot = await mkdtemp(join(tmpdir(), 'bench-drop-'));
  const stop = async () => {
    if (!options.keep) await rm(dropRoot, { recursive: true, force: true });
  };
  const interrupted = () => {
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const version = sourceVersion();
    progress(`code: ${describeVersion(version)}`);
    const key = `incoming/push/${FILE_NAME}`;
    progress(`writing ${options.rows} rows to ${join(dropRoot, key)}`);
    const file = await writePushFile(join(dropRoot, key), options.rows, options.districts);
    progress(
      `file: ${(file.bytes / 1024 / 1024).toFixed(1)} MB, ${file.subjects} subjects, ${file.repeatListings} repeat listings, ${file.badCodes} bad codes, ${file.persons} persons`,
    );
    const measured = await measure(dropRoot, key, options);
    const { imported, trail, baseline, parallel } = measured;

    const results = {
      ...figures(measured),
      ...(options.importOnly ? {} : await measureTheRest(options)),
    };
    const versionAtEnd = sourceVersion();
    if (versionAtEnd.commit !== version.commit || versionAtEnd.dirty !== version.dirty)
      progress(`warning: the code changed during the run (now ${describeVersion(versionAtEnd)})`);
    for (const [name, value] of Object.entries(results)) process.stdout.write(`${name} ${value}\n`);
    const details = {
      at: new Date().toISOString(),
      options,
      code: version,
      file,
      counts: imported.counts,
      profile: imported.profile,
      memory: imported.memory,
      trail,
      batchwrite_peak_rss_mb: round(baseline.maxRssKb / 1024, 1),
      batchwrite_parallel_peak_rss_mb: round(parallel.maxRssKb / 1024, 1),
    };
    await mkdir(join(projectRoot, '.bench'), { recursive: true });
    await writeFile(
      join(projectRoot, '.bench', options.importOnly ? 'import.json' : 'results.json'),
      `${JSON.stringify({ ...results, ...details }, null, 2)}\n`,
    );
    if (options.keep) progress(`kept the drop folder ${dropRoot}`);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
