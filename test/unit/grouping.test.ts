import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReadyRow } from '../../functions/import/apply-group.ts';
import { GROUP_ACTION_BUDGET, planGroups } from '../../functions/import/grouping.ts';

const DISTRICTS = ['130102', '130104', '130105', '130108', '130123'];

const listingRows = fc.array(
  fc.record({
    subject: fc.nat({ max: 60 }),
    district: fc.constantFrom(...DISTRICTS),
    key: fc.nat({ max: 5 }),
  }),
  { maxLength: 400 },
);

function toRows(specs: { subject: number; district: string; key: number }[]): ReadyRow[] {
  return specs.map(({ subject, district, key }) => ({
    kind: 'listing',
    subject: { uscc: `S${subject}`, name: 'n', district, districtSource: 'column' },
    listing: { listType: 'court-debtor', key: `K${key}`, department: 'd', source: 'court' },
  }));
}

const usccOf = (row: ReadyRow) =>
  row.kind === 'listing' ? row.subject.uscc : row.kind === 'registry' ? row.uscc : '';

describe('planGroups', () => {
  it('places every row exactly once, a subject’s rows in one group and in file order', () => {
    fc.assert(
      fc.property(listingRows, (specs) => {
        const rows = toRows(specs);
        const groups = planGroups(rows);
        expect(groups.flat()).toHaveLength(rows.length);
        expect(new Set(groups.flat())).toEqual(new Set(rows));
        const groupOf = new Map<string, number>();
        groups.forEach((group, index) => {
          for (const row of group) {
            const seen = groupOf.get(usccOf(row));
            expect(seen === undefined || seen === index).toBe(true);
            groupOf.set(usccOf(row), index);
          }
          const bySubject = group.filter((row) => usccOf(row) === usccOf(group[0] as ReadyRow));
          const inFile = rows.filter((row) => usccOf(row) === usccOf(group[0] as ReadyRow));
          expect(bySubject).toEqual(inFile);
        });
      }),
    );
  });

  it('keeps each group within the action budget: subjects, listings and two counters per district', () => {
    fc.assert(
      fc.property(listingRows, (specs) => {
        for (const group of planGroups(toRows(specs))) {
          const subjects = new Set(group.map(usccOf)).size;
          const districts = new Set(group.map((row) => (row.kind === 'listing' ? row.subject.district : '')))
            .size;
          const actions = subjects + group.length + 2 * districts;
          // a single subject larger than the budget still makes a group of its own
          if (subjects > 1) expect(actions).toBeLessThanOrEqual(GROUP_ACTION_BUDGET);
        }
      }),
    );
  });

  it('fills groups near the budget when districts repeat', () => {
    const rows = toRows(
      Array.from({ length: 300 }, (_, index) => ({
        subject: index,
        district: DISTRICTS[index % 5] as string,
        key: 0,
      })),
    );
    const groups = planGroups(rows);
    // 300 single-listing subjects over five districts: about 44 per group
    expect(groups.length).toBeLessThanOrEqual(8);
  });
});
