/**
 * Triage of a test table as the cloud runs it: the table's stream read from DynamoDB Local by the local
 * runtime's stream reader and handed to the classify handler as DynamoDB stream events.
 */
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { silentLogger } from '#shared/logger.ts';
import type { Clock, StoreDeps } from '#storage/subject-store.ts';
import { createClassifyHandler } from '../../functions/classify/create-handler.ts';
import { TRIAGE_STREAM_TYPES } from '../../functions/classify/stream-records.ts';
import { createStreamConsumer, type StreamConsumer } from '../../local/stream-reader.ts';
import type { TestTable } from './dynamo.ts';

export interface TriageReader {
  readonly deps: StoreDeps;
  /** The classify handler, for scheduled events. */
  readonly handler: ReturnType<typeof createClassifyHandler>;
  /** Reads the stream until it has nothing more (slices of runs included); records handed on. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

/** One reader per table: it keeps its place in the stream between drains. */
export function triageReader(table: TestTable, clock: Clock = { now: () => new Date() }): TriageReader {
  const deps: StoreDeps = { client: table.documentClient, tableName: table.tableName, clock };
  const handler = createClassifyHandler({ store: deps, log: silentLogger });
  const consumer: StreamConsumer = createStreamConsumer({
    endpoint: table.endpoint,
    tableName: table.tableName,
    name: 'triage',
    types: TRIAGE_STREAM_TYPES,
    handler: (event) => handler(event) as Promise<DynamoDBBatchResponse>,
    maxRetries: 3,
    log: () => undefined,
  });
  return {
    deps,
    handler,
    async drain() {
      // a run's slice writes its next position, which the next read delivers: read until quiet
      let total = 0;
      for (let records = await consumer.drain(); records > 0; records = await consumer.drain())
        total += records;
      return total;
    },
    stop: () => consumer.stop(),
  };
}
