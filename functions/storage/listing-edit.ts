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
import { backoffMs, transactWrite } from './batch.ts';
import { counterActions } from './counter-store.ts';
import { isConditionFailed, isTransactionRace } from './errors.ts';
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
    const [stored, subject] = await Promise.all([
      getListing(deps, ref, true),
      getSubject(deps, ref.uscc, true),
    ]);
    if (stored === undefined || subject === undefined) return { outcome: 'missing' };
    const { version: _version, ...listing } = stored;
    const next = withTriageState(edit({ listing, subject }) ?? listing, today);
    if (canonical(next) === canonical(listing)) return { outcome: 'unchanged', listing, subject };
    const written = { ...next, updatedAt: deps.clock.now().toISOString() };
    try {
      await writeEdit(deps, stored, written, actor);
      return { outcome: 'changed', listing: written, subject };
    } catch (error) {
      if (!isConditionFailed(error) && !isTransactionRace(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
    }
  }
  throw new ConcurrentChangeError(`${ref.uscc} (${listingSortKey(ref)})`);
}
