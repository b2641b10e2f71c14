/**
 * A row ready to write, its subject known by USCC, and what a subject's rows come to: the changes to
 * plan, each tallying its outcome into the import's counts when run.
 */
import {
  type ListingFacts,
  planRecordListing,
  planRegistryUpdate,
  type RecordOutcome,
  type RegistryFacts,
  type RegistryOutcome,
  type SubjectFacts,
} from '#domain/changes.ts';
import type { SubjectChange } from '#domain/subject-writes.ts';
import { IMPORT_COUNT_NAMES, type ImportCounts } from './model.ts';

/** A row ready to write: its subject known by USCC. */
export type ReadyRow =
  | { readonly kind: 'listing'; readonly subject: SubjectFacts; readonly listing: ListingFacts }
  | { readonly kind: 'registry'; readonly uscc: string; readonly facts: RegistryFacts }
  | {
      readonly kind: 'count';
      readonly district: string;
      readonly month: string;
      readonly enterprises: number;
    };

const RECORD_COUNT: Record<RecordOutcome, keyof ImportCounts> = {
  new: 'listingsNew',
  unchanged: 'listingsUnchanged',
  updated: 'listingsUpdated',
  revived: 'listingsRevived',
  'exited-reappeared': 'exitedReappeared',
};
const REGISTRY_COUNT: Record<RegistryOutcome, keyof ImportCounts> = {
  updated: 'registryUpdated',
  unchanged: 'registryUpdated',
  unknown: 'registryUnknown',
  moved: 'subjectsMoved',
};

/** The subject a listing or registry row changes. */
export function usccOf(row: Exclude<ReadyRow, { kind: 'count' }>): string {
  return row.kind === 'listing' ? row.subject.uscc : row.uscc;
}

/** The changes of one subject, with planners that tally their outcomes into `tally` when run. */
export function subjectChanges(rows: readonly ReadyRow[], tally: ImportCounts): SubjectChange[] {
  return rows.map((row) => {
    if (row.kind === 'listing') {
      const ref = { uscc: row.subject.uscc, listType: row.listing.listType, key: row.listing.key };
      return {
        ref,
        planner: planRecordListing(row.subject, row.listing, (outcome) => {
          tally[RECORD_COUNT[outcome]] += 1;
        }),
      };
    }
    if (row.kind === 'registry') {
      return {
        planner: planRegistryUpdate(row.facts, (outcome) => {
          if (outcome !== 'unchanged') tally[REGISTRY_COUNT[outcome]] += 1;
        }),
      };
    }
    throw new Error('enterprise counts do not change subjects');
  });
}

export function addCounts(target: ImportCounts, source: Partial<ImportCounts>) {
  for (const name of IMPORT_COUNT_NAMES) target[name] += source[name] ?? 0;
}

/** Groups a group's rows by the subject they touch; enterprise counts touch none. */
export function rowsBySubject(rows: readonly ReadyRow[]): Map<string, ReadyRow[]> {
  const bySubject = new Map<string, ReadyRow[]>();
  for (const row of rows) {
    if (row.kind === 'count') continue;
    const list = bySubject.get(usccOf(row)) ?? [];
    list.push(row);
    bySubject.set(usccOf(row), list);
  }
  return bySubject;
}
