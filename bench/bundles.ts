/**
 * `npm run bench -- --bundles` (and in the full run): each Lambda bundle built as the stack builds it
 * (lib/constructs/lambda-bundle.ts) and its module load timed the way a cold start pays it: a fresh
 * `node` imports the bundle's entry, `INIT_RUNS` times per function, the median kept. Also the peak RSS
 * of a process that only loaded the bundle (the floor of each function's memory). Figures:
 * `bundle_max_kb` (the most any function loads at a cold start), `init_max_ms` (the slowest median
 * module load), and per function `bundle_<job>_kb`, `bundle_<job>_total_kb`, `init_<job>_ms`,
 * `init_<job>_rss_mb`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ENV } from '#shared/env-names.ts';
import { BUNDLE_ENTRY_FILE } from '../lib/constructs/lambda-bundle.ts';
import { JOB_ENTRIES, type JobName } from '../lib/credit-governance-stack.ts';
import { bundleJob } from '../scripts/lambda-bundles.ts';

/** Fresh processes per function; the median is kept, so one slow start on a busy machine does not count. */
const INIT_RUNS = 7;

/** What the handlers read at load; values of the right shape, nothing is called. */
const LOAD_ENVIRONMENT: Record<string, string> = {
  [ENV.tableName]: 'bench-table',
  [ENV.bucketName]: 'bench-bucket',
  [ENV.importQueueUrl]: 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/bench-import',
  [ENV.evaluateFunctionName]: 'bench-evaluate',
  [ENV.counterShards]: '8',
  AWS_REGION: 'cn-north-1',
};

/** Times one import of the file in this process's child: milliseconds and peak RSS in KB. */
const LOADER = `
const started = performance.now();
await import(process.argv[1]);
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS }));
`;

interface Load {
  readonly ms: number;
  readonly maxRssKb: number;
}

function loadOnce(file: string): Load {
  const output = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', LOADER, pathToFileURL(file).href],
    {
      env: { PATH: process.env.PATH, ...LOAD_ENVIRONMENT },
      encoding: 'utf8',
    },
  );
  return JSON.parse(output) as Load;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const round1 = (value: number) => Math.round(value * 10) / 10;

export async function measureBundles(progress: (message: string) => void): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-bundles-'));
  try {
    const figures: Record<string, number> = {};
    let bundleMax = 0;
    let initMax = 0;
    for (const job of Object.keys(JOB_ENTRIES) as JobName[]) {
      const outdir = join(dir, job);
      const bundle = await bundleJob(job, outdir);
      const loads = Array.from({ length: INIT_RUNS }, () => loadOnce(join(outdir, BUNDLE_ENTRY_FILE)));
      const ms = round1(median(loads.map((load) => load.ms)));
      const kb = Math.round(bundle.initialBytes / 1024);
      progress(
        `${job}: ${kb} KB at cold start (${Math.round(bundle.totalBytes / 1024)} KB in all), loads in ${ms} ms`,
      );
      figures[`bundle_${job}_kb`] = kb;
      figures[`bundle_${job}_total_kb`] = Math.round(bundle.totalBytes / 1024);
      figures[`init_${job}_ms`] = ms;
      figures[`init_${job}_rss_mb`] = round1(median(loads.map((load) => load.maxRssKb)) / 1024);
      bundleMax = Math.max(bundleMax, kb);
      initMax = Math.max(initMax, ms);
    }
    return { bundle_max_kb: bundleMax, init_max_ms: initMax, ...figures };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const figures = await measureBundles((message) => process.stderr.write(`[bundles] ${message}\n`));
  for (const [name, value] of Object.entries(figures)) process.stdout.write(`${name} ${value}\n`);
}
