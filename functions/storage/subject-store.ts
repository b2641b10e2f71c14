/**
 * Subjects and their listings. Every change that can move a count writes the listing, the subject and
 * the district counters in one TransactWriteItems, conditioned on the subject's version; a lost race is
 * retried from a fresh read. That is what keeps the current counters equal to a recount at every moment.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Planner } from '#domain/changes.ts';
import type { CounterDelta, FlowDelta } from '#domain/counting.ts';
import type { Listing, Subject } from '#domain/model.ts';
import {
  type ListingRef,
  listingSortKey,
  NegativeListingCountError,
  planSubjectChanges,
  type StoredListing,
  type SubjectChange,
} from '#domain/subject-writes.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { backoffMs, prefixQuery, queryAll, transactWrite } from './batch.ts';
import { counterActions } from './counter-store.ts';
import { isConditionFailed, isTransactionRace, raceOnExtra } from './errors.ts';
import { keys, withoutKeys } from './keys.ts';
import { listingItem, subjectItem } from './subject-items.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Who makes a change and why: stored on every item the change writes, read by the trail from the stream. */
export type Actor = ChangedBy;

export interface StoreDeps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  /**
   * Write shards of each district's counters (configuration; raise it, never lower it: readers sum
   * shards 0..n-1). @default DEFAULT_COUNTER_SHARDS
   */
  readonly counterShards?: number;
}

export type { ListingRef, SubjectChange };

export class ConcurrentChangeError extends Error {
  constructor(uscc: string) {
    super(`subject ${uscc} kept changing under us; gave up after retries`);
    this.name = 'ConcurrentChangeError';
  }
}

const MAX_ATTEMPTS = 25;

function stripItem<T>(item: Record<string, unknown> | undefined): T | undefined {
  return item === undefined ? undefined : withoutKeys<T>(item);
}

export async function getSubject(
  deps: StoreDeps,
  uscc: string,
  consistent = false,
): Promise<Subject | undefined> {
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
  const items = await queryAll(deps.client, prefixQuery(deps.tableName, keys.listingPrefix(uscc)));
  return items.map((item) => stripItem<Listing>(item) as Listing);
}

export { listingItem, subjectItem } from './subject-items.ts';

export type ChangeOutcome =
  | { readonly changed: false; readonly subject?: Subject; readonly listing?: Listing }
  | { readonly changed: true; readonly subject: Subject; readonly listing?: Listing };

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/** What a subject's changes come to: the items to write and the counter and flow deltas they move. */
export interface SubjectWrites {
  readonly subject: Subject;
  readonly listings: readonly Listing[];
  /** The subject's and its listings' puts, conditioned on the versions read, each carrying who and why. */
  readonly actions: TransactItems;
  readonly counters: readonly CounterDelta[];
  readonly flows: readonly FlowDelta[];
}

/** A put that holds only if the item is still at the version read (absent when `versionRead` is undefined). */
function conditionedPut(
  deps: StoreDeps,
  item: Record<string, unknown>,
  versionRead: number | undefined,
): TransactItems[number] {
  return {
    Put: {
      TableName: deps.tableName,
      Item: item,
      ...(versionRead === undefined
        ? { ConditionExpression: 'attribute_not_exists(PK)' }
        : {
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': versionRead },
          }),
    },
  };
}

/**
 * Applies the changes in order, in memory, to what was read ({@link planSubjectChanges}), and returns
 * the writes conditioned on the versions read, with the counter and flow deltas; undefined when nothing
 * changes.
 */
export function planSubjectWrites(
  deps: StoreDeps,
  actor: Actor,
  before: Subject | undefined,
  storedListings: ReadonlyMap<string, StoredListing>,
  changes: readonly SubjectChange[],
): SubjectWrites | undefined {
  const planned = planSubjectChanges(before, storedListings, changes, deps.clock.now());
  if (planned === undefined) return undefined;
  const { subject, counters, flows } = planned;
  const actions: TransactItems = [conditionedPut(deps, subjectItem(subject, actor), before?.version)];
  for (const { listing, versionRead } of planned.listings) {
    actions.push(conditionedPut(deps, listingItem(listing, (versionRead ?? 0) + 1, actor), versionRead));
  }
  return { subject, listings: planned.listings.map(({ listing }) => listing), actions, counters, flows };
}

/** Reads a subject and some of its listings consistently. */
export async function readSubjectState(deps: StoreDeps, uscc: string, refs: readonly ListingRef[]) {
  const [subject, ...listings] = await Promise.all([
    getSubject(deps, uscc, true),
    ...refs.map((ref) => getListing(deps, ref, true)),
  ]);
  const stored = new Map<string, StoredListing>();
  for (const listing of listings)
    if (listing !== undefined) stored.set(listingSortKey(listing), listing as StoredListing);
  return { subject: subject as Subject | undefined, listings: stored };
}

/**
 * Applies changes of one subject in one transaction with its counters, conditioned on the versions
 * read; a lost race is retried from a fresh read. `extraActions` ride in the same transaction (a race lost
 * on one of them is not retried: it is thrown); `flowMonth` places the flows in another month than this one.
 */
export async function changeSubjectWith(
  deps: StoreDeps,
  uscc: string,
  actor: Actor,
  changes: () => readonly SubjectChange[],
  extraActions: () => TransactItems = () => [],
  options: { readonly flowMonth?: string } = {},
): Promise<SubjectWrites | undefined> {
  const refs = [];
  let tornRead: NegativeListingCountError | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt - 1)));
    const planned = changes();
    refs.length = 0;
    for (const change of planned) if (change.ref !== undefined) refs.push(change.ref);
    const state = await readSubjectState(deps, uscc, refs);
    let writes: SubjectWrites | undefined;
    try {
      writes = planSubjectWrites(deps, actor, state.subject, state.listings, planned);
    } catch (error) {
      // The subject and its listings are separate reads: a writer between them leaves a count that
      // does not fit the listings read. Read again; the versions would have refused the write anyway.
      if (!(error instanceof NegativeListingCountError)) throw error;
      tornRead = error;
      continue;
    }
    const extra = extraActions();
    if (writes === undefined && extra.length === 0) return undefined;
    const actions = [
      ...(writes === undefined ? [] : writes.actions),
      ...(writes === undefined ? [] : counterActions(deps, writes.counters, writes.flows, options.flowMonth)),
      ...extra,
    ];
    try {
      await transactWrite(deps.client, actions);
      if (
        writes !== undefined &&
        state.subject !== undefined &&
        state.subject.district !== writes.subject.district
      ) {
        await syncListingDistricts(deps, writes.subject, actor);
      }
      return writes;
    } catch (error) {
      if (!isTransactionRace(error)) throw error;
      if (raceOnExtra(error, actions.length - extra.length)) throw error;
      tornRead = undefined;
    }
  }
  throw tornRead ?? new ConcurrentChangeError(uscc);
}

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
  const writes = await changeSubjectWith(deps, uscc, actor, () => [
    { ...(ref === undefined ? {} : { ref }), planner: plan },
  ]);
  if (writes === undefined) {
    const state = await readSubjectState(deps, uscc, ref === undefined ? [] : [ref]);
    const listing = ref === undefined ? undefined : state.listings.get(listingSortKey(ref));
    return {
      changed: false,
      ...(state.subject === undefined ? {} : { subject: state.subject }),
      ...(listing === undefined ? {} : { listing }),
    };
  }
  return {
    changed: true,
    subject: writes.subject,
    ...(writes.listings[0] === undefined ? {} : { listing: writes.listings[0] }),
  };
}

/**
 * After a subject moved, its listings follow so the district index finds them in the new district.
 * The counters moved already in the subject's transaction; this only re-keys the listings, each
 * conditioned on its version, and is safe to repeat.
 */
export async function syncListingDistricts(deps: StoreDeps, subject: Subject, actor: Actor): Promise<void> {
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
          Item: listingItem(
            { ...plain, district: subject.district, updatedAt: subject.updatedAt },
            version + 1,
            actor,
          ),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': version },
        }),
      );
    } catch (error) {
      // Someone else rewrote the listing meanwhile; that write carried the subject's new district.
      if (!isConditionFailed(error)) throw error;
    }
  }
}
