/**
 * Trail entries: written by the trail function from the table's stream, read as a subject's history
 * and as the month's trail. An entry's key is made from its stream record, so a record delivered twice
 * puts the same item again and adds nothing.
 */
import { createHash } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { shanghaiMonth } from '#domain/model.ts';
import type { TrailEntry } from '#domain/trail.ts';
import { BATCH_GET_LIMIT, batchGetAll, batchPutAll, prefixQuery } from './batch.ts';
import { ITEM_TYPES, indexKeys, indexPartitions, keys, withoutKeys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';
import { GSI, TABLE_PARTITION_KEY, TABLE_SORT_KEY } from './table-definition.ts';

/**
 * Partitions of a month's trail. A province's busiest hour (a full push) writes a few thousand
 * entries a second; 16 keys keep each well under DynamoDB's 1 000 writes a second per key. Readers
 * query all of them, so changing the number needs the months written before to be read with the old one.
 */
export const TRAIL_MONTH_SHARDS = 16;

type Deps = Pick<StoreDeps, 'client' | 'tableName'>;

/** A stream record's id, turned into a key part: fixed length, no `#`. */
function recordPart(recordId: string): string {
  return createHash('sha256').update(recordId).digest('base64url').slice(0, 22);
}

function shardOf(recordPartValue: string): number {
  return recordPartValue.charCodeAt(0) % TRAIL_MONTH_SHARDS;
}

/** The stored item of one trail entry. */
export function trailItem(entry: TrailEntry, recordId: string): Record<string, unknown> {
  const id = recordPart(recordId);
  const month = shanghaiMonth(new Date(entry.at));
  return {
    ...keys.trail(entry.itemKey.PK, entry.at, id),
    ...indexKeys.trailByMonth(month, shardOf(id), entry.at, id),
    type: ITEM_TYPES.audit,
    entryId: id,
    ...entry,
  };
}

/** BatchWriteItem requests of one call in flight at once: a stream batch of 100 records is 4 of them. */
const TRAIL_WRITE_CONCURRENCY = 4;

/** Puts the entries; safe to repeat. */
export async function writeTrailEntries(
  deps: Deps,
  entries: readonly { entry: TrailEntry; recordId: string }[],
): Promise<void> {
  await batchPutAll(
    deps.client,
    deps.tableName,
    entries.map(({ entry, recordId }) => trailItem(entry, recordId)),
    TRAIL_WRITE_CONCURRENCY,
  );
}

export interface TrailPage {
  readonly entries: (TrailEntry & { entryId: string })[];
  /** The sort key of the last entry returned, to continue after it; absent on the last page. */
  readonly next?: string;
}

function entryOf(item: Record<string, unknown>) {
  return withoutKeys<TrailEntry & { entryId: string }>(item);
}

/** A subject's history (its own changes and its listings'), newest first. */
export async function subjectTrail(
  deps: Deps,
  uscc: string,
  page: { limit: number; before?: string },
): Promise<TrailPage> {
  const prefix = keys.subjectTrailPrefix(uscc);
  const result = await deps.client.send(
    new QueryCommand(
      prefixQuery(deps.tableName, prefix, {
        ScanIndexForward: false,
        Limit: page.limit,
        ...(page.before === undefined ? {} : { ExclusiveStartKey: { PK: prefix.PK, SK: page.before } }),
      }),
    ),
  );
  const items = result.Items ?? [];
  const last = items.at(-1);
  return {
    entries: items.map(entryOf),
    ...(result.LastEvaluatedKey !== undefined && last !== undefined ? { next: String(last.SK) } : {}),
  };
}

/** The month index's partitions of one month's trail, one per shard. */
export function trailMonthPartitions(month: string): string[] {
  return Array.from({ length: TRAIL_MONTH_SHARDS }, (_, shard) => indexPartitions.trailOfMonth(month, shard));
}

/**
 * The month's trail, oldest first: each shard read after the last entry returned, merged by time.
 * `after` is that entry's index sort key (`<at>#<id>`).
 */
export async function monthTrail(
  deps: Deps,
  month: string,
  page: { limit: number; after?: string },
): Promise<TrailPage> {
  const perShard = await Promise.all(
    trailMonthPartitions(month).map(async (partition) => {
      const result = await deps.client.send(
        new QueryCommand({
          TableName: deps.tableName,
          IndexName: GSI.auditByMonth.indexName,
          KeyConditionExpression:
            page.after === undefined
              ? `${GSI.auditByMonth.partitionKey} = :pk`
              : `${GSI.auditByMonth.partitionKey} = :pk AND ${GSI.auditByMonth.sortKey} > :after`,
          ExpressionAttributeValues: {
            ':pk': partition,
            ...(page.after === undefined ? {} : { ':after': page.after }),
          },
          Limit: page.limit,
        }),
      );
      return { items: result.Items ?? [], more: result.LastEvaluatedKey !== undefined };
    }),
  );
  const sortKey = GSI.auditByMonth.sortKey;
  const merged = perShard
    .flatMap((shard) => shard.items)
    .sort((a, b) => byteOrder(String(a[sortKey]), String(b[sortKey])));
  const items = merged.slice(0, page.limit);
  const more = merged.length > page.limit || perShard.some((shard) => shard.more);
  const last = items.at(-1);
  return {
    entries: (await wholeEntries(deps, items)).map(entryOf),
    ...(more && last !== undefined ? { next: String(last[sortKey]) } : {}),
  };
}

/** Key of an item in a map: its table key. */
const tableKeyOf = (item: Record<string, unknown>) =>
  `${String(item[TABLE_PARTITION_KEY])}\u0000${String(item[TABLE_SORT_KEY])}`;

/**
 * The entries whole, in the order of the index items given: the month index holds keys only (its
 * queries read a page of every shard and keep one page of the merge), so only the kept are read whole.
 */
async function wholeEntries(
  deps: Deps,
  indexItems: readonly Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const keysOf = indexItems.map((item) => ({
    [TABLE_PARTITION_KEY]: String(item[TABLE_PARTITION_KEY]),
    [TABLE_SORT_KEY]: String(item[TABLE_SORT_KEY]),
  }));
  const chunks: (typeof keysOf)[] = [];
  for (let start = 0; start < keysOf.length; start += BATCH_GET_LIMIT)
    chunks.push(keysOf.slice(start, start + BATCH_GET_LIMIT));
  const found = await Promise.all(chunks.map((chunk) => batchGetAll(deps.client, deps.tableName, chunk)));
  const byKey = new Map(found.flat().map((item) => [tableKeyOf(item), item]));
  // an entry is never deleted, so each index item finds its entry
  return indexItems.flatMap((item) => {
    const entry = byKey.get(tableKeyOf(item));
    return entry === undefined ? [] : [entry];
  });
}

/**
 * The order DynamoDB keeps sort keys in (their UTF-8 bytes; these keys are ASCII, so code units),
 * not a locale's: entries of one transaction share a time and differ in ids where `-`, `_` and case
 * sort differently, and a merge in another order than each shard's would skip an entry between pages.
 */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
