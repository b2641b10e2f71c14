import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COUNTER, FLOW, groupByDistrict, subjectDeltas } from '#domain/counting.ts';

const district = fc.constantFrom('130102', '130104', '130105', 'UNASSIGNED');
const state = fc.record({ district, activeListings: fc.nat({ max: 4 }) });

function sum(
  deltas: readonly { district: string; attribute: string; delta: number }[],
  attribute: string,
  where?: string,
) {
  return deltas
    .filter((delta) => delta.attribute === attribute && (where === undefined || delta.district === where))
    .reduce((total, delta) => total + delta.delta, 0);
}

describe('subjectDeltas', () => {
  it('moves the listed count city-wide by exactly the change in being listed', () => {
    fc.assert(
      fc.property(fc.option(state, { nil: undefined }), state, (before, after) => {
        const { counters } = subjectDeltas('914403001922038216', before, after);
        const listedBefore = before !== undefined && before.activeListings > 0 ? 1 : 0;
        const listedAfter = after.activeListings > 0 ? 1 : 0;
        expect(sum(counters, COUNTER.listedSubjects)).toBe(listedAfter - listedBefore);
        expect(sum(counters, COUNTER.listedByPrefix('91'))).toBe(listedAfter - listedBefore);
      }),
    );
  });

  it('keeps every district count between what a recount before and after would give', () => {
    fc.assert(
      fc.property(state, state, (before, after) => {
        const { counters } = subjectDeltas('914403001922038216', before, after);
        for (const code of ['130102', '130104', '130105', 'UNASSIGNED']) {
          const was = before.district === code && before.activeListings > 0 ? 1 : 0;
          const is = after.district === code && after.activeListings > 0 ? 1 : 0;
          expect(sum(counters, COUNTER.listedSubjects, code)).toBe(is - was);
        }
      }),
    );
  });

  it('records a first listing as newly listed and a last exit as exited, with its reason', () => {
    const first = subjectDeltas('914403001922038216', undefined, { district: '130102', activeListings: 1 });
    const last = subjectDeltas(
      '914403001922038216',
      { district: '130102', activeListings: 1 },
      { district: '130102', activeListings: 0 },
      'term-expired',
    );
    expect(sum(first.flows, FLOW.newlyListed, '130102')).toBe(1);
    expect(sum(last.flows, FLOW.exited, '130102')).toBe(1);
    expect(sum(last.flows, FLOW.exitedByReason('term-expired'), '130102')).toBe(1);
  });

  it('moves a listed subject between districts without counting it as new or exited', () => {
    const moved = subjectDeltas(
      '914403001922038216',
      { district: '130102', activeListings: 2 },
      { district: '130105', activeListings: 2 },
    );
    expect(sum(moved.flows, FLOW.newlyListed)).toBe(0);
    expect(sum(moved.flows, FLOW.exited)).toBe(0);
    expect(sum(moved.flows, FLOW.movedOut, '130102')).toBe(1);
    expect(sum(moved.flows, FLOW.movedIn, '130105')).toBe(1);
  });

  it('records a move by USCC prefix too, so the evaluation can take it back out of a scope', () => {
    const moved = subjectDeltas(
      '914403001922038216',
      { district: '130102', activeListings: 1 },
      { district: '130105', activeListings: 1 },
    );
    expect(sum(moved.flows, FLOW.movedOutByPrefix('91'), '130102')).toBe(1);
    expect(sum(moved.flows, FLOW.movedInByPrefix('91'), '130105')).toBe(1);
    expect(sum(moved.flows, FLOW.movedInByPrefix('12'))).toBe(0);
  });
});

describe('groupByDistrict', () => {
  it('merges deltas per district and drops those that cancel out', () => {
    const grouped = groupByDistrict([
      { district: 'A', attribute: 'x', delta: 1 },
      { district: 'A', attribute: 'x', delta: -1 },
      { district: 'B', attribute: 'x', delta: 2 },
    ]);
    expect([...grouped.keys()]).toEqual(['B']);
    expect(grouped.get('B')?.get('x')).toBe(2);
  });
});
