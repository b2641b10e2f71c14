/** The chunks an import's rows are applied in: their ranges, checkpoints, counts and whether done. */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { emptyCounts, IMPORT_COUNT_NAMES, type ImportCounts } from '#shared/import-receipt.ts';
import { prefixQuery, queryAll } from './batch.ts';
import { isConditionFailed } from './errors.ts';
import { ITEM_TYPES, keys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';

type Deps = Pick<StoreDeps, 'client' | 'tableName'>;

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
