/**
 * The trail function beside the import, as the cloud runs it: a process of its own reading the table's
 * stream (DynamoDB Local's Streams API, through the local runtime's stream reader) and calling the real
 * trail handler, polling while the import runs. `--endpoint <url> --table <name>`; a line on stdin tells
 * it the import has ended: it reads the stream to its end, stops, and prints one line of JSON
 * ({@link TrailChildResult}) on stdout.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { shanghaiMonth } from '#domain/model.ts';
import { AUDITED_TYPES } from '#domain/trail.ts';
import { TRAIL_STREAM_PARALLELIZATION } from '#shared/limits.ts';
import { silentLogger } from '#shared/logger.ts';
import { createDocumentClient } from '#storage/client.ts';
import { GSI } from '#storage/table-definition.ts';
import { trailMonthPartitions } from '#storage/trail-store.ts';
import { createTrailHandler, entryOfRecord } from '../functions/trail/create-handler.ts';
import { createStreamConsumer, type StreamConsumer } from '../local/stream-reader.ts';

export interface TrailChildResult {
  /** Trail entries written (items of type `audit`). */
  readonly entries: number;
  /** Stream records handed to the handler (after the mapping's filter). */
  readonly records: number;
  readonly batches: number;
  /** Time in the handler, milliseconds. */
  readonly handlerMs: number;
  /** Epoch milliseconds when the last write of trail entries returned; 0 when none was written. */
  readonly lastWriteAt: number;
  /** Epoch milliseconds when the stream was found read to its end after the import ended. */
  readonly drainedAt: number;
  readonly maxRssKb: number;
}

const { values } = parseArgs({
  options: { endpoint: { type: 'string' }, table: { type: 'string' } },
});
const { endpoint, table } = values;
if (endpoint === undefined || table === undefined) {
  throw new Error('usage: trail-child.ts --endpoint <url> --table <name>');
}

const startedAt = Date.now();
const client = createDocumentClient({ endpoint });
const handler = createTrailHandler({ store: { client, tableName: table }, log: silentLogger });
const tally = { records: 0, batches: 0, handlerMs: 0, lastWriteAt: 0 };

const consumer: StreamConsumer = createStreamConsumer({
  endpoint,
  tableName: table,
  name: 'trail',
  types: AUDITED_TYPES,
  parallelization: TRAIL_STREAM_PARALLELIZATION,
  async handler(event) {
    const started = performance.now();
    const response = await handler(event);
    tally.handlerMs += performance.now() - started;
    tally.batches++;
    tally.records += event.Records.length;
    if (response.batchItemFailures.length === 0 && event.Records.some((record) => entryOfRecord(record)))
      tally.lastWriteAt = Date.now();
    return response;
  },
  log: (line) => process.stderr.write(`[trail] ${line}\n`),
});
consumer.start();

// the bench's word that the import has ended
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
lines.close();
// the background poll and this drain take turns: this one returns once the stream is read to its end
await consumer.drain();
const drainedAt = Date.now();
await consumer.stop();
const entries = await countTrailItems();
client.destroy();

/**
 * The trail entries in the table, counted through the month index (a query per shard and month), since
 * DynamoDB Local takes many minutes to scan a table of a 100 000-row import and its trail.
 */
async function countTrailItems(): Promise<number> {
  const months = [...new Set([shanghaiMonth(new Date(startedAt)), shanghaiMonth(new Date())])];
  let count = 0;
  for (const partition of months.flatMap(trailMonthPartitions)) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: table,
          IndexName: GSI.auditByMonth.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': GSI.auditByMonth.partitionKey },
          ExpressionAttributeValues: { ':pk': partition },
          Select: 'COUNT',
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
  }
  return count;
}

const result: TrailChildResult = { ...tally, entries, drainedAt, maxRssKb: process.resourceUsage().maxRSS };
process.stdout.write(`${JSON.stringify(result)}\n`);
