/**
 * `npx tsx scripts/lambda-bundles.ts [job…]`: what goes into each Lambda bundle. Each job's entry is
 * bundled with esbuild as the stack bundles it (ESM, node24, the AWS SDK inside, minified) and the
 * metafile's inputs are listed, so anyone can check that no local stand-in (`local/`) ships to the
 * cloud. `test/cdk/lambda-bundles.test.ts` holds that for every job.
 */
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../lib/constructs/job-function.ts';
import { JOB_ENTRIES, type JobName } from '../lib/credit-governance-stack.ts';

export interface LambdaBundle {
  readonly job: JobName;
  /** Every module of the bundle, relative to the project root (`functions/…`, `node_modules/…`). */
  readonly inputs: readonly string[];
  /** The bundled code. */
  readonly code: string;
}

/** Bundles one job's entry in memory and returns what it holds. */
export async function bundleJob(job: JobName): Promise<LambdaBundle> {
  const result = await build({
    entryPoints: [JOB_ENTRIES[job]],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    minify: true,
    write: false,
    metafile: true,
    outfile: 'index.mjs',
    logLevel: 'silent',
  });
  return {
    job,
    inputs: Object.keys(result.metafile.inputs).sort(),
    code: result.outputFiles.map((file) => file.text).join('\n'),
  };
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const jobs = (requested.length > 0 ? requested : Object.keys(JOB_ENTRIES)) as JobName[];
  for (const job of jobs) {
    if (!(job in JOB_ENTRIES))
      throw new Error(`unknown job ${job}; jobs: ${Object.keys(JOB_ENTRIES).join(', ')}`);
    const bundle = await bundleJob(job);
    const own = bundle.inputs.filter((input) => !input.startsWith('node_modules/'));
    process.stdout.write(
      `${job} (${JOB_ENTRIES[job]}): ${bundle.inputs.length} modules, ${own.length} of this project, ` +
        `${(bundle.code.length / 1024).toFixed(0)} KiB\n`,
    );
    for (const input of bundle.inputs) process.stdout.write(`  ${input}\n`);
  }
}

if (import.meta.main) await main();
