/**
 * The trail's use case: the changes one stream batch reports, turned into trail entries and written.
 * Records arrive in the order of their shard; on a failed write the batch answers with the first record
 * not known to be written, so the stream redelivers from there, and writing an entry again adds nothing.
 */

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type TrailEntry, trailEntryOf } from '#domain/trail.ts';
import type { Logger } from '#shared/logger.ts';
import type { StoreDeps } from '#storage/subject-store.ts';
import { writeTrailEntries } from '#storage/trail-store.ts';

export interface TrailDeps {
  readonly store: Pick<StoreDeps, 'client' | 'tableName'>;
  readonly log: Logger;
}

/** Records written per request group: a failure redelivers from the group that failed. */
const RECORDS_PER_WRITE = 100;

function imageOf(image: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return image === undefined ? undefined : unmarshall(image as Record<string, AttributeValue>);
}

/** The trail entry a stream record makes, if any. */
export function entryOfRecord(record: DynamoDBRecord): TrailEntry | undefined {
  const seconds = record.dynamodb?.ApproximateCreationDateTime ?? 0;
  return trailEntryOf({
    oldImage: imageOf(record.dynamodb?.OldImage),
    newImage: imageOf(record.dynamodb?.NewImage),
    streamTime: new Date(seconds * 1000),
  });
}

/** The id the entry is keyed by: unique per change, the same on every delivery of it. */
function recordIdOf(record: DynamoDBRecord): string {
  return `${record.eventSourceARN ?? ''}/${record.dynamodb?.SequenceNumber ?? record.eventID ?? ''}`;
}

/**
 * Writes the entries of a batch's records; returns the sequence number to redeliver from, or undefined
 * when everything is written.
 */
export async function recordTrail(
  deps: TrailDeps,
  records: readonly DynamoDBRecord[],
): Promise<string | undefined> {
  for (let start = 0; start < records.length; start += RECORDS_PER_WRITE) {
    const slice = records.slice(start, start + RECORDS_PER_WRITE);
    const entries = [];
    for (const record of slice) {
      const entry = entryOfRecord(record);
      if (entry === undefined) continue;
      if (entry.changedBy === undefined) {
        // a writer that did not say who and why: the entry is still kept, and the gap is visible
        deps.log.warn('change recorded without changedBy', { item: entry.itemKey, at: entry.at });
      }
      entries.push({ entry, recordId: recordIdOf(record) });
    }
    try {
      await writeTrailEntries(deps.store, entries);
    } catch (error) {
      const from = slice[0]?.dynamodb?.SequenceNumber;
      deps.log.error('trail write failed; the stream redelivers', {
        from,
        error: (error as Error).message,
      });
      return from ?? '';
    }
  }
  return undefined;
}

/** The handler over given dependencies: the cloud's (`handler.ts`), the local runtime's and the tests'. */
export function createTrailHandler(deps: TrailDeps) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const failedFrom = await recordTrail(deps, event.Records);
    return { batchItemFailures: failedFrom === undefined ? [] : [{ itemIdentifier: failedFrom }] };
  };
}
