/**
 * Where a chunk stands, and the update that moves it past a group in the group's own transaction,
 * with the group's counts: a retried worker resumes after the last committed group.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { keys } from '#storage/keys.ts';
import type { StoreDeps } from '#storage/subject-store.ts';
import { IMPORT_COUNT_NAMES, type ImportCounts } from './model.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Where a chunk stands: every row up to `checkpoint` is written, and of the groups planned from the
 * rows after it (a buffer), `groupsDone` are committed. Groups are planned deterministically from the
 * buffer's rows, so a retried worker plans the same groups and skips those already done.
 */
export interface ChunkCursor {
  readonly checkpoint: number;
  readonly groupsDone: number;
}

export interface ChunkPosition {
  readonly importId: string;
  readonly chunk: number;
  /** The cursor stored before this group. */
  readonly before: ChunkCursor;
  /** The cursor after it. */
  readonly after: ChunkCursor;
}

export class ChunkTakenOverError extends Error {
  constructor(importId: string, chunk: number) {
    super(`chunk ${chunk} of import ${importId} is being written by another worker`);
    this.name = 'ChunkTakenOverError';
  }
}

export function chunkUpdate(deps: StoreDeps, position: ChunkPosition, counts: ImportCounts): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ':checkpoint': position.before.checkpoint,
    ':groupsDone': position.before.groupsDone,
    ':nextCheckpoint': position.after.checkpoint,
    ':nextGroupsDone': position.after.groupsDone,
  };
  const adds: string[] = [];
  IMPORT_COUNT_NAMES.forEach((name, index) => {
    if (counts[name] === 0) return;
    names[`#c${index}`] = name;
    values[`:c${index}`] = counts[name];
    adds.push(`#c${index} :c${index}`);
  });
  return {
    Update: {
      TableName: deps.tableName,
      Key: keys.importChunk(position.importId, position.chunk),
      UpdateExpression: `SET checkpoint = :nextCheckpoint, groupsDone = :nextGroupsDone${adds.length > 0 ? ` ADD ${adds.join(', ')}` : ''}`,
      ConditionExpression: 'checkpoint = :checkpoint AND groupsDone = :groupsDone',
      ...(adds.length > 0 ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
    },
  };
}
