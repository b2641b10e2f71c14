/**
 * Re-triage runs: one item per run (`POST /classifications`, the daily run, a rule-table change) that
 * holds its scope, its as-of day, where it has got to and its counts. The classify function takes the
 * run from the table's stream and works it in slices; each slice moves the item on (conditioned on the
 * slice it started from), and that change on the stream starts the next slice. A run survives a crashed
 * invocation: the stream delivers the last position again.
 */
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { DISTRICTS } from '#domain/district.ts';
import { type ListType, UNASSIGNED_DISTRICT } from '#domain/model.ts';
import type { ListingRef } from '#domain/subject-writes.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { isConditionFailed } from './errors.ts';
import { DUE_SHARDS, ITEM_TYPES, indexPartitions, keys, withoutKeys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';
import { GSI } from './table-definition.ts';

/** Which listings a run covers. */
export type TriageScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'district'; readonly district: string }
  | { readonly kind: 'department'; readonly department: string }
  | { readonly kind: 'import'; readonly importId: string }
  /** The listings due on or before the day (the daily run). */
  | { readonly kind: 'due'; readonly day: string };

export interface TriageCounts {
  /** Listings looked at. */
  readonly listings: number;
  readonly changed: number;
  readonly unchanged: number;
  /** Listings gone (exited and deleted, or never there) by the time the run reached them. */
  readonly missing: number;
  readonly failed: number;
}

/** Where a run has got to: the query of its scope, and the last key read in it. */
export interface TriagePosition {
  readonly query: number;
  readonly lastKey?: Record<string, unknown>;
}

export interface TriageJob {
  readonly jobId: string;
  readonly scope: TriageScope;
  /** `yyyy-mm-dd`, Asia/Shanghai. */
  readonly asOf: string;
  readonly status: 'queued' | 'running' | 'succeeded';
  readonly position: TriagePosition;
  /** Slices done; each slice's update is conditioned on it, so a slice delivered twice counts once. */
  readonly slices: number;
  readonly counts: TriageCounts;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finishedAt?: string;
  readonly changedBy: ChangedBy;
}

export const NO_COUNTS: TriageCounts = { listings: 0, changed: 0, unchanged: 0, missing: 0, failed: 0 };

/**
 * Records a new run; false when a run of that id exists already (the daily run of a day is created
 * once however often the schedule fires).
 */
export async function createTriageJob(
  deps: Pick<StoreDeps, 'client' | 'tableName' | 'clock'>,
  input: { jobId: string; scope: TriageScope; asOf: string; changedBy: ChangedBy },
): Promise<{ created: boolean; job: TriageJob }> {
  const at = deps.clock.now().toISOString();
  const job: TriageJob = {
    ...input,
    status: 'queued',
    position: { query: 0 },
    slices: 0,
    counts: NO_COUNTS,
    createdAt: at,
    updatedAt: at,
  };
  try {
    await deps.client.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: { ...keys.triageJob(input.jobId), type: ITEM_TYPES.triageJob, ...job },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return { created: true, job };
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
    const existing = await readTriageJob(deps, input.jobId);
    return { created: false, job: existing ?? job };
  }
}

export async function readTriageJob(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
  jobId: string,
): Promise<TriageJob | undefined> {
  const result = await deps.client.send(
    new GetCommand({ TableName: deps.tableName, Key: keys.triageJob(jobId), ConsistentRead: true }),
  );
  return result.Item === undefined ? undefined : withoutKeys<TriageJob>(result.Item);
}

function sum(a: TriageCounts, b: TriageCounts): TriageCounts {
  return {
    listings: a.listings + b.listings,
    changed: a.changed + b.changed,
    unchanged: a.unchanged + b.unchanged,
    missing: a.missing + b.missing,
    failed: a.failed + b.failed,
  };
}

/**
 * Moves the run on after a slice: its counts added, its new position (none: the run is finished).
 * False when another delivery of the same slice got there first; that one's update stands.
 */
export async function advanceTriageJob(
  deps: Pick<StoreDeps, 'client' | 'tableName' | 'clock'>,
  job: TriageJob,
  slice: { counts: TriageCounts; next: TriagePosition | undefined; changedBy: ChangedBy },
): Promise<boolean> {
  const at = deps.clock.now().toISOString();
  const finished = slice.next === undefined;
  try {
    await deps.client.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: keys.triageJob(job.jobId),
        UpdateExpression: `SET #status = :status, #position = :position, slices = :next, counts = :counts, updatedAt = :at, changedBy = :by${finished ? ', finishedAt = :at' : ''}`,
        ConditionExpression: 'slices = :slices',
        ExpressionAttributeNames: { '#status': 'status', '#position': 'position' },
        ExpressionAttributeValues: {
          ':status': finished ? 'succeeded' : 'running',
          ':position': slice.next ?? job.position,
          ':next': job.slices + 1,
          ':slices': job.slices,
          ':counts': sum(job.counts, slice.counts),
          ':at': at,
          ':by': slice.changedBy,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

const REF_PROJECTION = 'uscc, listType, #key';

function refOf(item: Record<string, unknown>): ListingRef {
  return { uscc: String(item.uscc), listType: item.listType as ListType, key: String(item.key) };
}

function indexQuery(
  tableName: string,
  index: { indexName: string; partitionKey: string },
  partition: string,
): QueryCommandInput {
  return {
    TableName: tableName,
    IndexName: index.indexName,
    KeyConditionExpression: `${index.partitionKey} = :pk`,
    ExpressionAttributeValues: { ':pk': partition },
    ExpressionAttributeNames: { '#key': 'key' },
    ProjectionExpression: REF_PROJECTION,
  };
}

function activeOfDistrict(tableName: string, district: string): QueryCommandInput {
  return indexQuery(tableName, GSI.byDistrictClass, indexPartitions.activeListingsOfDistrict(district));
}

const EVERY_DISTRICT = [...DISTRICTS.map((district) => district.code), UNASSIGNED_DISTRICT];

/**
 * The queries that list a scope's listings, each on an index: districts on the active-listings index,
 * a department on its own (active and exit-pending), due listings on every shard of the due-day index.
 */
export function scopeQueries(tableName: string, scope: TriageScope): QueryCommandInput[] {
  switch (scope.kind) {
    case 'district':
      return [activeOfDistrict(tableName, scope.district)];
    case 'department':
      return (['active', 'exit-pending'] as const).map((status) =>
        indexQuery(
          tableName,
          GSI.byOwnerStatus,
          indexPartitions.listingsOfDepartment(scope.department, status),
        ),
      );
    case 'import':
      return EVERY_DISTRICT.map((district) => {
        const query = activeOfDistrict(tableName, district);
        return {
          ...query,
          FilterExpression: 'importId = :importId',
          ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ':importId': scope.importId },
        };
      });
    case 'due':
      return Array.from({ length: DUE_SHARDS }, (_, shard) => ({
        ...indexQuery(tableName, GSI.byDueDate, indexPartitions.listingsDue(shard)),
        KeyConditionExpression: `${GSI.byDueDate.partitionKey} = :pk AND ${GSI.byDueDate.sortKey} < :after`,
        ExpressionAttributeValues: {
          ':pk': indexPartitions.listingsDue(shard),
          ':after': `${scope.day}#\uffff`,
        },
      }));
    default:
      return EVERY_DISTRICT.map((district) => activeOfDistrict(tableName, district));
  }
}

/**
 * The next page of a scope's listings from a position: at most `limit` listings and where to go on
 * from (undefined when the scope is done).
 */
export async function scopePage(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
  scope: TriageScope,
  position: TriagePosition,
  limit: number,
): Promise<{ refs: ListingRef[]; next: TriagePosition | undefined }> {
  const queries = scopeQueries(deps.tableName, scope);
  let { query, lastKey } = position;
  for (let input = queries[query]; input !== undefined; input = queries[query]) {
    const page = await deps.client.send(
      new QueryCommand({ ...input, Limit: limit, ExclusiveStartKey: lastKey }),
    );
    const refs = (page.Items ?? []).map(refOf);
    lastKey = page.LastEvaluatedKey;
    if (lastKey === undefined) {
      query += 1;
    }
    const next =
      query < queries.length ? { query, ...(lastKey === undefined ? {} : { lastKey }) } : undefined;
    if (refs.length > 0 || next === undefined) return { refs, next };
  }
  return { refs: [], next: undefined };
}
