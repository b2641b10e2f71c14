/**
 * The whole system on one machine: DynamoDB Local with its data under `$LOCAL_DIR`, the HTTP API, the
 * drop folder and its queue, and the monthly schedule, each calling the same handler the cloud calls.
 */

import { join } from 'node:path';
import { AUDITED_TYPES } from '#domain/trail.ts';
import { deriveUploadKey } from './adapters/upload-url.ts';
import { loadSigningSecret } from './auth.ts';
import { createDropWatcher } from './drop-watcher.ts';
import {
  type DynamoLocalSettings,
  ensureTable,
  type SupervisedDynamoLocal,
  superviseDynamoLocal,
} from './dynamodb-local.ts';
import { LOCAL_BUCKET_NAME, LOCAL_TABLE_NAME, type LocalRuntime } from './environment.ts';
import { createLocalHandlers } from './handlers.ts';
import { type LocalHttpServer, startHttpServer } from './http-server.ts';
import { lambdaContext } from './lambda-context.ts';
import { ensureLocalFolders, type LocalPaths } from './paths.ts';
import { createImportQueue, type ImportQueue } from './queue.ts';
import {
  type RuntimeRecord,
  removeRuntimeRecord,
  removeRuntimeRecordSync,
  writeRuntimeRecord,
} from './runtime-file.ts';
import { startMonthlyScheduler } from './scheduler.ts';
import { createStreamConsumer } from './stream-reader.ts';

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
    const jwtSecret = await loadSigningSecret(paths.jwtSecretFile);
    // Upload URLs are signed here and checked by the server; the key never leaves this process.
    const uploadKey = deriveUploadKey(jwtSecret);
    const handlers = createLocalHandlers({
      paths,
      baseUrl: `http://127.0.0.1:${port}`,
      dynamoEndpoint: dynamo.endpoint,
      uploadKey,
    });
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
      jwtSecret,
      dropDir: paths.dropbox,
      uploadKey,
      log,
    });
    stops.push(() => http.close());
    // the table's stream, read as Lambda's event source mapping reads it, feeds the trail
    const trail = createStreamConsumer({
      endpoint: dynamo.endpoint,
      tableName: LOCAL_TABLE_NAME,
      name: 'trail',
      types: AUDITED_TYPES,
      handler: handlers.trail,
      checkpointFile: join(paths.root, 'stream', 'trail.json'),
      failureDir: join(paths.queue, 'stream-failed'),
      log,
    });
    queue.start();
    watcher.start();
    trail.start();
    stops.push(() => withTimeout(trail.stop(), 5_000));
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

async function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([promise, timeout]);
  clearTimeout(timer);
}
