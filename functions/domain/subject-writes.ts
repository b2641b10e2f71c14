/**
 * What a sequence of planned changes does to one subject and its listings, in memory: the new subject
 * with its active counts, the listings that changed (with the version each was read at), and the
 * counter and flow deltas. Pure: the store turns the result into conditioned puts in one transaction.
 */
import type { Planner } from './changes.ts';
import { type CounterDelta, type FlowDelta, subjectDeltas } from './counting.ts';
import { isCountingStatus, type Listing, type ListType, type Subject } from './model.ts';

export interface ListingRef {
  readonly uscc: string;
  readonly listType: ListType;
  readonly key: string;
}

/** One change of a subject: a planner, and the listing it reads, if any. */
export interface SubjectChange {
  readonly ref?: ListingRef;
  readonly planner: Planner;
}

/** A listing as read from the store: its version guards the write that replaces it. */
export type StoredListing = Listing & { version?: number };

/** A listing the changes wrote, with the version it was read at (undefined: it was not stored). */
export interface ChangedListing {
  readonly listing: Listing;
  readonly versionRead: number | undefined;
}

export interface SubjectChangeResult {
  /** The subject after the changes, its version one past the one read. */
  readonly subject: Subject;
  readonly listings: readonly ChangedListing[];
  readonly counters: readonly CounterDelta[];
  readonly flows: readonly FlowDelta[];
}

export class NegativeListingCountError extends Error {
  constructor(uscc: string) {
    super(`subject ${uscc} would have a negative listing count`);
    this.name = 'NegativeListingCountError';
  }
}

/** Where a listing sits among a subject's listings (its type and key). */
export function listingSortKey(ref: { listType: string; key: string }): string {
  return `${ref.listType}#${ref.key}`;
}

interface Working {
  subject: Subject | undefined;
  readonly listings: Map<string, StoredListing>;
  readonly touched: Set<string>;
  exitReason: string | undefined;
}

/** Applies one change to the working state; false when its planner changes nothing. */
function applyChange(
  state: Working,
  before: Subject | undefined,
  change: SubjectChange,
  at: string,
): boolean {
  const sortKey = change.ref === undefined ? undefined : listingSortKey(change.ref);
  const listing = sortKey === undefined ? undefined : state.listings.get(sortKey);
  const plan = change.planner({ subject: state.subject, listing });
  if (plan === undefined) return false;
  let delta = 0;
  if (plan.listing !== undefined && sortKey !== undefined) {
    const countingBefore = listing !== undefined && isCountingStatus(listing.status) ? 1 : 0;
    delta = (isCountingStatus(plan.listing.status) ? 1 : 0) - countingBefore;
    state.listings.set(sortKey, {
      ...plan.listing,
      createdAt: listing?.createdAt ?? at,
      updatedAt: at,
      ...(listing?.version === undefined ? {} : { version: listing.version }),
    });
    state.touched.add(sortKey);
  }
  const activeListings = (state.subject?.activeListings ?? 0) + delta;
  const activeByListType = { ...(state.subject?.activeByListType ?? {}) };
  if (delta !== 0 && plan.listing !== undefined) {
    activeByListType[plan.listing.listType] = (activeByListType[plan.listing.listType] ?? 0) + delta;
  }
  if (activeListings < 0) throw new NegativeListingCountError(plan.subject.uscc);
  state.subject = {
    ...plan.subject,
    activeListings,
    activeByListType,
    version: before?.version ?? 0,
    createdAt: before?.createdAt ?? at,
    updatedAt: at,
  };
  if (plan.exitReason !== undefined) state.exitReason = plan.exitReason;
  return true;
}

/**
 * Applies the changes in order to the subject and listings read; undefined when none changes anything.
 * A change sees the state the earlier ones left, so several rows of one subject add up.
 */
export function planSubjectChanges(
  before: Subject | undefined,
  storedListings: ReadonlyMap<string, StoredListing>,
  changes: readonly SubjectChange[],
  now: Date,
): SubjectChangeResult | undefined {
  const at = now.toISOString();
  const state: Working = {
    subject: before,
    listings: new Map(storedListings),
    touched: new Set(),
    exitReason: undefined,
  };
  let changed = false;
  for (const change of changes) if (applyChange(state, before, change, at)) changed = true;
  if (!changed || state.subject === undefined) return undefined;

  const subject: Subject = { ...state.subject, version: (before?.version ?? 0) + 1 };
  const listings = [...state.touched].map((sortKey) => {
    const { version: _version, ...listing } = state.listings.get(sortKey) as StoredListing;
    const read = storedListings.get(sortKey);
    return { listing, versionRead: read === undefined ? undefined : (read.version ?? 0) };
  });
  const { counters, flows } = subjectDeltas(subject.uscc, before, subject, state.exitReason);
  return { subject, listings, counters, flows };
}
