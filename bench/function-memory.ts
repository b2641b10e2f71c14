/**
 * `npm run bench -- --memory [--subjects N]`: what each function's heaviest job takes in memory, to size
 * the Lambdas from measurements (issue 12). A city of N listed subjects (default 18 000, Shijiazhuang's
 * size) is seeded into a fresh in-memory DynamoDB Local as `--province` seeds one; then each job runs
 * once, in a process of its own on the esbuild bundle of `bench/function-memory-child.ts` (plain Node,
 * as the Lambda runs its bundle), and its peak RSS is printed as `memory_<job>_peak_rss_mb` beside the
 * RSS once the handler was built (`memory_<job>_loaded_rss_mb`).
 *
 * The jobs: the api's 台账 of the whole city as XLSX (20 000 rows at most) and a 1 000-code check; the
 * exits function's queue page; the evaluation of the month just ended with its reports; the classify
 * function's stream batch of 100 listings. The import and the trail are measured by the full run
 * (`import_peak_rss_mb`, the trail child's).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocumentClient } from '#storage/client.ts';
import type { StoreDeps } from '#storage/subject-store.ts';
import { ensureTable, startDynamoLocal } from '../local/dynamodb-local.ts';
import { bundleBenchChild } from './bundle.ts';
import { CapacityMeter } from './capacity-meter.ts';
import { runChild } from './child.ts';
import { MEMORY_JOBS, type MemoryChildResult } from './function-memory-jobs.ts';
import { checkCodes, seedScale } from './province.ts';
import { CITY_UNITS, listedMonths } from './province-data.ts';

const TABLE = 'bench-memory';
export const DEFAULT_MEMORY_SUBJECTS = 18_000;

export async function measureFunctionMemory(
  subjects: number,
  projectRoot: string,
  progress: (line: string) => void,
  options: { readonly cpuProf?: boolean } = {},
): Promise<Record<string, number>> {
  const dynamo = await startDynamoLocal();
  const client = createDocumentClient({ endpoint: dynamo.endpoint });
  const root = await mkdtemp(join(tmpdir(), 'bench-memory-'));
  try {
    await ensureTable(dynamo.endpoint, TABLE, { stream: false });
    const store: StoreDeps = { client, tableName: TABLE, clock: { now: () => new Date() } };
    const meter = new CapacityMeter();
    progress(`memory: seeding a city of ${subjects} listed subjects`);
    await seedScale({ units: CITY_UNITS, subjects, store, meter, endpoint: dynamo.endpoint, progress });
    progress('memory: bundling the child with esbuild, as the Lambdas are bundled');
    const bundle = await bundleBenchChild(projectRoot, 'function-memory-child');
    const month = listedMonths(new Date()).at(-1) as string;
    const codes = checkCodes(CITY_UNITS, subjects).join(',');
    const lines: Record<string, number> = { memory_listed_subjects: subjects };
    for (const job of MEMORY_JOBS) {
      const result = await runChild<MemoryChildResult>(
        projectRoot,
        bundle,
        [
          ...['--endpoint', dynamo.endpoint, '--table', TABLE, '--root', join(root, job), '--job', job],
          ...['--month', month, '--codes', codes],
        ],
        options.cpuProf === true ? ['--cpu-prof', '--cpu-prof-dir', join(projectRoot, '.bench')] : [],
      );
      progress(
        `memory: ${job}: peak RSS ${result.peakRssMb} MB (${result.loadedRssMb} MB once built), ${result.ms} ms, produced ${result.produced}`,
      );
      const name = job.replaceAll('-', '_');
      lines[`memory_${name}_peak_rss_mb`] = result.peakRssMb;
      lines[`memory_${name}_loaded_rss_mb`] = result.loadedRssMb;
      lines[`memory_${name}_ms`] = result.ms;
    }
    return lines;
  } finally {
    client.destroy();
    await dynamo.stop();
    await rm(root, { recursive: true, force: true });
  }
}
