/**
 * `npm run evaluate -- <yyyy-mm>`: runs the monthly evaluation for that month now, with the input a manual
 * run sends (`{ source: 'manual', month }`). Uses the DynamoDB Local of a running `npm start` on the same
 * `$LOCAL_DIR`, or starts one of its own on the same data for the length of the run.
 */
import { dynamoLocalSettings, ensureTable, startDynamoLocal } from './dynamodb-local.ts';
import { LOCAL_TABLE_NAME } from './environment.ts';
import { localEvaluateHandler, localStore } from './handlers.ts';
import { JavaUnavailableError, requireJava } from './java.ts';
import { lambdaContext } from './lambda-context.ts';
import { ensureLocalFolders, localPaths, resolveLocalDir } from './paths.ts';
import { isProcessAlive, readRuntimeRecord } from './runtime-file.ts';

const USAGE = 'usage: npm run evaluate -- <yyyy-mm>';

/** The input of a manual run. */
export interface ManualEvaluation {
  readonly source: 'manual';
  readonly month: string;
}

/** `yyyy-mm` with a real month, or undefined. */
export function parseMonth(text: string | undefined): string | undefined {
  return text !== undefined && /^\d{4}-(0[1-9]|1[0-2])$/.test(text) ? text : undefined;
}

/** The month to evaluate, or what to print and exit with when the arguments are not one month. */
export function parseArguments(
  args: readonly string[],
): { readonly month: string } | { readonly exitCode: 2; readonly stderr: string } {
  const [text, ...extra] = args;
  if (text === undefined || extra.length > 0) return { exitCode: 2, stderr: `${USAGE}\n` };
  const month = parseMonth(text);
  if (month === undefined) {
    return {
      exitCode: 2,
      stderr:
        `月份无效：${text}，应为 yyyy-mm，月份 01–12\n` +
        `invalid month: ${text}; expected yyyy-mm with a month from 01 to 12\n${USAGE}\n`,
    };
  }
  return { month };
}

/** What the command prints and exits with for the handler's outcome. */
export function outcomeOf(result: { value: unknown } | { error: unknown }): {
  exitCode: number;
  stdout?: string;
  stderr?: string;
} {
  if ('value' in result) return { exitCode: 0, stdout: `${JSON.stringify(result.value ?? null, null, 2)}\n` };
  const error = result.error as { status?: unknown; message?: unknown; stack?: unknown };
  if (error?.status === 501) return { exitCode: 3, stderr: 'evaluation: not implemented yet\n' };
  // A month that cannot be evaluated (not ended yet): the reason, as for a month that is not yyyy-mm.
  if (error?.status === 400) return { exitCode: 2, stderr: `${String(error.message)}\n` };
  return { exitCode: 1, stderr: `evaluation failed: ${String(error?.stack ?? error?.message ?? error)}\n` };
}

async function main(): Promise<number> {
  const parsed = parseArguments(process.argv.slice(2));
  if (!('month' in parsed)) {
    process.stderr.write(parsed.stderr);
    return parsed.exitCode;
  }
  const { month } = parsed;
  const paths = localPaths(resolveLocalDir());
  const running = await readRuntimeRecord(paths.runtimeFile);
  const borrowed = running !== undefined && isProcessAlive(running.pid) ? running : undefined;
  if (borrowed === undefined) requireJava();
  await ensureLocalFolders(paths);
  const own =
    borrowed === undefined
      ? await startDynamoLocal({ dbPath: paths.dynamodb, heap: dynamoLocalSettings().heap })
      : undefined;
  process.on('exit', () => own?.process.kill('SIGKILL'));
  try {
    const dynamoEndpoint = borrowed?.dynamoEndpoint ?? own?.endpoint ?? '';
    if (own !== undefined) await ensureTable(dynamoEndpoint, LOCAL_TABLE_NAME);
    const handler = localEvaluateHandler(localStore(dynamoEndpoint), paths);
    const event: ManualEvaluation = { source: 'manual', month };
    return report(
      await handler(event, lambdaContext('evaluate', 15 * 60_000)).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
    );
  } finally {
    await own?.stop();
  }
}

function report(result: { value: unknown } | { error: unknown }): number {
  const outcome = outcomeOf(result);
  if (outcome.stdout !== undefined) process.stdout.write(outcome.stdout);
  if (outcome.stderr !== undefined) process.stderr.write(outcome.stderr);
  return outcome.exitCode;
}

if (import.meta.main) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof JavaUnavailableError) process.stderr.write(`evaluate failed: ${error.message}\n`);
      else process.stderr.write(`evaluate failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
