/**
 * The trail of a test table, as the cloud writes it: the table's stream read from DynamoDB Local by the
 * local runtime's stream reader and handed to the trail handler as DynamoDB stream events.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { AUDITED_TYPES } from '#domain/trail.ts';
import { TRAIL_STREAM_PARALLELIZATION } from '#shared/limits.ts';
import { silentLogger } from '#shared/logger.ts';
import { ITEM_TYPES } from '#storage/keys.ts';
import { subjectTrail } from '#storage/trail-store.ts';
import { createTrailHandler } from '../../functions/trail/create-handler.ts';
import { createStreamConsumer, type StreamConsumer, type StreamHandler } from '../../local/stream-reader.ts';
import type { TestTable } from './dynamo.ts';

export interface TrailReader {
  /** Reads the stream until it has nothing more, writing the trail; the number of records handed on. */
  drain(): Promise<number>;
  /** A subject's trail entries, newest first, after a drain. */
  history(uscc: string): Promise<Awaited<ReturnType<typeof subjectTrail>>['entries']>;
  stop(): Promise<void>;
}

export function trailHandlerOf(table: TestTable) {
  return createTrailHandler({
    store: { client: table.documentClient, tableName: table.tableName },
    log: silentLogger,
  });
}

/** One reader per table: it keeps its place in the stream between drains. */
export function trailReader(table: TestTable, handler: StreamHandler = trailHandlerOf(table)): TrailReader {
  const consumer: StreamConsumer = createStreamConsumer({
    endpoint: table.endpoint,
    tableName: table.tableName,
    name: 'trail',
    types: AUDITED_TYPES,
    handler,
    // as the stack and the runtime run it: batches of a shard in lanes by partition key
    parallelization: TRAIL_STREAM_PARALLELIZATION,
    maxRetries: 3,
    log: () => undefined,
  });
  return {
    drain: () => consumer.drain(),
    async history(uscc) {
      await consumer.drain();
      const page = await subjectTrail({ client: table.documentClient, tableName: table.tableName }, uscc, {
        limit: 1_000,
      });
      return page.entries;
    },
    stop: () => consumer.stop(),
  };
}

/** Every item of the table of the given types (a scan: tests only). */
async function itemsOfTypes(table: TestTable, types: readonly string[]): Promise<Record<string, unknown>[]> {
  const names = types.map((_, index) => `:t${index}`);
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.documentClient.send(
      new ScanCommand({
        TableName: table.tableName,
        FilterExpression: `#type IN (${names.join(', ')})`,
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: Object.fromEntries(types.map((type, index) => [`:t${index}`, type])),
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/** Every trail entry of the table (a scan: tests only). */
export function allTrailEntries(table: TestTable): Promise<Record<string, unknown>[]> {
  return itemsOfTypes(table, [ITEM_TYPES.audit]);
}

/**
 * Holds the trail to the committed data after an import of new listings (where every write of an item
 * changes a fact): each subject and listing has exactly one entry per version it went through, no
 * entry for a version it never reached (a change that did not commit), and none twice.
 */
export async function expectOneEntryPerCommittedChange(
  table: TestTable,
  expect: (value: unknown) => { toEqual(expected: unknown): void },
): Promise<{ items: number; entries: number }> {
  const reader = trailReader(table);
  await reader.drain();
  await reader.stop();
  const items = await itemsOfTypes(table, [ITEM_TYPES.subject, ITEM_TYPES.listing]);
  const entries = (await allTrailEntries(table)).filter(
    (entry) => entry.itemType === ITEM_TYPES.subject || entry.itemType === ITEM_TYPES.listing,
  );
  const versionsByItem = new Map<string, number[]>();
  for (const entry of entries) {
    const key = entry.itemKey as { PK: string; SK: string };
    const id = `${key.PK}|${key.SK}`;
    versionsByItem.set(id, [...(versionsByItem.get(id) ?? []), Number(entry.version)]);
  }
  const found = [...versionsByItem.entries()]
    .map(([id, versions]) => [id, [...versions].sort((a, b) => a - b)] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  const wanted = items
    .map((item) => {
      const id = `${String(item.PK)}|${String(item.SK)}`;
      return [id, Array.from({ length: Number(item.version) }, (_, index) => index + 1)] as const;
    })
    .sort(([a], [b]) => a.localeCompare(b));
  expect(found).toEqual(wanted);
  return { items: items.length, entries: entries.length };
}
