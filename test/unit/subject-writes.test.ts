import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planExitListing, planMoveSubject, planRecordListing } from '#domain/changes.ts';
import { COUNTER } from '#domain/counting.ts';
import { isCountingStatus, type Subject } from '#domain/model.ts';
import {
  listingSortKey,
  planSubjectChanges,
  type StoredListing,
  type SubjectChange,
} from '#domain/subject-writes.ts';

const USCC = '914403001922038216';
const subjectFacts = { uscc: USCC, name: '测试公司', district: '130102', districtSource: 'column' } as const;
const LIST_TYPES = ['court-debtor', 'tax-violation'] as const;
const NOW = new Date('2026-03-01T00:00:00Z');

type Op =
  | { kind: 'record'; listType: (typeof LIST_TYPES)[number]; key: string; department: string }
  | { kind: 'exit'; listType: (typeof LIST_TYPES)[number]; key: string }
  | { kind: 'move'; district: string };

const listType = fc.constantFrom(...LIST_TYPES);
const key = fc.constantFrom('A', 'B', 'C');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('record' as const),
    listType,
    key,
    department: fc.constantFrom('法院', '税务局'),
  }),
  fc.record({ kind: fc.constant('exit' as const), listType, key }),
  fc.record({ kind: fc.constant('move' as const), district: fc.constantFrom('130102', '130104') }),
);

function change(operation: Op): SubjectChange {
  if (operation.kind === 'move') return { planner: planMoveSubject(operation.district, 'manual') };
  const ref = { uscc: USCC, listType: operation.listType, key: operation.key };
  if (operation.kind === 'exit') return { ref, planner: planExitListing('履行完毕') };
  return {
    ref,
    planner: planRecordListing(
      subjectFacts,
      { listType: operation.listType, key: operation.key, department: operation.department, source: 'court' },
      () => undefined,
    ),
  };
}

function sum(deltas: readonly { attribute: string; delta: number }[], attribute: string): number {
  return deltas
    .filter((delta) => delta.attribute === attribute)
    .reduce((total, delta) => total + delta.delta, 0);
}

describe('planSubjectChanges', () => {
  it('keeps the active count equal to the counting listings after any sequence of planned changes', () => {
    fc.assert(
      fc.property(fc.array(fc.array(op, { maxLength: 6 }), { maxLength: 6 }), (batches) => {
        // each batch is one transaction: its result becomes what is stored for the next
        let subject: Subject | undefined;
        const stored = new Map<string, StoredListing>();
        let listedCounter = 0;
        for (const batch of batches) {
          const result = planSubjectChanges(subject, stored, batch.map(change), NOW);
          if (result === undefined) continue;
          expect(result.subject.version).toBe((subject?.version ?? 0) + 1);
          for (const { listing, versionRead } of result.listings) {
            expect(versionRead).toBe(stored.get(listingSortKey(listing))?.version);
            stored.set(listingSortKey(listing), { ...listing, version: (versionRead ?? 0) + 1 });
          }
          subject = result.subject;
          listedCounter += sum(result.counters, COUNTER.listedSubjects);
        }
        const counting = [...stored.values()].filter((listing) => isCountingStatus(listing.status));
        expect(subject?.activeListings ?? 0).toBe(counting.length);
        for (const type of LIST_TYPES) {
          expect(subject?.activeByListType?.[type] ?? 0).toBe(
            counting.filter((listing) => listing.listType === type).length,
          );
        }
        expect(listedCounter).toBe(counting.length > 0 ? 1 : 0);
      }),
    );
  });

  it('changes nothing when no planner does', () => {
    expect(
      planSubjectChanges(
        undefined,
        new Map(),
        [change({ kind: 'exit', listType: 'court-debtor', key: 'A' })],
        NOW,
      ),
    ).toBeUndefined();
  });

  it('writes a new subject and listing at version 1, stamped with the time given', () => {
    const result = planSubjectChanges(
      undefined,
      new Map(),
      [change({ kind: 'record', listType: 'court-debtor', key: 'A', department: '法院' })],
      NOW,
    );
    expect(result?.subject).toMatchObject({ version: 1, activeListings: 1, createdAt: NOW.toISOString() });
    expect(result?.listings).toEqual([
      expect.objectContaining({
        versionRead: undefined,
        listing: expect.objectContaining({ status: 'active' }),
      }),
    ]);
  });
});
