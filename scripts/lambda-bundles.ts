/**
 * `npx tsx scripts/lambda-bundles.ts [job…]`: what goes into each Lambda bundle and how big it is. Each
 * job's entry is bundled with the stack's own options (lib/constructs/lambda-bundle.ts: ESM, node24,
 * the AWS SDK inside, minified, split into chunks) and the metafile's inputs are listed, so anyone can
 * check that no local stand-in (`local/`) ships to the cloud and what loads at a cold start.
 * `test/cdk/lambda-bundles.test.ts` holds that for every job; `npm run bench -- --bundles` times it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { PROJECT_ROOT } from '../lib/constructs/job-function.ts';
import { BUNDLE_ENTRY_FILE, lambdaBundleOptions } from '../lib/constructs/lambda-bundle.ts';
import { JOB_ENTRIES, type JobName } from '../lib/credit-governance-stack.ts';

/** One JavaScript file of a bundle (source maps left out). */
export interface BundleFile {
  /** Relative to the bundle's directory: `index.mjs`, `chunks/…`. */
  readonly path: string;
  readonly bytes: number;
  /** Loaded at a cold start: the entry and every chunk it imports statically, directly or not. */
  readonly initial: boolean;
  /** The modules of this file (relative to the project root) with their bytes in it. */
  readonly inputs: Readonly<Record<string, number>>;
}

export interface LambdaBundle {
  readonly job: JobName;
  /** Every module of the bundle, relative to the project root (`functions/…`, `node_modules/…`). */
  readonly inputs: readonly string[];
  /** The bundled code of every file. */
  readonly code: string;
  readonly files: readonly BundleFile[];
  /** Bytes loaded at a cold start (the entry and its static chunks). */
  readonly initialBytes: number;
  /** Bytes of every JavaScript file. */
  readonly totalBytes: number;
}

/**
 * Bundles one job's entry as the stack does and returns what it holds. With `outdir` the files are
 * written there (to load them); without, the bundle stays in memory.
 */
export async function bundleJob(job: JobName, outdir?: string): Promise<LambdaBundle> {
  const dir = outdir ?? mkdtempSync(join(tmpdir(), `bundle-${job}-`));
  const result = await build({
    ...lambdaBundleOptions(JOB_ENTRIES[job], PROJECT_ROOT, dir),
    write: outdir !== undefined,
    logLevel: 'silent',
  });
  const metafile = result.metafile as Metafile;
  const outputs = Object.entries(metafile.outputs).filter(([path]) => path.endsWith('.mjs'));
  const outputPath = (path: string) => relative(dir, join(PROJECT_ROOT, path));
  const initial = initialOutputs(
    metafile,
    outputs.map(([path]) => path).find((path) => outputPath(path) === BUNDLE_ENTRY_FILE),
  );
  const files = outputs
    .map(([path, output]) => ({
      path: outputPath(path),
      bytes: output.bytes,
      initial: initial.has(path),
      inputs: Object.fromEntries(
        Object.entries(output.inputs).map(([input, { bytesInOutput }]) => [input, bytesInOutput]),
      ),
    }))
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.bytes - a.bytes);
  return {
    job,
    inputs: Object.keys(metafile.inputs).sort(),
    code: (result.outputFiles ?? []).map((file) => file.text).join('\n'),
    files,
    initialBytes: files.filter((file) => file.initial).reduce((sum, file) => sum + file.bytes, 0),
    totalBytes: files.reduce((sum, file) => sum + file.bytes, 0),
  };
}

/** The entry's output and every output it reaches through static imports. */
function initialOutputs(metafile: Metafile, entry: string | undefined): Set<string> {
  const seen = new Set<string>();
  const pending = entry === undefined ? [] : [entry];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (seen.has(path)) continue;
    seen.add(path);
    for (const imported of metafile.outputs[path]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) pending.push(imported.path);
    }
  }
  return seen;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const verbose = args.includes('--modules');
  const requested = args.filter((arg) => !arg.startsWith('--'));
  const jobs = (requested.length > 0 ? requested : Object.keys(JOB_ENTRIES)) as JobName[];
  for (const job of jobs) {
    if (!(job in JOB_ENTRIES))
      throw new Error(`unknown job ${job}; jobs: ${Object.keys(JOB_ENTRIES).join(', ')}`);
    const bundle = await bundleJob(job);
    const own = bundle.inputs.filter((input) => !input.startsWith('node_modules/'));
    process.stdout.write(
      `${job} (${JOB_ENTRIES[job]}): ${bundle.inputs.length} modules, ${own.length} of this project, ` +
        `${kib(bundle.initialBytes)} at cold start, ${kib(bundle.totalBytes)} in all\n`,
    );
    // the files of 50 KiB or more with what they hold; the SDK's many small chunks only counted
    const small = bundle.files.filter((file) => file.bytes < 50 * 1024);
    for (const file of bundle.files.filter((file) => file.bytes >= 50 * 1024)) {
      process.stdout.write(`  ${file.path}: ${kib(file.bytes)}${file.initial ? '' : ' (on first use)'}\n`);
      for (const [name, bytes] of packageSizes(file))
        process.stdout.write(`    ${kib(bytes).padStart(8)} ${name}\n`);
    }
    const smallBytes = small.reduce((sum, file) => sum + file.bytes, 0);
    process.stdout.write(`  and ${small.length} smaller chunks: ${kib(smallBytes)}\n`);
    if (verbose) for (const input of bundle.inputs) process.stdout.write(`  ${input}\n`);
  }
}

/** The file's bytes by npm package (or by folder of this project), largest first, the first ten. */
function packageSizes(file: BundleFile): [string, number][] {
  const sizes = new Map<string, number>();
  for (const [input, bytes] of Object.entries(file.inputs)) {
    const name =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(0, 2).join('/');
    sizes.set(name, (sizes.get(name) ?? 0) + bytes);
  }
  return [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 10);
}

if (import.meta.main) await main();
