/**
 * The trail function beside the import, as the cloud runs it: a process of its own reading the table's
 * stream (DynamoDB Local's Streams API, through the local runtime's stream reader) and calling the real
 * trail handler, polling while the import runs. `--endpoint <url> --table <name>`; a line on stdin tells
 * it the import has ended: it reads the stream to its end, stops, and prints one line of JSON
 * ({@link TrailChildResult}) on stdout.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { AUDITED_TYPES } from '#domain/trail.ts';
import { silentLogger } from '#shared/logger.ts';
import { createDocumentClient } from '#storage/client.ts';
import { ITEM_TYPES } from '#storage/keys.ts';
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

const client = createDocumentClient({ endpoint });
const handler = createTrailHandler({ store: { client, tableName: table }, log: silentLogger });
const tally = { records: 0, batches: 0, handlerMs: 0, lastWriteAt: 0 };

/**
 * DynamoDB Local sometimes answers GetRecords on a held shard iterator with TrimmedDataAccessException
 * ("read past the oldest stream record"), which the stream reader does not recover from (it keeps the
 * iterator); a new reader from the checkpoint file gets fresh iterators. Entries are counted from the
 * table at the end, since a record may then be handed on twice (its entry is the same item).
 */
const TRIMMED = 'read past the oldest stream record';
const checkpointFile = join(await mkdtemp(join(tmpdir(), 'bench-trail-')), 'trail.json');
let restarts = 0;
let restarting: Promise<void> | undefined;

function makeConsumer(): StreamConsumer {
  return createStreamConsumer({
    endpoint: endpoint as string,
    tableName: table as string,
    name: 'trail',
    types: AUDITED_TYPES,
    checkpointFile,
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
    log(line) {
      if (line.includes(TRIMMED)) restarting ??= restart(true);
      else process.stderr.write(`[trail] ${line}\n`);
    },
  });
}

let consumer = makeConsumer();
async function restart(background: boolean): Promise<void> {
  restarts++;
  const old = consumer;
  consumer = makeConsumer();
  await old.stop();
  if (background) consumer.start();
  restarting = undefined;
}
consumer.start();

// the bench's word that the import has ended
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
lines.close();
await restarting;
await restart(false);
for (;;) {
  try {
    await consumer.drain();
    break;
  } catch (error) {
    if (!(error as Error).message.includes(TRIMMED)) throw error;
    await restart(false);
  }
}
const drainedAt = Date.now();
await consumer.stop();
const entries = await countTrailItems();
client.destroy();
process.stderr.write(`[trail] ${restarts} reader restarts\n`);

async function countTrailItems(): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        Select: 'COUNT',
        FilterExpression: '#type = :audit',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':audit': ITEM_TYPES.audit },
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return count;
}

const result: TrailChildResult = { ...tally, entries, drainedAt, maxRssKb: process.resourceUsage().maxRSS };
process.stdout.write(`${JSON.stringify(result)}\n`);
