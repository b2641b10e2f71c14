/**
 * The whole system on one machine: DynamoDB Local with its data under `$LOCAL_DIR`, the HTTP API, the
 * drop folder and its queue, and the monthly schedule, each calling the same handler the cloud calls.
 */

import { loadSigningSecret } from './auth.ts';
import { createDropWatcher, type DropWatcher } from './drop-watcher.ts';
import {
  type DynamoLocalSettings,
  ensureTable,
  type SupervisedDynamoLocal,
  superviseDynamoLocal,
} from './dynamodb-local.ts';
import {
  applyLocalEnvironment,
  LOCAL_BUCKET_NAME,
  LOCAL_TABLE_NAME,
  type LocalRuntime,
} from './environment.ts';
import { loadHandler } from './handlers.ts';
import type { HttpApiEvent } from './http-event.ts';
import { type HttpHandler, type LocalHttpServer, startHttpServer } from './http-server.ts';
import { lambdaContext } from './lambda-context.ts';
import { ensureLocalFolders, type LocalPaths } from './paths.ts';
import { createImportQueue, type ImportQueue, type SqsHandler } from './queue.ts';
import {
  type RuntimeRecord,
  removeRuntimeRecord,
  removeRuntimeRecordSync,
  writeRuntimeRecord,
} from './runtime-file.ts';
import { type ScheduledEvaluation, startMonthlyScheduler } from './scheduler.ts';

export interface RuntimeOptions {
  readonly paths: LocalPaths;
  readonly port: number;
  readonly log: (line: string) => void;
  /** DynamoDB Local's heap and restarts (`dynamoLocalSettings()`). */
  readonly dynamo: DynamoLocalSettings;
  /**
   * DynamoDB Local kept dying: the runtime has stopped everything; the caller leaves (non-zero). Called
   * with the reason.
   */
  readonly onFatal: (error: Error) => void;
}

export interface RunningRuntime extends LocalRuntime {
  /** The Java child running now (it changes when DynamoDB Local is restarted). */
  readonly dynamoPid: number | undefined;
  /** Kills DynamoDB Local at once; for `process.on('exit')`, where nothing can be awaited. */
  killDynamoNow(): void;
  /** Stops everything, DynamoDB Local last, and removes runtime.json. */
  stop(): Promise<void>;
}

type EvaluateHandler = (
  event: ScheduledEvaluation,
  context: ReturnType<typeof lambdaContext>,
) => Promise<unknown>;

/** Starts every part; if one fails to start, what was started is stopped again. */
export async function startLocalRuntime(options: RuntimeOptions): Promise<RunningRuntime> {
  const { paths, port, log } = options;
  await ensureLocalFolders(paths);
  let record: RuntimeRecord | undefined;
  let stopOnce: Promise<void> | undefined;
  const dynamo = await superviseDynamoLocal({
    dbPath: paths.dynamodb,
    heap: options.dynamo.heap,
    maxRestarts: options.dynamo.maxRestarts,
    log,
    // runtime.json names the Java child, for a later start that finds it orphaned
    onRestart: (dynamoPid) => {
      if (record === undefined) return;
      record = { ...record, ...(dynamoPid === undefined ? {} : { dynamoPid }) };
      writeRuntimeRecord(paths.runtimeFile, record).catch((error: unknown) =>
        log(`runtime.json: could not record the new DynamoDB Local pid: ${(error as Error).message}`),
      );
    },
    onGiveUp: (error) => {
      log(`${error.message}\nstopping the runtime`);
      stopOnce ??= stopAll();
      const leave = () => options.onFatal(error);
      stopOnce.then(leave, leave);
    },
  });
  // A crash must not leave the Java child running nor a runtime.json that names a dead process.
  const onExit = () => {
    dynamo.killNow();
    removeRuntimeRecordSync(paths.runtimeFile);
  };
  process.on('exit', onExit);
  // In stopping order: stop accepting requests, then the background parts, DynamoDB Local last.
  const stops: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of stops) await Promise.resolve(stop()).catch(() => undefined);
    await dynamo.stop();
    await removeRuntimeRecord(paths.runtimeFile);
    process.off('exit', onExit);
  };
  try {
    await ensureTable(dynamo.endpoint, LOCAL_TABLE_NAME);
    applyLocalEnvironment({ paths, port, dynamoEndpoint: dynamo.endpoint });
    const handlers = await loadHandlers(log);
    const queue = createImportQueue({ queueDir: paths.queue, handler: handlers.importWorker, log });
    const watcher = createDropWatcher({
      dropDir: paths.dropbox,
      bucketName: LOCAL_BUCKET_NAME,
      enqueue: (body) => queue.enqueue(body),
      log,
    });
    const dynamoPid = dynamo.pid();
    record = {
      pid: process.pid,
      dynamoEndpoint: dynamo.endpoint,
      ...(dynamoPid === undefined ? {} : { dynamoPid }),
      port,
      startedAt: new Date().toISOString(),
    };
    await writeRuntimeRecord(paths.runtimeFile, record);
    const http = await startHttpServer({
      port,
      handlers: { api: handlers.api, exits: handlers.exits },
      jwtSecret: await loadSigningSecret(paths.jwtSecretFile),
      dropDir: paths.dropbox,
      log,
    });
    stops.push(() => http.close());
    startBackground(queue, watcher, handlers.importReady, log);
    const scheduler = startMonthlyScheduler({
      evaluate: (event) => handlers.evaluate(event, lambdaContext('evaluate', 15 * 60_000)),
      log,
    });
    stops.push(
      () => watcher.stop(),
      () => scheduler.stop(),
      () => withTimeout(queue.stop(), 5_000),
    );
    return runningRuntime(options, dynamo, http, queue, () => {
      stopOnce ??= stopAll();
      return stopOnce;
    });
  } catch (error) {
    stopOnce ??= stopAll();
    await stopOnce;
    throw error;
  }
}

function startBackground(
  queue: ImportQueue,
  watcher: DropWatcher,
  importReady: boolean,
  log: (line: string) => void,
) {
  if (importReady) queue.start();
  else log('import worker: functions/import/handler.ts is not written yet; dropped files wait in the queue');
  watcher.start();
}

function runningRuntime(
  options: RuntimeOptions,
  dynamo: SupervisedDynamoLocal,
  http: LocalHttpServer,
  queue: ImportQueue,
  stop: () => Promise<void>,
): RunningRuntime {
  return {
    paths: options.paths,
    port: http.port,
    baseUrl: http.url,
    dynamoEndpoint: dynamo.endpoint,
    get dynamoPid() {
      return dynamo.pid();
    },
    tableName: LOCAL_TABLE_NAME,
    bucketName: LOCAL_BUCKET_NAME,
    enqueueImport: (body) => queue.enqueue(body),
    log: options.log,
    killDynamoNow: () => dynamo.killNow(),
    stop,
  };
}

interface LoadedHandlers {
  readonly api: HttpHandler;
  readonly exits: HttpHandler;
  readonly importWorker: SqsHandler;
  readonly importReady: boolean;
  readonly evaluate: EvaluateHandler;
}

async function loadHandlers(log: (line: string) => void): Promise<LoadedHandlers> {
  const api = await loadHandler<HttpHandler>('api');
  const exits = await loadHandler<HttpHandler>('exits');
  const importWorker = await loadHandler<SqsHandler>('import');
  const evaluate = await loadHandler<EvaluateHandler>('evaluate');
  for (const [name, handler] of Object.entries({ api, exits, evaluate })) {
    if (handler === undefined)
      log(`${name}: functions/${name}/handler.ts is not written yet; its routes answer 501`);
  }
  return {
    api: api ?? missingHttpHandler('api'),
    exits: exits ?? missingHttpHandler('exits'),
    importWorker: importWorker ?? (() => Promise.reject(new Error('the import handler is not written yet'))),
    importReady: importWorker !== undefined,
    evaluate: evaluate ?? (() => Promise.reject(new Error('the evaluate handler is not written yet'))),
  };
}

function missingHttpHandler(name: string): HttpHandler {
  return async (event: HttpApiEvent) => ({
    statusCode: 501,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({
      type: 'about:blank',
      title: 'Not Implemented',
      status: 501,
      code: 'not-implemented',
      detail: `${event.routeKey}: functions/${name}/handler.ts is not written yet`,
    }),
  });
}

async function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([promise, timeout]);
  clearTimeout(timer);
}
