/**
 * How the event source mapping hands a shard's records to a function: batches of at most `batchSize`,
 * a partial batch response redelivers from the first failed record, retries with backoff, and after
 * `maxRetries` the batch's position is parked in the on-failure folder (the stack's on-failure queue)
 * and reading goes on.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamConsumerOptions } from './stream-reader.ts';

type DeliveryOptions = Pick<
  StreamConsumerOptions,
  'name' | 'handler' | 'batchSize' | 'maxRetries' | 'failureDir' | 'log'
>;

export class BatchDelivery {
  private readonly batchSize: number;
  private readonly maxRetries: number;

  constructor(private readonly options: DeliveryOptions) {
    this.batchSize = options.batchSize ?? 100;
    this.maxRetries = options.maxRetries ?? 5;
  }

  /** Hands records to the handler in batches; returns when all are handled or parked. */
  async deliver(arn: string, shardId: string, records: DynamoDBRecord[]): Promise<void> {
    let pending = records;
    let attempt = 0;
    while (pending.length > 0) {
      const batch = pending.slice(0, this.batchSize);
      const failedFrom = await this.invoke(batch);
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
      if (attempt <= this.maxRetries) {
        await sleep(Math.min(5_000, 100 * 2 ** attempt));
        continue;
      }
      await this.park(arn, shardId, batch.slice(index));
      pending = pending.slice(batch.length - index);
      attempt = 0;
    }
  }

  /** Calls the handler; the sequence number to redeliver from, or undefined when all went well. */
  private async invoke(batch: DynamoDBRecord[]): Promise<string | undefined> {
    try {
      const response = await this.options.handler({ Records: batch });
      return response?.batchItemFailures?.[0]?.itemIdentifier;
    } catch (error) {
      this.options.log(`stream ${this.options.name}: the handler failed: ${(error as Error).message}`);
      return batch[0]?.dynamodb?.SequenceNumber ?? '';
    }
  }

  /** A batch that kept failing: its position goes to the failure folder (the on-failure queue). */
  private async park(arn: string, shardId: string, batch: DynamoDBRecord[]): Promise<void> {
    const first = batch[0]?.dynamodb?.SequenceNumber ?? 'unknown';
    const last = batch.at(-1)?.dynamodb?.SequenceNumber ?? 'unknown';
    this.options.log(
      `stream ${this.options.name}: records ${first}..${last} kept failing; parked for a replay`,
    );
    if (this.options.failureDir === undefined) return;
    await mkdir(this.options.failureDir, { recursive: true });
    const position = {
      consumer: this.options.name,
      streamArn: arn,
      shardId,
      firstSequence: first,
      lastSequence: last,
    };
    await writeFile(
      join(this.options.failureDir, `${this.options.name}-${first}.json`),
      JSON.stringify(position),
    );
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
