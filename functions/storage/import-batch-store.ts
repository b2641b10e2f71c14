/** The record of one import batch: created once, updated as it runs, listed newest first. */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ChangedBy } from '#domain/trail.ts';
import type { ImportRecord } from '#shared/import-receipt.ts';
import { decodeCursor, encodeCursor } from './batch.ts';
import { isConditionFailed } from './errors.ts';
import { ITEM_TYPES, indexKeys, indexPartitions, keys, withoutKeys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';
import { GSI } from './table-definition.ts';

type Deps = Pick<StoreDeps, 'client' | 'tableName'>;

/** Creates the batch record unless it exists; returns the stored record either way. */
export async function createImport(deps: Deps, record: ImportRecord): Promise<ImportRecord> {
  try {
    await deps.client.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: {
          ...keys.importBatch(record.importId),
          ...indexKeys.importsNewestFirst(record.createdAt, record.importId),
          type: ITEM_TYPES.importBatch,
          ...record,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return record;
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
    const existing = await getImport(deps, record.importId);
    if (existing === undefined) throw error;
    return existing;
  }
}

export async function getImport(deps: Deps, importId: string): Promise<ImportRecord | undefined> {
  const result = await deps.client.send(
    new GetCommand({ TableName: deps.tableName, Key: keys.importBatch(importId), ConsistentRead: true }),
  );
  return result.Item === undefined ? undefined : withoutKeys<ImportRecord>(result.Item);
}

/**
 * Sets fields of the batch record, with who and why; with `expectStatus`, only when its status is one
 * of them.
 */
export async function updateImport(
  deps: Deps,
  importId: string,
  changedBy: ChangedBy,
  fields: Partial<ImportRecord>,
  expectStatus?: readonly string[],
): Promise<boolean> {
  const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return true;
  entries.push(['changedBy', changedBy]);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = entries.map(([name, value], index) => {
    names[`#f${index}`] = name;
    values[`:v${index}`] = value;
    return `#f${index} = :v${index}`;
  });
  let condition = 'attribute_exists(PK)';
  if (expectStatus !== undefined) {
    names['#status'] = 'status';
    condition += ` AND #status IN (${expectStatus.map((_, index) => `:s${index}`).join(', ')})`;
    expectStatus.forEach((status, index) => {
      values[`:s${index}`] = status;
    });
  }
  try {
    await deps.client.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: keys.importBatch(importId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

/** Queries a filtered listing makes for one page before it answers with what it found and a cursor. */
const LIST_QUERIES_PER_PAGE = 10;
/** Records a filtered listing reads a query, whatever the page's size. */
const FILTERED_QUERY_LIMIT = 100;

/**
 * Imports newest first, `limit` a page. With `visible`, the page holds only the records it accepts and
 * is filled from further queries, so that a department's page is not mostly empty; the cursor then
 * points after the last record looked at.
 */
export async function listImports(
  deps: Deps,
  options: { limit: number; cursor?: string; visible?: (record: ImportRecord) => boolean },
) {
  const items: ImportRecord[] = [];
  let start = decodeCursor(options.cursor);
  for (let query = 0; query < LIST_QUERIES_PER_PAGE; query++) {
    const page = await deps.client.send(
      new QueryCommand({
        TableName: deps.tableName,
        IndexName: GSI.byOwnerStatus.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': GSI.byOwnerStatus.partitionKey },
        ExpressionAttributeValues: { ':pk': indexPartitions.imports() },
        ScanIndexForward: false,
        Limit: options.visible === undefined ? options.limit : Math.max(options.limit, FILTERED_QUERY_LIMIT),
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const record = withoutKeys<ImportRecord>(item);
      if (options.visible !== undefined && !options.visible(record)) continue;
      items.push(record);
      if (items.length === options.limit) {
        const last = item === page.Items?.at(-1) ? page.LastEvaluatedKey : indexCursorOf(item);
        return { items, cursor: encodeCursor(last) };
      }
    }
    start = page.LastEvaluatedKey;
    if (start === undefined) break;
  }
  return { items, cursor: encodeCursor(start) };
}

/** The key a query of the imports index would resume after, for an item it returned. */
function indexCursorOf(item: Record<string, unknown>): Record<string, unknown> {
  return {
    PK: item.PK,
    SK: item.SK,
    [GSI.byOwnerStatus.partitionKey]: item[GSI.byOwnerStatus.partitionKey],
    [GSI.byOwnerStatus.sortKey]: item[GSI.byOwnerStatus.sortKey],
  };
}
