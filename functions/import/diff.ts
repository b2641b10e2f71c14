/**
 * The diff of a full push against what was active before: listings of the push's scope that are
 * active and absent from the file are flagged `missing-from-push` for their designating department.
 * The import never ends them; only an exit does.
 */
import { createHash } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DISTRICTS } from '#domain/district.ts';
import { LIST_TYPE_LABELS, type Listing, type ListType, UNASSIGNED_DISTRICT } from '#domain/model.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { queryPages } from '#storage/batch.ts';
import { isConditionFailed } from '#storage/errors.ts';
import { indexPartitions, keys } from '#storage/keys.ts';
import type { StoreDeps } from '#storage/subject-store.ts';
import { GSI } from '#storage/table-definition.ts';
import type { ImportSource } from './model.ts';
import { SOURCE_LIST_TYPES } from './row-rules.ts';

export interface DiffScope {
  /** Human-readable, for the receipt. */
  readonly label: string;
  readonly listType?: ListType;
  readonly department?: string;
}

export function diffScope(source: ImportSource, department: string | undefined): DiffScope {
  const listType = SOURCE_LIST_TYPES[source];
  const parts = [
    listType === undefined ? '全部名单' : LIST_TYPE_LABELS[listType],
    ...(department === undefined ? [] : [department]),
  ];
  return {
    label: parts.join(' / '),
    ...(listType === undefined ? {} : { listType }),
    ...(department === undefined ? {} : { department }),
  };
}

/**
 * A listing's natural key as a short digest: a push of 100 000 listings keeps one per listing in
 * memory, and a digest of 27 one-byte characters costs a fraction of the joined Chinese text.
 */
export function listingKeyOf(listing: { uscc: string; listType: string; key: string }): string {
  return createHash('sha1')
    .update(`${listing.uscc}\u0000${listing.listType}\u0000${listing.key}`)
    .digest('base64');
}

/** The listing keys ({@link listingKeyOf}) a file carries. */
export interface ListingKeys {
  has(key: string): boolean;
}

/** What the diff needs of a listing. */
export type ListingRefInScope = Pick<Listing, 'uscc' | 'listType' | 'key'>;

/**
 * Active listings within the scope, as stored now, page by page: only their keys are read and none is
 * kept, so a city-wide push of 100 000 listings costs no more memory than one page.
 */
export async function* activeListingsInScope(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
  scope: DiffScope,
): AsyncGenerator<ListingRefInScope[]> {
  const partitions =
    scope.department !== undefined
      ? [{ index: GSI.byOwnerStatus, pk: indexPartitions.listingsOfDepartment(scope.department, 'active') }]
      : [...DISTRICTS.map((district) => district.code), UNASSIGNED_DISTRICT].map((code) => ({
          index: GSI.byDistrictClass,
          pk: indexPartitions.activeListingsOfDistrict(code),
        }));
  for (const { index, pk } of partitions) {
    for await (const page of queryPages(deps.client, {
      TableName: deps.tableName,
      IndexName: index.indexName,
      KeyConditionExpression: '#pk = :pk',
      ProjectionExpression: 'uscc, listType, #key, #status',
      ExpressionAttributeNames: { '#pk': index.partitionKey, '#key': 'key', '#status': 'status' },
      ExpressionAttributeValues: { ':pk': pk },
    })) {
      yield page
        .filter((item) => item.status === 'active')
        .filter((item) => scope.listType === undefined || item.listType === scope.listType)
        .map((item) => ({
          uscc: String(item.uscc),
          listType: item.listType as ListType,
          key: String(item.key),
        }));
    }
  }
}

/** Flags one listing as missing from this push, unless it was exited meanwhile or flagged already. */
export async function flagMissing(
  deps: StoreDeps,
  listing: ListingRefInScope,
  changedBy: ChangedBy,
): Promise<boolean> {
  const importId = changedBy.cause.id;
  try {
    await deps.client.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: keys.listing(listing.uscc, listing.listType, listing.key),
        UpdateExpression: 'SET missingFromPush = :flag, updatedAt = :at, changedBy = :by ADD version :one',
        ConditionExpression:
          '#status = :active AND (attribute_not_exists(missingFromPush) OR missingFromPush.importId <> :importId)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':flag': { importId, at: deps.clock.now().toISOString() },
          ':at': deps.clock.now().toISOString(),
          ':active': 'active',
          ':importId': importId,
          ':by': changedBy,
          ':one': 1,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}
