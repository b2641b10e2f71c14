/**
 * The import worker's peak RSS on a workbook of about 300 KB whose one value expands to 300 MB (issue 8:
 * under 256 MB, the file rejected whole). The worker runs in a process of its own, bundled like the
 * Lambda, once with the Node flags the stack gives the import function and once without them, against
 * an in-memory DynamoDB Local. Prints `name value` lines on stdout.
 *
 *   npx tsx bench/xlsx-bomb.ts [--bytes 300000000] [--kind shared-string|inline-cell]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { IMPORT_WORKER_NODE_OPTIONS } from '#shared/limits.ts';
import { type DynamoLocal, ensureTable, startDynamoLocal } from '../local/dynamodb-local.ts';
import { type BombKind, bombWorkbook } from '../test/support/xlsx-bomb.ts';
import { runChild } from './child.ts';
import type { BombChildResult } from './xlsx-bomb-child.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const progress = (message: string) => process.stderr.write(`[xlsx-bomb] ${message}\n`);
const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;

function readOptions(): { bytes: number; kind: BombKind } {
  const { values } = parseArgs({
    options: {
      bytes: { type: 'string', default: '300000000' },
      kind: { type: 'string', default: 'shared-string' },
    },
  });
  const bytes = Number(values.bytes);
  if (!Number.isInteger(bytes) || bytes < 1)
    throw new Error(`--bytes wants a positive integer, got ${values.bytes}`);
  if (values.kind !== 'shared-string' && values.kind !== 'inline-cell') {
    throw new Error(`--kind wants shared-string or inline-cell, got ${values.kind}`);
  }
  return { bytes, kind: values.kind };
}

/** The child bundled as the import Lambda is (esbuild, ESM, minified), so its memory is the deployed code's. */
async function bundleChild(): Promise<string> {
  const outfile = join(projectRoot, '.bench', 'xlsx-bomb-child.mjs');
  await build({
    entryPoints: [join(projectRoot, 'bench', 'xlsx-bomb-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    outfile,
    logLevel: 'warning',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  return outfile;
}

async function main(): Promise<void> {
  const options = readOptions();
  const dropRoot = await mkdtemp(join(tmpdir(), 'xlsx-bomb-'));
  let dynamo: DynamoLocal | undefined;
  try {
    const file = await bombWorkbook(options);
    progress(`workbook: ${file.length} bytes, one ${options.kind} of ${options.bytes} bytes`);
    progress('starting DynamoDB Local (in memory)');
    dynamo = await startDynamoLocal();
    const bundle = await bundleChild();
    const runs = [
      { name: 'lambda_flags', nodeOptions: IMPORT_WORKER_NODE_OPTIONS },
      { name: 'no_flags', nodeOptions: [] },
    ];
    for (const run of runs) {
      const table = `bench-xlsx-bomb-${run.name}`;
      await ensureTable(dynamo.endpoint, table);
      const key = 'incoming/push/炸弹名单.xlsx';
      await mkdir(dirname(join(dropRoot, key)), { recursive: true });
      await writeFile(join(dropRoot, key), file);
      progress(`importing (${run.nodeOptions.join(' ') || 'no Node flags'})`);
      const result = await runChild<BombChildResult>(
        projectRoot,
        bundle,
        ['--endpoint', dynamo.endpoint, '--table', table, '--root', dropRoot, '--key', key],
        run.nodeOptions,
      );
      progress(`  ${result.status} ${result.rejectReason ?? ''}: ${result.rejectMessage ?? ''}`);
      progress(`  RSS at start ${result.memory.startRssMb} MB, ${result.seconds.toFixed(2)} s`);
      process.stdout.write(`xlsx_bomb_${run.name}_status ${result.status}\n`);
      process.stdout.write(`xlsx_bomb_${run.name}_peak_rss_mb ${mb(result.maxRssKb)}\n`);
    }
  } finally {
    await dynamo?.stop();
    await rm(dropRoot, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
