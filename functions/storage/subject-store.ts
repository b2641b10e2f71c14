/**
 * Subjects and their listings. Every change that can move a count writes the listing, the subject and
 * the district counters in one TransactWriteItems, conditioned on the subject's version; a lost race is
 * retried from a fresh read. That is what keeps `STAT#CURRENT` equal to a recount at every moment.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ChangePlan, Planner } from '#domain/changes.ts';
import { groupByDistrict, subjectDeltas } from '#domain/counting.ts';
import {
  type Listing,
  type ListType,
  isCountingStatus,
  type Subject,
  shanghaiMonth,
} from '#domain/model.ts';
import { backoffMs, queryAll, transactWrite } from './batch.ts';
import { indexKeys, ITEM_TYPES, keys } from './keys.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Who made a change, recorded in the audit trail. */
export interface Actor {
  readonly id: string;
  readonly role: string;
  readonly source: 'import' | 'api' | 'schedule' | 'system';
}

export interface StoreDeps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
}

export interface ListingRef {
  readonly uscc: string;
  readonly listType: ListType;
  readonly key: string;
}

export class ConcurrentChangeError extends Error {
  constructor(uscc: string) {
    super(`subject ${uscc} kept changing under us; gave up after retries`);
    this.name = 'ConcurrentChangeError';
  }
}

const MAX_ATTEMPTS = 25;

type StoredItem = Record<string, unknown> & { version?: number };

function stripItem<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (item === undefined) return undefined;
  const { PK: _pk, SK: _sk, type: _type, GSI1PK, GSI1SK, GSI2PK, GSI2SK, GSI3PK, GSI3SK, GSI4PK, GSI4SK, GSI5PK, GSI5SK, ...rest } =
    item;
  return rest as T;
}

export async function getSubject(deps: StoreDeps, uscc: string, consistent = false): Promise<Subject | undefined> {
  const result = await deps.client.send(
    new GetCommand({ TableName: deps.tableName, Key: keys.subject(uscc), ConsistentRead: consistent }),
  );
  return stripItem<Subject>(result.Item);
}

export async function getListing(deps: StoreDeps, ref: ListingRef, consistent = false) {
  const result = await deps.client.send(
    new GetCommand({
      TableName: deps.tableName,
      Key: keys.listing(ref.uscc, ref.listType, ref.key),
      ConsistentRead: consistent,
    }),
  );
  return stripItem<Listing & { version: number }>(result.Item);
}

export async function getListings(deps: StoreDeps, uscc: string): Promise<Listing[]> {
  const prefix = keys.listingPrefix(uscc);
  const items = await queryAll(deps.client, {
    TableName: deps.tableName,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
    ExpressionAttributeValues: { ':pk': prefix.PK, ':sk': prefix.SKPrefix },
  });
  return items.map((item) => stripItem<Listing>(item) as Listing);
}

/** The subject's audit trail, newest first. */
export async function getAudit(deps: StoreDeps, uscc: string, limit = 100) {
  const prefix = keys.auditPrefix(uscc);
  const items = await queryAll(deps.client, {
    TableName: deps.tableName,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
    ExpressionAttributeValues: { ':pk': prefix.PK, ':sk': prefix.SKPrefix },
    ScanIndexForward: false,
    Limit: limit,
  });
  return items.slice(0, limit).map((item) => stripItem<Record<string, unknown>>(item) ?? {});
}

export function subjectItem(subject: Subject): Record<string, unknown> {
  return {
    ...keys.subject(subject.uscc),
    type: ITEM_TYPES.subject,
    ...subject,
    ...(subject.activeListings > 0 ? indexKeys.listedSubject(subject.district, subject.uscc) : {}),
  };
}

export function listingItem(listing: Listing, version: number): Record<string, unknown> {
  return {
    ...keys.listing(listing.uscc, listing.listType, listing.key),
    type: ITEM_TYPES.listing,
    ...listing,
    version,
    ...(listing.status === 'active'
      ? indexKeys.activeListingByDistrict(
          listing.district,
          listing.classification?.override?.list ?? listing.classification?.list ?? 'unclassified',
          listing.listType,
          listing.uscc,
          listing.key,
        )
      : {}),
    ...indexKeys.listingByDepartment(listing.department, listing.status, listing.listedAt, listing.uscc),
  };
}

export type ChangeOutcome =
  | { readonly changed: false; readonly subject?: Subject; readonly listing?: Listing }
  | { readonly changed: true; readonly subject: Subject; readonly listing?: Listing };

/**
 * Reads the subject (and the listing, when `ref` is given), asks the planner for the new state, and
 * writes listing, subject, counters, monthly flows and audit in one transaction conditioned on the
 * versions read. Retries from a fresh read when another writer got there first.
 */
export async function changeSubject(
  deps: StoreDeps,
  uscc: string,
  ref: ListingRef | undefined,
  actor: Actor,
  plan: Planner,
): Promise<ChangeOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [subject, listing] = await Promise.all([
      getSubject(deps, uscc, true),
      ref === undefined ? Promise.resolve(undefined) : getListing(deps, ref, true),
    ]);
    const wanted = plan({ subject, listing });
    if (wanted === undefined) return { changed: false, subject, listing };
    const items = buildTransaction(deps, actor, subject, listing, wanted);
    try {
      await transactWrite(deps.client, items.actions);
      if (subject !== undefined && subject.district !== items.subject.district) {
        await syncListingDistricts(deps, items.subject);
      }
      return { changed: true, subject: items.subject, listing: items.listing };
    } catch (error) {
      if (!isTransactionRace(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
    }
  }
  throw new ConcurrentChangeError(uscc);
}

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

function buildTransaction(
  deps: StoreDeps,
  actor: Actor,
  before: Subject | undefined,
  beforeListing: (Listing & { version?: number }) | undefined,
  plan: ChangePlan,
) {
  const now = deps.clock.now();
  const at = now.toISOString();
  const countingBefore = beforeListing !== undefined && isCountingStatus(beforeListing.status) ? 1 : 0;
  const countingAfter = plan.listing !== undefined && isCountingStatus(plan.listing.status) ? 1 : 0;
  const listingDelta = plan.listing === undefined ? 0 : countingAfter - countingBefore;
  const subject: Subject = {
    ...plan.subject,
    activeListings: (before?.activeListings ?? 0) + listingDelta,
    version: (before?.version ?? 0) + 1,
    createdAt: before?.createdAt ?? at,
    updatedAt: at,
  };
  if (subject.activeListings < 0) throw new Error(`subject ${subject.uscc} would have a negative listing count`);

  const actions: TransactItems = [
    {
      Put: {
        TableName: deps.tableName,
        Item: subjectItem(subject),
        ...(before === undefined
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': before.version } }),
      },
    },
  ];

  let listing: Listing | undefined;
  if (plan.listing !== undefined) {
    listing = { ...plan.listing, createdAt: beforeListing?.createdAt ?? at, updatedAt: at };
    const version = (beforeListing?.version ?? 0) + 1;
    actions.push({
      Put: {
        TableName: deps.tableName,
        Item: listingItem(listing, version),
        ...(beforeListing === undefined
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : {
              ConditionExpression: 'version = :version',
              ExpressionAttributeValues: { ':version': beforeListing.version ?? 0 },
            }),
      },
    });
  }

  const { counters, flows } = subjectDeltas(subject.uscc, before, subject, plan.exitReason);
  if (listingDelta !== 0 && plan.listing !== undefined) {
    counters.push(
      { district: subject.district, attribute: 'activeListings', delta: listingDelta },
      { district: subject.district, attribute: `active_${plan.listing.listType}`, delta: listingDelta },
    );
  }
  for (const [district, attributes] of groupByDistrict(counters)) {
    actions.push(counterUpdate(deps.tableName, keys.currentCounter(district), district, attributes, at));
  }
  const month = shanghaiMonth(now);
  for (const [district, attributes] of groupByDistrict(flows)) {
    actions.push(counterUpdate(deps.tableName, keys.monthlyFlow(month, district), district, attributes, at));
  }

  const auditId = randomUUID();
  actions.push({
    Put: {
      TableName: deps.tableName,
      Item: {
        ...keys.audit(subject.uscc, at, auditId),
        ...indexKeys.auditByMonth(month, at, auditId),
        type: ITEM_TYPES.audit,
        at,
        actor: actor.id,
        role: actor.role,
        source: actor.source,
        action: plan.audit.action,
        ...(plan.audit.detail === undefined ? {} : { detail: plan.audit.detail }),
        ...(listing === undefined ? {} : { listingType: listing.listType, listingKey: listing.key }),
        before: summarize(before, beforeListing),
        after: summarize(subject, listing),
      },
    },
  });
  return { actions, subject, listing };
}

function summarize(subject: Subject | undefined, listing: Listing | undefined) {
  return {
    ...(subject === undefined
      ? {}
      : { district: subject.district, activeListings: subject.activeListings, status: subject.registrationStatus }),
    ...(listing === undefined ? {} : { listingStatus: listing.status }),
  };
}

function counterUpdate(
  tableName: string,
  key: { PK: string; SK: string },
  district: string,
  attributes: Map<string, number>,
  at: string,
): TransactItems[number] {
  const names: Record<string, string> = { '#type': 'type', '#district': 'district', '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':type': key.PK === 'STAT#CURRENT' ? ITEM_TYPES.counter : ITEM_TYPES.flow, ':district': district, ':at': at };
  const adds: string[] = [];
  let index = 0;
  for (const [attribute, delta] of attributes) {
    names[`#a${index}`] = attribute;
    values[`:d${index}`] = delta;
    adds.push(`#a${index} :d${index}`);
    index++;
  }
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET #type = :type, #district = :district, #updatedAt = :at ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

function isTransactionRace(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  if (name === 'TransactionConflictException') return true;
  if (name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some((reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict');
}

/**
 * After a subject moved, its listings follow so the district index finds them in the new district.
 * The counters moved already in the subject's transaction; this only re-keys the listings, each
 * conditioned on its version, and is safe to repeat.
 */
export async function syncListingDistricts(deps: StoreDeps, subject: Subject): Promise<void> {
  const listings = await getListings(deps, subject.uscc);
  for (const listing of listings) {
    if (listing.district === subject.district) continue;
    const stored = listing as Listing & { version?: number };
    const version = stored.version ?? 0;
    const { version: _version, ...plain } = stored;
    try {
      await deps.client.send(
        new PutCommand({
          TableName: deps.tableName,
          Item: listingItem({ ...plain, district: subject.district }, version + 1),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': version },
        }),
      );
    } catch (error) {
      // Someone else rewrote the listing meanwhile; that write carried the subject's new district.
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
}
