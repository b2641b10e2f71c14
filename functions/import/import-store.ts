/**
 * Import batches, their chunks, row errors and the content hashes that make a file seen twice
 * import once.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  batchPutAll,
  decodeCursor,
  encodeCursor,
  prefixQuery,
  queryAll,
  queryPages,
} from '#storage/batch.ts';
import { isConditionFailed } from '#storage/errors.ts';
import { ITEM_TYPES, indexKeys, indexPartitions, keys, withoutKeys } from '#storage/keys.ts';
import type { StoreDeps } from '#storage/subject-store.ts';
import { GSI } from '#storage/table-definition.ts';
import type { ChangedBy } from '#domain/trail.ts';
import {
  emptyCounts,
  IMPORT_COUNT_NAMES,
  type ImportCounts,
  type ImportRecord,
  type RowError,
} from './model.ts';

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

/**
 * Claims a file's content hash within its source for an import. Returns the import that claimed it
 * first when that is another one: the file was seen before in this source. A hash whose import was
 * rejected can be claimed again.
 */
export async function claimContentHash(
  deps: Deps,
  record: Pick<ImportRecord, 'importId' | 'source'>,
  sha256: string,
): Promise<string | undefined> {
  const { importId, source } = record;
  const key = keys.importHash(source, sha256);
  const item = { ...key, type: ITEM_TYPES.importHash, source, sha256, importId };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await deps.client.send(
        new PutCommand({
          TableName: deps.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(PK) OR importId = :importId',
          ExpressionAttributeValues: { ':importId': importId },
        }),
      );
      return undefined;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const held = await deps.client.send(
        new GetCommand({ TableName: deps.tableName, Key: key, ConsistentRead: true }),
      );
      const owner = String(held.Item?.importId ?? '');
      const ownerImport = owner === '' ? undefined : await getImport(deps, owner);
      if (ownerImport !== undefined && ownerImport.status !== 'rejected') return owner;
      // the earlier import of this content was rejected: take the hash over
      await deps.client
        .send(
          new PutCommand({
            TableName: deps.tableName,
            Item: item,
            ConditionExpression: 'importId = :owner',
            ExpressionAttributeValues: { ':owner': owner },
          }),
        )
        .catch(() => undefined);
    }
  }
  throw new Error(`could not claim content hash ${sha256} of source ${source}`);
}

/** Row errors are keyed by sheet and line, so writing them again (a retried worker) changes nothing. */
export async function writeRowErrors(
  deps: Deps,
  importId: string,
  errors: readonly RowError[],
): Promise<void> {
  if (errors.length === 0) return;
  const unique = new Map<string, Record<string, unknown>>();
  for (const error of errors) {
    const key = keys.importError(importId, error.sheetIndex, error.line);
    const existing = unique.get(key.SK);
    if (existing !== undefined) {
      (existing.problems as Omit<RowError, 'sheet' | 'sheetIndex' | 'line'>[]).push(problemOf(error));
      continue;
    }
    unique.set(key.SK, {
      ...key,
      type: ITEM_TYPES.importError,
      sheet: error.sheet,
      sheetIndex: error.sheetIndex,
      line: error.line,
      problems: [problemOf(error)],
    });
  }
  await batchPutAll(deps.client, deps.tableName, [...unique.values()]);
}

function problemOf(error: RowError) {
  return {
    field: error.field,
    message: error.message,
    severity: error.severity,
    ...(error.value === undefined ? {} : { value: error.value }),
  };
}

export interface StoredRowError {
  readonly sheet: string;
  readonly sheetIndex: number;
  readonly line: number;
  readonly problems: { field: string; message: string; severity: string; value?: string }[];
}

export async function* readRowErrors(deps: Deps, importId: string): AsyncGenerator<StoredRowError> {
  for await (const page of queryPages(
    deps.client,
    prefixQuery(deps.tableName, keys.importErrorPrefix(importId)),
  )) {
    for (const item of page) yield withoutKeys<StoredRowError>(item);
  }
}

export interface ChunkState {
  readonly chunk: number;
  readonly fromRow: number;
  readonly toRow: number;
  /** Ordinal of the last row applied; -1 before the first. */
  readonly checkpoint: number;
  /** Groups committed of those planned after the checkpoint. */
  readonly groupsDone: number;
  readonly done: boolean;
  readonly counts: ImportCounts;
  /** Rows of the chunk that repeat an earlier row of the file, found by the scan: one bit a row from `fromRow`. */
  readonly repeatedRows?: Uint8Array;
}

export interface ChunkRange {
  readonly fromRow: number;
  readonly toRow: number;
  readonly repeatedRows?: Uint8Array;
}

/** Creates the chunk records of a batch unless they exist. */
export async function createChunks(deps: Deps, importId: string, ranges: readonly ChunkRange[]) {
  await Promise.all(
    ranges.map(async (range, chunk) => {
      await deps.client
        .send(
          new PutCommand({
            TableName: deps.tableName,
            Item: {
              ...keys.importChunk(importId, chunk),
              type: ITEM_TYPES.importChunk,
              chunk,
              ...range,
              checkpoint: range.fromRow - 1,
              groupsDone: 0,
              done: false,
              ...emptyCounts(),
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        )
        .catch((error: { name?: string }) => {
          if (!isConditionFailed(error)) throw error;
        });
    }),
  );
}

function chunkOf(item: Record<string, unknown>): ChunkState {
  const counts = emptyCounts();
  for (const name of IMPORT_COUNT_NAMES) counts[name] = Number(item[name] ?? 0);
  return {
    chunk: Number(item.chunk),
    fromRow: Number(item.fromRow),
    toRow: Number(item.toRow),
    checkpoint: Number(item.checkpoint),
    groupsDone: Number(item.groupsDone ?? 0),
    done: item.done === true,
    counts,
    ...(item.repeatedRows instanceof Uint8Array ? { repeatedRows: item.repeatedRows } : {}),
  };
}

export async function getChunk(deps: Deps, importId: string, chunk: number): Promise<ChunkState | undefined> {
  const result = await deps.client.send(
    new GetCommand({
      TableName: deps.tableName,
      Key: keys.importChunk(importId, chunk),
      ConsistentRead: true,
    }),
  );
  return result.Item === undefined ? undefined : chunkOf(result.Item);
}

export async function getChunks(deps: Deps, importId: string): Promise<ChunkState[]> {
  const items = await queryAll(
    deps.client,
    prefixQuery(deps.tableName, keys.importChunkPrefix(importId), { ConsistentRead: true }),
  );
  return items.map(chunkOf);
}

/** Marks a chunk done; true when this call did it (so exactly one worker finalises the last chunk). */
export async function markChunkDone(deps: Deps, importId: string, chunk: number): Promise<boolean> {
  try {
    await deps.client.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: keys.importChunk(importId, chunk),
        UpdateExpression: 'SET done = :true',
        ConditionExpression: 'done = :false',
        ExpressionAttributeValues: { ':true': true, ':false': false },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

export function sumCounts(chunks: readonly ChunkState[]): ImportCounts {
  const total = emptyCounts();
  for (const chunk of chunks) for (const name of IMPORT_COUNT_NAMES) total[name] += chunk.counts[name];
  return total;
}
