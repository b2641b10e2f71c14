/**
 * The whole system on one machine: DynamoDB Local with its data under `$LOCAL_DIR`, the HTTP API, the
 * drop folder and its queue, and the monthly schedule, each calling the same handler the cloud calls.
 */

import { join } from 'node:path';
import { AUDITED_TYPES } from '#domain/trail.ts';
import { TRAIL_STREAM_PARALLELIZATION } from '#shared/limits.ts';
import { TRIAGE_STREAM_TYPES } from '../functions/classify/stream-records.ts';
import { deriveUploadKey } from './adapters/upload-url.ts';
import { loadSigningSecret } from './auth.ts';
import { createDropWatcher, type DropWatcher } from './drop-watcher.ts';
import {
  type DynamoLocalSettings,
  ensureTable,
  type SupervisedDynamoLocal,
  superviseDynamoLocal,
} from './dynamodb-local.ts';
import { LOCAL_BUCKET_NAME, LOCAL_TABLE_NAME, type LocalRuntime } from './environment.ts';
import { externalIssuerFromEnv, externalTokenVerifier } from './external-issuer.ts';
import { createLocalHandlers, type LocalHandlers } from './handlers.ts';
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
import { startDailyScheduler, startMonthlyScheduler } from './scheduler.ts';
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
  /** The console's built files, when not console/dist (tests serve a copy a rebuild cannot pull away). */
  readonly consoleDir?: string;
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
  await ensureLocalFolders(options.paths);
  return new RuntimeAssembly(options).start();
}

/** What the runtime builds before anything listens: the handlers and the queue and watcher they feed. */
interface RuntimeParts {
  readonly handlers: LocalHandlers;
  readonly jwtSecret: Uint8Array;
  readonly uploadKey: Uint8Array;
  readonly queue: ImportQueue;
  readonly watcher: DropWatcher;
}

/** The start in named steps, and the stops it collects on the way, run once when the runtime stops. */
class RuntimeAssembly {
  private record: RuntimeRecord | undefined;
  private stopping: Promise<void> | undefined;
  /** In stopping order: stop accepting requests, then the background parts, DynamoDB Local last. */
  private readonly stops: (() => Promise<void> | void)[] = [];
  private dynamo: SupervisedDynamoLocal | undefined;

  constructor(private readonly options: RuntimeOptions) {}

  async start(): Promise<RunningRuntime> {
    const dynamo = await this.startDatabase();
    try {
      const parts = await this.buildParts(dynamo);
      await this.recordRuntime(dynamo);
      const http = await this.startHttp(parts);
      this.startBackground(dynamo, parts);
      return runningRuntime(this.options, dynamo, http, parts.queue, () => this.stop());
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Stops everything once, however many callers ask. */
  private stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    for (const stop of this.stops) await Promise.resolve(stop()).catch(() => undefined);
    await this.dynamo?.stop();
    await removeRuntimeRecord(this.options.paths.runtimeFile);
    process.off('exit', this.onExit);
  }

  /** A crash must not leave the Java child running nor a runtime.json that names a dead process. */
  private readonly onExit = (): void => {
    this.dynamo?.killNow();
    removeRuntimeRecordSync(this.options.paths.runtimeFile);
  };

  /** DynamoDB Local under supervision: restarted when it dies, the whole runtime stopped when it keeps dying. */
  private async startDatabase(): Promise<SupervisedDynamoLocal> {
    const { paths, log } = this.options;
    this.dynamo = await superviseDynamoLocal({
      dbPath: paths.dynamodb,
      heap: this.options.dynamo.heap,
      maxRestarts: this.options.dynamo.maxRestarts,
      log,
      onRestart: (dynamoPid) => this.recordRestart(dynamoPid),
      onGiveUp: (error) => {
        log(`${error.message}\nstopping the runtime`);
        const leave = () => this.options.onFatal(error);
        this.stop().then(leave, leave);
      },
    });
    process.on('exit', this.onExit);
    return this.dynamo;
  }

  /** runtime.json names the Java child, for a later start that finds it orphaned. */
  private recordRestart(dynamoPid: number | undefined): void {
    if (this.record === undefined) return;
    this.record = { ...this.record, ...(dynamoPid === undefined ? {} : { dynamoPid }) };
    writeRuntimeRecord(this.options.paths.runtimeFile, this.record).catch((error: unknown) =>
      this.options.log(
        `runtime.json: could not record the new DynamoDB Local pid: ${(error as Error).message}`,
      ),
    );
  }

  private async buildParts(dynamo: SupervisedDynamoLocal): Promise<RuntimeParts> {
    const { paths, port, log } = this.options;
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
    return { handlers, jwtSecret, uploadKey, queue, watcher };
  }

  private async recordRuntime(dynamo: SupervisedDynamoLocal): Promise<void> {
    const dynamoPid = dynamo.pid();
    this.record = {
      pid: process.pid,
      dynamoEndpoint: dynamo.endpoint,
      ...(dynamoPid === undefined ? {} : { dynamoPid }),
      port: this.options.port,
      startedAt: new Date().toISOString(),
    };
    await writeRuntimeRecord(this.options.paths.runtimeFile, this.record);
  }

  private async startHttp(parts: RuntimeParts): Promise<LocalHttpServer> {
    const { handlers, jwtSecret, uploadKey } = parts;
    // JWT_ISSUER stands in for the stack's jwtIssuer: then only that issuer's tokens are accepted
    const issuer = externalIssuerFromEnv(process.env);
    if (issuer !== undefined) this.options.log(`tokens: only those of ${issuer.issuer} (JWT_ISSUER)`);
    const http = await startHttpServer({
      port: this.options.port,
      handlers: { api: handlers.api, exits: handlers.exits },
      jwtSecret,
      ...(issuer === undefined ? {} : { verifyToken: externalTokenVerifier(issuer) }),
      dropDir: this.options.paths.dropbox,
      uploadKey,
      log: this.options.log,
      ...(this.options.consoleDir === undefined ? {} : { consoleDir: this.options.consoleDir }),
    });
    this.stops.push(() => http.close());
    return http;
  }

  /** The queue, the drop watcher, the stream readers (trail, triage), the monthly and daily schedules. */
  private startBackground(dynamo: SupervisedDynamoLocal, parts: RuntimeParts): void {
    const { paths, log } = this.options;
    const { handlers, queue, watcher } = parts;
    // the table's stream, read as Lambda's event source mapping reads it, feeds the trail
    const trail = createStreamConsumer({
      endpoint: dynamo.endpoint,
      tableName: LOCAL_TABLE_NAME,
      name: 'trail',
      types: AUDITED_TYPES,
      handler: handlers.trail,
      parallelization: TRAIL_STREAM_PARALLELIZATION,
      checkpointFile: join(paths.root, 'stream', 'trail.json'),
      failureDir: join(paths.queue, 'stream-failed'),
      log,
    });
    // and triage, on a mapping of its own (its own position, filter and failures), as in the stack
    const triage = createStreamConsumer({
      endpoint: dynamo.endpoint,
      tableName: LOCAL_TABLE_NAME,
      name: 'triage',
      types: TRIAGE_STREAM_TYPES,
      handler: handlers.classify,
      checkpointFile: join(paths.root, 'stream', 'triage.json'),
      failureDir: join(paths.queue, 'stream-failed'),
      log,
    });
    queue.start();
    watcher.start();
    trail.start();
    triage.start();
    this.stops.push(
      () => withTimeout(trail.stop(), 5_000),
      () => withTimeout(triage.stop(), 5_000),
    );
    const scheduler = startMonthlyScheduler({
      evaluate: (event) => handlers.evaluate(event, lambdaContext('evaluate', 15 * 60_000)),
      log,
    });
    const daily = startDailyScheduler({ triage: (event) => handlers.dailyTriage(event), log });
    this.stops.push(
      () => watcher.stop(),
      () => scheduler.stop(),
      () => daily.stop(),
      () => withTimeout(queue.stop(), 5_000),
    );
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
