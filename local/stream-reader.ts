/**
 * Reads the table's stream from DynamoDB Local's Streams API and calls a stream handler the way
 * Lambda's event source mapping does: shard by shard in order (a parent before its children), batches
 * of at most `batchSize` records that pass the mapping's filter, partial batch responses (redeliver
 * from the first failed record), retries with backoff, and after `maxRetries` the batch's position
 * parked in the on-failure folder (the stack's on-failure queue) and reading goes on.
 * With a checkpoint file, a restart of `npm start` goes on where it stopped.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { localClient } from './dynamodb-local.ts';
import { lambdaStreamRecord, matchesTypeFilter } from './stream-event.ts';

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

export interface StreamConsumerOptions {
  readonly endpoint: string;
  readonly tableName: string;
  /** The consumer's name, for logs, checkpoints and parked batches. */
  readonly name: string;
  readonly handler: StreamHandler;
  /** Item types of the new image that reach the handler (the mapping's filter criteria). */
  readonly types: readonly string[];
  readonly batchSize?: number;
  readonly maxRetries?: number;
  /** Where progress is kept across restarts; in memory when absent. */
  readonly checkpointFile?: string;
  /** Where batches that kept failing are parked; logged only when absent. */
  readonly failureDir?: string;
  /** Wait between polls when caught up. */
  readonly idleMs?: number;
  readonly log: (line: string) => void;
}

export interface StreamConsumer {
  /** Reads until the stream has nothing more; resolves with the number of records handed on. */
  drain(): Promise<number>;
  /** Polls in the background until {@link stop}. */
  start(): void;
  stop(): Promise<void>;
}

interface Progress {
  streamArn?: string;
  /** Per shard: the last sequence number handled, or `done` for a closed shard read to its end. */
  shards: Record<string, string>;
}

const DONE = 'done';

export function createStreamConsumer(options: StreamConsumerOptions): StreamConsumer {
  const batchSize = options.batchSize ?? 100;
  const maxRetries = options.maxRetries ?? 5;
  const dynamo = localClient(options.endpoint);
  const streams = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  let progress: Progress | undefined;
  const iterators = new Map<string, string>();
  let running: Promise<void> | undefined;
  let stopped = false;
  let busy: Promise<number> | undefined;

  async function loadProgress(): Promise<Progress> {
    if (progress !== undefined) return progress;
    progress = { shards: {} };
    if (options.checkpointFile !== undefined) {
      try {
        progress = JSON.parse(await readFile(options.checkpointFile, 'utf8')) as Progress;
      } catch {
        // no checkpoint yet: start at the stream's beginning
      }
    }
    return progress;
  }

  async function saveProgress(): Promise<void> {
    if (options.checkpointFile === undefined || progress === undefined) return;
    await mkdir(dirname(options.checkpointFile), { recursive: true });
    const temporary = `${options.checkpointFile}.tmp`;
    await writeFile(temporary, JSON.stringify(progress));
    await rename(temporary, options.checkpointFile);
  }

  async function streamArn(): Promise<string | undefined> {
    const table = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
    return table.Table?.LatestStreamArn;
  }

  async function listShards(arn: string): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const page = await streams.send(
        new DescribeStreamCommand({
          StreamArn: arn,
          ...(start === undefined ? {} : { ExclusiveStartShardId: start }),
        }),
      );
      shards.push(...(page.StreamDescription?.Shards ?? []));
      start = page.StreamDescription?.LastEvaluatedShardId;
    } while (start !== undefined);
    return shards;
  }

  async function iteratorFor(
    arn: string,
    shardId: string,
    after: string | undefined,
  ): Promise<string | undefined> {
    const result = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: arn,
        ShardId: shardId,
        ...(after === undefined
          ? { ShardIteratorType: 'TRIM_HORIZON' }
          : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }),
      }),
    );
    return result.ShardIterator;
  }

  /** Hands records to the handler in batches; returns when all are handled or parked. */
  async function deliver(arn: string, shardId: string, records: DynamoDBRecord[], state: Progress) {
    let pending = records;
    let attempt = 0;
    while (pending.length > 0) {
      const batch = pending.slice(0, batchSize);
      const failedFrom = await invoke(batch);
      if (failedFrom === undefined) {
        pending = pending.slice(batch.length);
        attempt = 0;
        continue;
      }
      // records before the failed one are done; the rest of the batch is retried
      const index = Math.max(
        0,
        batch.findIndex((record) => record.dynamodb?.SequenceNumber === failedFrom),
      );
      pending = pending.slice(index);
      attempt++;
      if (attempt > maxRetries) {
        await park(arn, shardId, batch.slice(index));
        pending = pending.slice(batch.length - index);
        attempt = 0;
      } else {
        await sleep(Math.min(5_000, 100 * 2 ** attempt));
      }
    }
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    if (last !== undefined) state.shards[shardId] = last;
  }

  /** Calls the handler; the sequence number to redeliver from, or undefined when all went well. */
  async function invoke(batch: DynamoDBRecord[]): Promise<string | undefined> {
    try {
      const response = await options.handler({ Records: batch });
      const failure = response?.batchItemFailures?.[0]?.itemIdentifier;
      return failure === undefined ? undefined : failure;
    } catch (error) {
      options.log(`stream ${options.name}: the handler failed: ${(error as Error).message}`);
      return batch[0]?.dynamodb?.SequenceNumber ?? '';
    }
  }

  async function park(arn: string, shardId: string, batch: DynamoDBRecord[]) {
    const first = batch[0]?.dynamodb?.SequenceNumber ?? 'unknown';
    const last = batch.at(-1)?.dynamodb?.SequenceNumber ?? 'unknown';
    options.log(`stream ${options.name}: records ${first}..${last} kept failing; parked for a replay`);
    if (options.failureDir === undefined) return;
    await mkdir(options.failureDir, { recursive: true });
    await writeFile(
      join(options.failureDir, `${options.name}-${first}.json`),
      JSON.stringify({
        consumer: options.name,
        streamArn: arn,
        shardId,
        firstSequence: first,
        lastSequence: last,
      }),
    );
  }

  /** Reads one shard from where it stands until it has nothing more now. */
  async function readShard(arn: string, shard: Shard, state: Progress): Promise<number> {
    const shardId = shard.ShardId as string;
    let handed = 0;
    let iterator = iterators.get(shardId) ?? (await iteratorFor(arn, shardId, state.shards[shardId]));
    while (iterator !== undefined && !stopped) {
      let page;
      try {
        page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1_000 }));
      } catch (error) {
        if (!(error instanceof ExpiredIteratorException)) throw error;
        iterator = await iteratorFor(arn, shardId, state.shards[shardId]);
        continue;
      }
      const records = page.Records ?? [];
      const passing = records
        .map((record) => lambdaStreamRecord(record, arn))
        .filter((record) => matchesTypeFilter(record, options.types));
      if (passing.length > 0) await deliver(arn, shardId, passing, state);
      const last = records.at(-1)?.dynamodb?.SequenceNumber;
      if (last !== undefined) state.shards[shardId] = last;
      handed += passing.length;
      iterator = page.NextShardIterator;
      if (records.length === 0) break;
    }
    if (iterator === undefined) {
      state.shards[shardId] = DONE;
      iterators.delete(shardId);
    } else iterators.set(shardId, iterator);
    await saveProgress();
    return handed;
  }

  async function pollOnce(): Promise<number> {
    const arn = await streamArn();
    if (arn === undefined) return 0;
    const state = await loadProgress();
    if (state.streamArn !== arn) {
      state.streamArn = arn;
      state.shards = {};
      iterators.clear();
    }
    const shards = await listShards(arn);
    const known = new Set(shards.map((shard) => shard.ShardId));
    let handed = 0;
    for (const shard of shards) {
      if (state.shards[shard.ShardId as string] === DONE) continue;
      const parent = shard.ParentShardId;
      // a child waits for its parent, so a subject's changes arrive in order
      if (parent !== undefined && known.has(parent) && state.shards[parent] !== DONE) continue;
      handed += await readShard(arn, shard, state);
    }
    return handed;
  }

  async function drainOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const handed = await pollOnce();
      total += handed;
      if (handed === 0) return total;
    }
  }

  return {
    drain() {
      // one reader at a time: a drain during background polling waits for it
      const next: Promise<number> = (busy ?? Promise.resolve(0)).then(drainOnce, drainOnce);
      busy = next.catch(() => 0);
      return next;
    },
    start() {
      if (running !== undefined) return;
      stopped = false;
      running = (async () => {
        while (!stopped) {
          try {
            const handed = await this.drain();
            if (handed === 0) await sleep(options.idleMs ?? 250);
          } catch (error) {
            options.log(`stream ${options.name}: ${(error as Error).message}; retrying`);
            await sleep(1_000);
          }
        }
      })();
    },
    async stop() {
      stopped = true;
      await running;
      running = undefined;
      dynamo.destroy();
      streams.destroy();
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
