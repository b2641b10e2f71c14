/**
 * `npm start [-- --demo]`: the whole system on this machine until Ctrl-C. See README.md for the
 * local contract (`PORT`, `LOCAL_DIR`, the drop folder, the token and evaluate commands).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { IMPORT_SOURCES } from '#shared/import-receipt.ts';
import { dynamoLocalSettings } from './dynamodb-local.ts';
import type { LocalRuntime } from './environment.ts';
import { JavaUnavailableError, requireJava } from './java.ts';
import { type LocalPaths, localPaths, resolveLocalDir, resolvePort } from './paths.ts';
import { type RunningRuntime, startLocalRuntime } from './runtime.ts';
import { isOrphanedDynamoLocal, isProcessAlive, readRuntimeRecord } from './runtime-file.ts';

const DEMO_MODULE = new URL('./demo.ts', import.meta.url);

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

/** Refuses a second runtime on the same folder; clears up after one that died without stopping. */
async function claimLocalDir(paths: LocalPaths): Promise<boolean> {
  const previous = await readRuntimeRecord(paths.runtimeFile);
  if (previous === undefined) return true;
  if (isProcessAlive(previous.pid)) {
    process.stderr.write(
      `The local runtime already runs on ${paths.root} (pid ${previous.pid}, http://127.0.0.1:${previous.port}).\n` +
        `Stop it with Ctrl-C in its terminal or: kill -TERM ${previous.pid}\n`,
    );
    return false;
  }
  if (previous.dynamoPid !== undefined && isOrphanedDynamoLocal(previous.dynamoPid)) {
    log(`a previous run died without stopping DynamoDB Local (pid ${previous.dynamoPid}); stopping it`);
    process.kill(previous.dynamoPid, 'SIGTERM');
    for (let waited = 0; waited < 5_000 && isProcessAlive(previous.dynamoPid); waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (isProcessAlive(previous.dynamoPid)) process.kill(previous.dynamoPid, 'SIGKILL');
  }
  return true;
}

/** Loads the demo city; answers the lines to print after the banner (what to open first). */
async function loadDemo(runtime: LocalRuntime): Promise<string[]> {
  if (!existsSync(fileURLToPath(DEMO_MODULE))) {
    log('demo: the demo city is not here yet (it arrives with the evaluation issue); starting without it');
    return [];
  }
  const demo = (await import(DEMO_MODULE.href)) as { loadDemo?: (runtime: LocalRuntime) => Promise<unknown> };
  if (typeof demo.loadDemo !== 'function') throw new Error('local/demo.ts exports no loadDemo');
  log('demo: loading the demo city');
  const lines = await demo.loadDemo(runtime);
  log('demo: loaded');
  return Array.isArray(lines) ? lines.map(String) : [];
}

/** A USCC that passes both checks, for the banner's example call. */
const EXAMPLE_USCC = '914403001922038216';

/** What the banner prints; it suggests only routes that are served (not 501). */
export function bannerLines(
  runtime: Pick<RunningRuntime, 'baseUrl' | 'paths' | 'dynamoEndpoint'>,
  sources: readonly string[],
): string[] {
  const auth = 'curl -H "Authorization: Bearer $TOKEN"';
  return [
    '',
    `credit-governance runs locally on ${runtime.baseUrl}`,
    `  health:      curl ${runtime.baseUrl}/health`,
    `  API:         curl ${runtime.baseUrl}/openapi.json`,
    `  token:       TOKEN=$(npm run -s token -- city)   (roles: city, district --district CODE,`,
    '               department --department NAME, consumer)',
    `  call:        ${auth} ${runtime.baseUrl}/subjects/${EXAMPLE_USCC}`,
    `               ${auth} ${runtime.baseUrl}/imports`,
    `  drop folder: ${runtime.paths.incoming}/<source>/   (${sources.join(', ')})`,
    '  evaluate:    npm run evaluate -- <yyyy-mm>',
    `  data:        ${runtime.paths.root}   DynamoDB Local on ${runtime.dynamoEndpoint}`,
    'Ctrl-C stops everything.',
    '',
  ];
}

function printBanner(runtime: RunningRuntime): void {
  process.stdout.write(bannerLines(runtime, IMPORT_SOURCES).join('\n'));
}

/**
 * Stops on SIGINT, SIGTERM and SIGHUP. A signal during start-up leaves at once (the exit hook kills
 * DynamoDB Local); a second signal while stopping kills DynamoDB Local and leaves.
 */
function stopOnSignals(current: () => RunningRuntime | undefined): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    const runtime = current();
    if (runtime === undefined) {
      log(`${signal} while starting: leaving`);
      process.exit(1);
    }
    if (stopping) {
      runtime.killDynamoNow();
      process.exit(1);
    }
    stopping = true;
    log(`${signal}: stopping`);
    runtime.stop().then(
      () => {
        log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log(`stopping failed: ${(error as Error).message}`);
        runtime.killDynamoNow();
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
}

async function main(): Promise<void> {
  let demo: boolean;
  try {
    demo = parseArgs({ options: { demo: { type: 'boolean', default: false } } }).values.demo === true;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nusage: npm start [-- --demo]\n`);
    process.exit(2);
  }
  // Before anything else: without Java, DynamoDB Local would never answer and say nothing of why.
  requireJava();
  const paths = localPaths(resolveLocalDir());
  const port = resolvePort();
  const dynamo = dynamoLocalSettings();
  if (!(await claimLocalDir(paths))) process.exit(1);
  let runtime: RunningRuntime | undefined;
  stopOnSignals(() => runtime);
  log(`starting DynamoDB Local on ${paths.dynamodb} (Java 17+, heap ${dynamo.heap})`);
  runtime = await startLocalRuntime({ paths, port, log, dynamo, onFatal: leaveAfterFatal });
  const demoLines = demo ? await loadDemo(runtime) : [];
  printBanner(runtime);
  if (demoLines.length > 0) process.stdout.write(`${demoLines.join('\n')}\n`);
}

/** The runtime stopped itself (DynamoDB Local kept dying): say why and leave non-zero. */
function leaveAfterFatal(error: Error): void {
  process.stderr.write(
    `npm start stopped: ${error.message}\n` +
      'DynamoDB Local kept dying; its data stays under the data folder. Check memory and disk space ' +
      '(DYNAMODB_LOCAL_HEAP sets its heap), then run npm start again.\n',
  );
  process.exit(1);
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    // the demo refused a data folder that holds data: its message says why and what to do
    if (error instanceof JavaUnavailableError || (error as Error).name === 'DemoRefusedError') {
      process.stderr.write(`npm start failed: ${(error as Error).message}\n`);
      process.exit(1);
    }
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(
        `npm start failed: port ${resolvePort()} is in use; choose another with PORT=<port>\n`,
      );
      process.exit(1);
    }
    process.stderr.write(`npm start failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
