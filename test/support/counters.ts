/** The counter invariant as a test assertion: the stored district counters equal a recount. */
import { expect } from 'vitest';
import { COUNTER } from '#domain/counting.ts';
import { compareCounts, readCurrentCounters, recountFromListings } from '#storage/counter-store.ts';
import type { StoreDeps } from '#storage/subject-store.ts';

/** Listed subjects, listed enterprises and active listings, per district. */
export const RECOUNTED = [COUNTER.listedSubjects, COUNTER.listedByPrefix('91'), COUNTER.activeListings];

/**
 * Asserts that every subject's stored listing count matches its listings and that `STAT#CURRENT`
 * equals a recount from the listings; returns the stored counters for further checks.
 */
export async function expectCountersEqualRecount(deps: Pick<StoreDeps, 'client' | 'tableName'>) {
  const stored = await readCurrentCounters(deps);
  const truth = await recountFromListings(deps);
  expect(truth.mismatchedSubjects).toEqual([]);
  expect(compareCounts(stored, truth.counts, RECOUNTED)).toEqual([]);
  return stored;
}
