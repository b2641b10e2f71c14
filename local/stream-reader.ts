/**
 * Reads the table's stream from DynamoDB Local's Streams API and calls a stream handler the way
 * Lambda's event source mapping does: shard by shard in order (a parent before its children), batches
 * of at most `batchSize` records that pass the mapping's filter, partial batch responses (redeliver
 * from the first failed record), retries with backoff, and after `maxRetries` the batch's position
 * parked in the on-failure folder (the stack's on-failure queue) and reading goes on.
 * With a checkpoint file, a restart of `npm start` goes on where it stopped.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  type Shard,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { localClient } from './dynamodb-local.ts';
import { BatchDelivery, sleep } from './stream-delivery.ts';
import { lambdaStreamRecord, matchesTypeFilter } from './stream-event.ts';
import { ShardLanes } from './stream-lanes.ts';
import { DONE, type Progress, StreamProgress } from './stream-progress.ts';

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
  /**
   * Batches of a shard handed on at once, as the mapping's ParallelizationFactor: the records are split
   * by partition key into this many lanes, each in order. @default 1
   */
  readonly parallelization?: number;
  readonly maxRetries?: number;
  /** Where progress is kept across restarts; in memory when absent. */
  readonly checkpointFile?: string;
  /** Where batches that kept failing are parked; logged only when absent. */
  readonly failureDir?: string;
  /** Wait between polls when caught up. */
  readonly idleMs?: number;
  readonly log: (line: string) => void;
  /** The Streams client to read with; one for `endpoint` when absent (tests pass one that misbehaves). */
  readonly streams?: DynamoDBStreamsClient;
}

export interface StreamConsumer {
  /** Reads until the stream has nothing more; resolves with the number of records handed on. */
  drain(): Promise<number>;
  /** Polls in the background until {@link stop}. */
  start(): void;
  stop(): Promise<void>;
}

export function createStreamConsumer(options: StreamConsumerOptions): StreamConsumer {
  return new ShardReader(options);
}

/** The consumer: its clients, its place in the stream, and the background loop. */
class ShardReader implements StreamConsumer {
  private readonly delivery: BatchDelivery;
  private readonly dynamo: ReturnType<typeof localClient>;
  private readonly streams: DynamoDBStreamsClient;
  private readonly progress: StreamProgress;
  private running: Promise<void> | undefined;
  private stopped = false;
  private busy: Promise<number> = Promise.resolve(0);

  constructor(private readonly options: StreamConsumerOptions) {
    this.delivery = new BatchDelivery(options);
    this.progress = new StreamProgress(options.checkpointFile);
    this.dynamo = localClient(options.endpoint);
    this.streams =
      options.streams ??
      new DynamoDBStreamsClient({
        endpoint: options.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 3,
      });
  }

  drain(): Promise<number> {
    // one reader at a time: a drain during background polling waits for it
    const next = this.busy.then(
      () => this.drainOnce(),
      () => this.drainOnce(),
    );
    this.busy = next.catch(() => 0);
    return next;
  }

  start(): void {
    if (this.running !== undefined) return;
    this.stopped = false;
    this.running = this.poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    this.running = undefined;
    this.dynamo.destroy();
    this.streams.destroy();
  }

  private async poll(): Promise<void> {
    while (!this.stopped) {
      try {
        const handed = await this.drain();
        if (handed === 0) await sleep(this.options.idleMs ?? 250);
      } catch (error) {
        this.options.log(`stream ${this.options.name}: ${(error as Error).message}; retrying`);
        await sleep(1_000);
      }
    }
  }

  private async drainOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const handed = await this.pollOnce();
      total += handed;
      if (handed === 0) return total;
    }
  }

  /** Reads every shard that may be read now, parents before their children. */
  private async pollOnce(): Promise<number> {
    const arn = await this.streamArn();
    if (arn === undefined) return 0;
    const state = await this.progress.load();
    if (state.streamArn !== arn) {
      state.streamArn = arn;
      state.shards = {};
    }
    const shards = await this.listShards(arn);
    const known = new Set(shards.map((shard) => shard.ShardId));
    let handed = 0;
    for (const shard of shards) {
      if (state.shards[shard.ShardId as string] === DONE) continue;
      const parent = shard.ParentShardId;
      // a child waits for its parent, so an item's changes arrive in order
      if (parent !== undefined && known.has(parent) && state.shards[parent] !== DONE) continue;
      handed += await this.readShard(arn, shard.ShardId as string, state);
    }
    return handed;
  }

  /**
   * Reads one shard from where it stands until it has nothing more now, reading the next pages while
   * the current ones are delivered, their lanes each at its own pace (stream-lanes.ts), as Lambda's
   * poller does; the checkpoint moves past a page once it is delivered. DynamoDB Local may refuse an
   * iterator held across reads (TrimmedDataAccessException, "Invalid ShardId in ShardIterator")
   * although nothing was trimmed; a refused one is made again after the last page read.
   */
  private async readShard(arn: string, shardId: string, state: Progress): Promise<number> {
    let handed = 0;
    let refused = 0;
    // where the next page starts: after the last page read, which may still be being delivered
    let position = state.shards[shardId];
    let iterator = await this.iteratorFor(arn, shardId, position);
    let ahead = this.readAhead(shardId, iterator);
    const lanes = new ShardLanes(this.options.parallelization ?? 1, (records) =>
      this.delivery.deliver(arn, shardId, records),
    );
    const delivering: Promise<void>[] = [];
    try {
      while (ahead !== undefined && !this.stopped) {
        const page = await ahead;
        if (page === undefined) {
          if (++refused > MAX_REFUSED_ITERATORS) {
            throw new Error(`shard ${shardId} keeps refusing iterators after ${position ?? 'the start'}`);
          }
          iterator = await this.iteratorFor(arn, shardId, position);
          ahead = this.readAhead(shardId, iterator);
          continue;
        }
        iterator = page.next;
        ahead = page.records.length === 0 ? undefined : this.readAhead(shardId, iterator);
        const passing = page.records
          .map((record) => lambdaStreamRecord(record, arn))
          .filter((record) => matchesTypeFilter(record, this.options.types));
        const last = page.records.at(-1)?.dynamodb?.SequenceNumber;
        if (last !== undefined) position = last;
        // the checkpoint moves past a page once it and every page before it are delivered
        const delivered = lanes.page(passing).then(() => {
          if (last !== undefined) state.shards[shardId] = last;
        });
        delivered.catch(() => undefined);
        delivering.push(delivered);
        if (delivering.length >= PAGES_DELIVERING) await delivering.shift();
        handed += passing.length;
      }
      for (const delivered of delivering) await delivered;
    } finally {
      await lanes.settle();
    }
    // a shard with no next iterator is closed and read to its end
    if (iterator === undefined) state.shards[shardId] = DONE;
    await this.progress.save();
    return handed;
  }

  /**
   * The page at `iterator`, asked for now and awaited later; nothing when the shard is closed. A failed
   * read is kept for the await, and not reported as unhandled if the reader stops before it.
   */
  private readAhead(shardId: string, iterator: string | undefined) {
    if (iterator === undefined) return undefined;
    const page = this.records(shardId, iterator);
    page.catch(() => undefined);
    return page;
  }

  /** One page of a shard; undefined when DynamoDB refused the iterator and it must be made again. */
  private async records(shardId: string, iterator: string) {
    try {
      const page = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1_000 }));
      return { records: page.Records ?? [], next: page.NextShardIterator };
    } catch (error) {
      if (!isRefusedIterator(error)) throw error;
      this.options.log(
        `stream ${this.options.name}: ${shardId} refused its iterator (${(error as Error).name})`,
      );
      return undefined;
    }
  }

  private async streamArn(): Promise<string | undefined> {
    const table = await this.dynamo.send(new DescribeTableCommand({ TableName: this.options.tableName }));
    return table.Table?.LatestStreamArn;
  }

  private async listShards(arn: string): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const page = await this.streams.send(
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

  private async iteratorFor(
    arn: string,
    shardId: string,
    after: string | undefined,
  ): Promise<string | undefined> {
    const result = await this.streams.send(
      new GetShardIteratorCommand({
        StreamArn: arn,
        ShardId: shardId,
        ...(after === undefined || after === DONE
          ? { ShardIteratorType: 'TRIM_HORIZON' }
          : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }),
      }),
    );
    return result.ShardIterator;
  }
}

/** Iterators re-made for one shard in one read before the read gives up (the poll retries later). */
const MAX_REFUSED_ITERATORS = 5;
/**
 * Pages of a shard whose lanes may still be delivering when the next is read: the reader waits for the
 * oldest beyond it, so a slow handler holds at most this many pages and the one read ahead.
 */
export const PAGES_DELIVERING = 4;

/** An iterator DynamoDB will not read from: expired, or one DynamoDB Local wrongly calls trimmed or unknown. */
function isRefusedIterator(error: unknown): boolean {
  if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) return true;
  return error instanceof ResourceNotFoundException && /ShardIterator/i.test(error.message);
}
