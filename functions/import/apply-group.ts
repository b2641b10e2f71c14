/**
 * Writes a group of import rows: reads the subjects and listings they touch in BatchGets, plans every
 * change in memory, and commits the group in one TransactWriteItems together with the district
 * counters and the chunk's checkpoint and counts. A worker that dies and is retried resumes after the
 * last committed group, so nothing is counted or written twice. A group that races another writer, or
 * is too big for one transaction, is written subject by subject instead, each with its counters.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Listing, Subject } from '#domain/model.ts';
import { listingSortKey, type StoredListing } from '#domain/subject-writes.ts';
import { batchGetAll, TRANSACT_LIMIT, transactWrite } from '#storage/batch.ts';
import { counterActions } from '#storage/counter-store.ts';
import { enterpriseCountPut } from '#storage/enterprise-count-store.ts';
import { isTransactionRace, raceOnExtra } from '#storage/errors.ts';
import { ITEM_TYPES, keys } from '#storage/keys.ts';
import {
  type Actor,
  changeSubjectWith,
  planSubjectWrites,
  type StoreDeps,
  syncListingDistricts,
} from '#storage/subject-store.ts';
import { type ChunkPosition, ChunkTakenOverError, chunkUpdate } from './chunk-cursor.ts';
import { emptyCounts, type ImportCounts } from './model.ts';
import { addCounts, type ReadyRow, rowsBySubject, subjectChanges } from './ready-row.ts';

export { type ChunkCursor, type ChunkPosition, ChunkTakenOverError } from './chunk-cursor.ts';
export { type ReadyRow, usccOf } from './ready-row.ts';

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

export interface GroupResult {
  readonly counts: ImportCounts;
  /**
   * The group met subjects or listings stored before this import: the next group should read
   * everything rather than assume its unknown subjects new.
   */
  readonly foundExisting: boolean;
  /** Subjects the group created (none stored before it). */
  readonly created: readonly string[];
}

function countItems(deps: StoreDeps, actor: Actor, rows: readonly ReadyRow[], at: string): TransactItems {
  return rows.flatMap((row) => (row.kind === 'count' ? [enterpriseCountPut(deps, row, actor, at)] : []));
}

/** A group read and planned, ready to commit: {@link prepareGroup} then {@link commitGroup}. */
export interface PreparedGroup {
  readonly position: ChunkPosition;
  readonly rows: readonly ReadyRow[];
  readonly rowCounts: Partial<ImportCounts>;
  /** The subjects the group's rows touch, each with its rows. */
  readonly bySubject: ReadonlyMap<string, ReadyRow[]>;
  readonly actions: TransactItems;
  readonly moved: readonly Subject[];
  readonly at: string;
  /**
   * The planning assumed unknown subjects new, or listings of subjects this import created (checked by
   * the transaction's conditions).
   */
  readonly assumed: boolean;
  /** Subjects this import had written when the group was planned. */
  readonly known: ReadonlySet<string>;
  readonly result: GroupResult;
}

export interface GroupOptions {
  /** Subjects this import has written already. */
  readonly written?: ReadonlySet<string>;
  /** Assume subjects not in `written` are new and skip reading them. */
  readonly optimistic?: boolean;
  /**
   * Subjects this import created. Every listing such a subject has, this import wrote, and a row that
   * lists one of them again is mostly dropped before (within a buffer, and across the file in a full
   * push), so a listing row of theirs is assumed new and not read. The transaction's not-exists
   * condition checks it, as for the optimistic subjects; a repeat that got through is read on the retry.
   */
  readonly created?: ReadonlySet<string>;
}

/** What a group read: subjects by USCC, and each subject's listings by sort key. */
interface GroupState {
  readonly subjects: ReadonlyMap<string, Subject>;
  readonly listings: ReadonlyMap<string, ReadonlyMap<string, StoredListing>>;
  /** Subjects that were stored (read, and found). */
  readonly found: ReadonlySet<string>;
}

/**
 * Reads consistently the subjects named and the listings the rows carry for them, but the listings of
 * subjects this import created.
 */
async function readGroupState(
  deps: StoreDeps,
  rows: readonly ReadyRow[],
  toRead: readonly string[],
  created: ReadonlySet<string>,
): Promise<GroupState> {
  const readSet = new Set(toRead);
  const refs = rows.flatMap((row) =>
    row.kind === 'listing' && readSet.has(row.subject.uscc) && !created.has(row.subject.uscc)
      ? [keys.listing(row.subject.uscc, row.listing.listType, row.listing.key)]
      : [],
  );
  const stored =
    toRead.length === 0
      ? []
      : await batchGetAll(
          deps.client,
          deps.tableName,
          [...toRead.map((uscc) => keys.subject(uscc)), ...refs],
          { ConsistentRead: true },
        );
  const subjects = new Map<string, Subject>();
  const listings = new Map<string, Map<string, StoredListing>>();
  for (const item of stored) {
    const uscc = String(item.uscc);
    if (item.type === ITEM_TYPES.subject) subjects.set(uscc, item as unknown as Subject);
    else if (item.type === ITEM_TYPES.listing) {
      const perSubject = listings.get(uscc) ?? new Map();
      perSubject.set(listingSortKey(item as unknown as Listing), item as unknown as StoredListing);
      listings.set(uscc, perSubject);
    }
  }
  return { subjects, listings, found: new Set(stored.map((item) => String(item.uscc))) };
}

/** The writes of every subject of a group, with what they come to for the counts. */
function planGroupSubjects(
  deps: StoreDeps,
  actor: Actor,
  bySubject: ReadonlyMap<string, ReadyRow[]>,
  state: GroupState,
  tally: ImportCounts,
) {
  const actions: TransactItems = [];
  const counters = [];
  const flows = [];
  const moved: Subject[] = [];
  const created: string[] = [];
  for (const [uscc, subjectRows] of bySubject) {
    const before = state.subjects.get(uscc);
    const writes = planSubjectWrites(
      deps,
      actor,
      before,
      state.listings.get(uscc) ?? new Map(),
      subjectChanges(subjectRows, tally),
    );
    if (writes === undefined) continue;
    if (before === undefined) {
      tally.subjectsNew += 1;
      created.push(uscc);
    }
    actions.push(...writes.actions);
    counters.push(...writes.counters);
    flows.push(...writes.flows);
    if (before !== undefined && before.district !== writes.subject.district) moved.push(writes.subject);
  }
  return { actions: [...actions, ...counterActions(deps, counters, flows)], moved, created };
}

/**
 * Reads what one group touches and plans its transaction, writing nothing. `rowCounts` are the counts
 * already known for the group's rows (rows, rejected, persons skipped…); the outcomes of the writes are
 * added to them and stored with the checkpoint.
 */
export async function prepareGroup(
  deps: StoreDeps,
  actor: Actor,
  position: ChunkPosition,
  rows: readonly ReadyRow[],
  rowCounts: Partial<ImportCounts>,
  options: GroupOptions = {},
): Promise<PreparedGroup> {
  const bySubject = rowsBySubject(rows);
  const at = deps.clock.now().toISOString();
  // Optimistic: a group of listing rows only may assume that subjects this import has not written yet
  // are new (the common case of a first push) and read only the others; the transaction's not-exists
  // conditions check the assumption, and a failed check plans the group again from full reads.
  const known = options.written ?? new Set<string>();
  const optimistic = options.optimistic === true && rows.every((row) => row.kind === 'listing');
  const toRead = optimistic ? [...bySubject.keys()].filter((uscc) => known.has(uscc)) : [...bySubject.keys()];
  const created = options.created ?? new Set<string>();
  const state = await readGroupState(deps, rows, toRead, created);

  const tally = emptyCounts();
  addCounts(tally, rowCounts);
  const planned = planGroupSubjects(deps, actor, bySubject, state, tally);
  const actions = [...planned.actions, ...countItems(deps, actor, rows, at)];
  tally.enterpriseCounts += rows.filter((row) => row.kind === 'count').length;
  tally.itemsWritten += actions.length + 1;
  actions.push(chunkUpdate(deps, position, tally));
  const foundExisting = [...state.found].some((uscc) => !known.has(uscc));
  return {
    position,
    rows,
    rowCounts,
    bySubject,
    actions,
    moved: planned.moved,
    at,
    assumed: optimistic || rows.some((row) => row.kind === 'listing' && created.has(row.subject.uscc)),
    known,
    result: { counts: tally, foundExisting, created: planned.created },
  };
}

/**
 * Commits a prepared group in one transaction. When it raced another writer, or its planning assumed
 * new a subject or a listing that exists, it is planned again from what is stored; a group too big for
 * one transaction is written subject by subject.
 */
export async function commitGroup(
  deps: StoreDeps,
  actor: Actor,
  prepared: PreparedGroup,
): Promise<GroupResult> {
  const { position, rows, rowCounts, actions } = prepared;
  if (actions.length <= TRANSACT_LIMIT) {
    try {
      await transactWrite(deps.client, actions);
      for (const subject of prepared.moved) await syncListingDistricts(deps, subject, actor);
      return prepared.result;
    } catch (error) {
      if (!isTransactionRace(error)) throw error;
      if (raceOnExtra(error, actions.length - 1))
        throw new ChunkTakenOverError(position.importId, position.chunk);
      // an assumption failed: something existed already; plan again from what is stored, reading all
      if (prepared.assumed)
        return applyGroup(deps, actor, position, rows, rowCounts, { written: prepared.known });
    }
  }
  return applySubjectBySubject(deps, actor, position, rows, prepared.bySubject, rowCounts, prepared.at);
}

/** Reads, plans and commits one group. */
export async function applyGroup(
  deps: StoreDeps,
  actor: Actor,
  position: ChunkPosition,
  rows: readonly ReadyRow[],
  rowCounts: Partial<ImportCounts>,
  options: GroupOptions = {},
): Promise<GroupResult> {
  return commitGroup(deps, actor, await prepareGroup(deps, actor, position, rows, rowCounts, options));
}

/** The slow path: each subject in its own transaction with its counters, then the checkpoint. */
async function applySubjectBySubject(
  deps: StoreDeps,
  actor: Actor,
  position: ChunkPosition,
  rows: readonly ReadyRow[],
  bySubject: ReadonlyMap<string, ReadyRow[]>,
  rowCounts: Partial<ImportCounts>,
  at: string,
): Promise<GroupResult> {
  const tally = emptyCounts();
  addCounts(tally, rowCounts);
  const created: string[] = [];
  for (const [uscc, subjectRows] of bySubject) {
    let attemptTally = emptyCounts();
    const writes = await changeSubjectWith(deps, uscc, actor, () => {
      attemptTally = emptyCounts();
      return subjectChanges(subjectRows, attemptTally);
    });
    addCounts(tally, attemptTally);
    if (writes === undefined) continue;
    if (writes.subject.version === 1) {
      tally.subjectsNew += 1;
      created.push(uscc);
    }
    tally.itemsWritten += writes.actions.length + 1;
  }
  const counts = countItems(deps, actor, rows, at);
  tally.enterpriseCounts += counts.length;
  tally.itemsWritten += counts.length + 1;
  try {
    // enterprise counts are plain puts of the latest figure: writing them again is harmless
    await transactWrite(deps.client, [...counts, chunkUpdate(deps, position, tally)]);
  } catch (error) {
    if (isTransactionRace(error)) throw new ChunkTakenOverError(position.importId, position.chunk);
    throw error;
  }
  return { counts: tally, foundExisting: true, created };
}
