/**
 * The one write path for what people and triage change on a listing after the import wrote it (its
 * classification, override, plan): read consistently, edit in memory, then put the listing conditioned on
 * the version read, with its triage tally, its due day and the district's triage counters in the same
 * transaction. An edit that changes nothing writes nothing.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Listing, Subject } from '#domain/model.ts';
import { type ListingRef, listingSortKey } from '#domain/subject-writes.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { dueOnOf, sameTally, tallyDeltas, tallyOf } from '#domain/triage-state.ts';
import { backoffMs, batchGetAll, transactWrite } from './batch.ts';
import { counterActions } from './counter-store.ts';
import { isConditionFailed, isTransactionRace } from './errors.ts';
import { type Key, keys, withoutKeys } from './keys.ts';
import {
  ConcurrentChangeError,
  getListing,
  getSubject,
  listingItem,
  type StoreDeps,
} from './subject-store.ts';

export interface ListingState {
  readonly listing: Listing;
  readonly subject: Subject;
}

/** The listing as the edit wants it, or undefined to leave it as it is. */
export type ListingEdit = (state: ListingState) => Listing | undefined;

export type ListingEditOutcome =
  | { readonly outcome: 'missing' }
  | { readonly outcome: 'unchanged' | 'changed'; readonly listing: Listing; readonly subject: Subject };

const MAX_ATTEMPTS = 10;
/** What the listing stores that is bookkeeping: ignored when telling whether an edit changed anything. */
const BOOKKEEPING = new Set(['version', 'changedBy', 'updatedAt']);

/** The listing's own fields, undefined ones left out, in a fixed order: equal edits give equal text. */
function canonical(listing: Listing): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([name, field]) => field !== undefined && !BOOKKEEPING.has(name))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([name, field]) => [name, sorted(field)]));
  };
  return JSON.stringify(sorted(listing));
}

/** The edited listing with the tally and due day that follow from it as of `today`. */
function withTriageState(listing: Listing, today: string): Listing {
  const { tally: _tally, dueOn: _dueOn, ...rest } = listing;
  const tally = tallyOf(listing, today);
  const dueOn = dueOnOf(listing, today);
  return { ...rest, ...(tally === undefined ? {} : { tally }), ...(dueOn === undefined ? {} : { dueOn }) };
}

async function writeEdit(
  deps: StoreDeps,
  stored: Listing & { version: number },
  next: Listing,
  actor: ChangedBy,
): Promise<void> {
  const item = listingItem(next, stored.version + 1, actor);
  const condition = {
    ConditionExpression: 'version = :version',
    ExpressionAttributeValues: { ':version': stored.version },
  };
  const deltas = sameTally(stored.tally, next.tally) ? [] : tallyDeltas(stored.tally, next.tally);
  if (deltas.length === 0) {
    await deps.client.send(new PutCommand({ TableName: deps.tableName, Item: item, ...condition }));
    return;
  }
  await transactWrite(deps.client, [
    { Put: { TableName: deps.tableName, Item: item, ...condition } },
    ...counterActions(deps, deltas, []),
  ]);
}

type Planned =
  | { readonly kind: 'done'; readonly outcome: ListingEditOutcome }
  | {
      readonly kind: 'write';
      readonly stored: Listing & { version: number };
      readonly next: Listing;
      readonly subject: Subject;
    };

function planEdit(
  stored: (Listing & { version: number }) | undefined,
  subject: Subject | undefined,
  change: { today: string; edit: ListingEdit; at: string },
): Planned {
  if (stored === undefined || subject === undefined) return { kind: 'done', outcome: { outcome: 'missing' } };
  const { version: _version, ...listing } = stored;
  const next = withTriageState(change.edit({ listing, subject }) ?? listing, change.today);
  if (canonical(next) === canonical(listing))
    return { kind: 'done', outcome: { outcome: 'unchanged', listing, subject } };
  return { kind: 'write', stored, next: { ...next, updatedAt: change.at }, subject };
}

/**
 * Applies an edit to a listing and its subject as read: `unchanged` (nothing written), `changed`, or
 * `race` when another writer got there since the read.
 */
async function applyEdit(
  deps: StoreDeps,
  stored: Listing & { version: number },
  subject: Subject,
  change: { actor: ChangedBy; today: string; edit: ListingEdit },
): Promise<ListingEditOutcome | 'race'> {
  const plan = planEdit(stored, subject, { ...change, at: deps.clock.now().toISOString() });
  if (plan.kind === 'done') return plan.outcome;
  try {
    await writeEdit(deps, stored, plan.next, change.actor);
    return { outcome: 'changed', listing: plan.next, subject };
  } catch (error) {
    if (isConditionFailed(error) || isTransactionRace(error)) return 'race';
    throw error;
  }
}

/**
 * Edits one listing: `edit` sees the listing and its subject as read, the tally and due day follow as of
 * `today` (`yyyy-mm-dd`, Asia/Shanghai), and the write carries `actor`. A lost race is retried from a
 * fresh read.
 */
export async function editListing(
  deps: StoreDeps,
  ref: ListingRef,
  actor: ChangedBy,
  today: string,
  edit: ListingEdit,
): Promise<ListingEditOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
    const [stored, subject] = await Promise.all([
      getListing(deps, ref, true),
      getSubject(deps, ref.uscc, true),
    ]);
    if (stored === undefined || subject === undefined) return { outcome: 'missing' };
    const outcome = await applyEdit(deps, stored, subject, { actor, today, edit });
    if (outcome !== 'race') return outcome;
  }
  throw new ConcurrentChangeError(`${ref.uscc} (${listingSortKey(ref)})`);
}

/** Listings written in one transaction of a many-listing edit (with at most 26 district counter updates). */
const EDITS_PER_TRANSACTION = 40;
/** Transactions in flight at once. */
const TRANSACTIONS_IN_FLIGHT = 4;

/** One transaction of edits: every listing conditioned on its version, their counter deltas summed. */
async function writeEdits(
  deps: StoreDeps,
  writes: readonly Extract<Planned, { kind: 'write' }>[],
  actor: ChangedBy,
): Promise<void> {
  const puts = writes.map(({ stored, next }) => ({
    Put: {
      TableName: deps.tableName,
      Item: listingItem(next, stored.version + 1, actor),
      ConditionExpression: 'version = :version',
      ExpressionAttributeValues: { ':version': stored.version },
    },
  }));
  const deltas = writes.flatMap(({ stored, next }) => tallyDeltas(stored.tally, next.tally));
  await transactWrite(deps.client, [...puts, ...counterActions(deps, deltas, [])]);
}

/**
 * The same edit of many listings, as a re-triage run makes it: their listings and subjects read in
 * consistent BatchGets, the listings that change written {@link EDITS_PER_TRANSACTION} to a transaction,
 * each conditioned on the version read, with the counters; when a listing changed meanwhile, the
 * transaction's listings go through {@link editListing} one by one from a fresh read. Outcomes in the
 * order of `refs`; a listing that could not be edited is reported as its error. A listing named twice is
 * edited twice (the second finds nothing to do), so callers pass each once.
 */
export async function editListings(
  deps: StoreDeps,
  refs: readonly ListingRef[],
  actor: ChangedBy,
  today: string,
  edit: ListingEdit,
): Promise<(ListingEditOutcome | Error)[]> {
  const listingKeys = refs.map((ref) => keys.listing(ref.uscc, ref.listType, ref.key));
  const subjectKeys = [...new Set(refs.map((ref) => ref.uscc))].map((uscc) => keys.subject(uscc));
  const keyOf = (key: { PK: unknown; SK: unknown }) => `${String(key.PK)}\u0000${String(key.SK)}`;
  // BatchGetItem refuses a key named twice
  const distinctListingKeys = [...new Map(listingKeys.map((key) => [keyOf(key), key])).values()];
  const [listingItems, subjectItems] = await Promise.all([
    batchGetAll(deps.client, deps.tableName, distinctListingKeys, { ConsistentRead: true }),
    batchGetAll(deps.client, deps.tableName, subjectKeys, { ConsistentRead: true }),
  ]);
  const listings = new Map(
    listingItems.map((item) => [keyOf(item as Key), withoutKeys<Listing & { version: number }>(item)]),
  );
  const subjects = new Map(subjectItems.map((item) => [String(item.uscc), withoutKeys<Subject>(item)]));
  const change = { today, edit, at: deps.clock.now().toISOString() };
  const planned = refs.map((ref, index) =>
    planEdit(listings.get(keyOf(listingKeys[index] as Key)), subjects.get(ref.uscc), change),
  );
  const outcomes: (ListingEditOutcome | Error)[] = planned.map((plan) =>
    plan.kind === 'done' ? plan.outcome : new Error('not written'),
  );
  const pending = planned.flatMap((plan, index) => (plan.kind === 'write' ? [{ plan, index }] : []));
  const groups: (typeof pending)[] = [];
  for (let start = 0; start < pending.length; start += EDITS_PER_TRANSACTION)
    groups.push(pending.slice(start, start + EDITS_PER_TRANSACTION));
  let next = 0;
  const worker = async () => {
    for (let group = groups[next++]; group !== undefined; group = groups[next++]) {
      try {
        await writeEdits(
          deps,
          group.map(({ plan }) => plan),
          actor,
        );
        for (const { plan, index } of group)
          outcomes[index] = { outcome: 'changed', listing: plan.next, subject: plan.subject };
      } catch {
        // a listing changed since the read (or the transaction failed otherwise): each on its own
        for (const { index } of group) {
          outcomes[index] = await editListing(deps, refs[index] as ListingRef, actor, today, edit).catch(
            (failure: unknown) => failure as Error,
          );
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(TRANSACTIONS_IN_FLIGHT, groups.length) }, worker));
  return outcomes;
}
