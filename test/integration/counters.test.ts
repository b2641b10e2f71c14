import { beforeAll, describe, expect, it } from 'vitest';
import { planExitListing, planMoveSubject, planRecordListing, type SubjectFacts } from '#domain/changes.ts';
import { COUNTER } from '#domain/counting.ts';
import type { ListType } from '#domain/model.ts';
import { uscc18CheckChar } from '#domain/uscc.ts';
import {
  compareCounts,
  readCurrentCounters,
  recountFromListings,
  recountListedSubjects,
} from '#storage/counter-store.ts';
import { type Actor, changeSubject, getSubject, type StoreDeps } from '#storage/subject-store.ts';
import { createTestTable } from '../support/dynamo.ts';

const actor: Actor = { principal: 'test', role: 'city', cause: { kind: 'system', id: 'counters-test' } };
const DISTRICTS = ['130102', '130104', '130105'];
const ATTRIBUTES = [COUNTER.listedSubjects, COUNTER.listedByPrefix('91'), COUNTER.listedByPrefix('12')];
const WITH_LISTINGS = [...ATTRIBUTES, COUNTER.activeListings];

function makeUscc(prefix: string, serial: number): string {
  const body = `${prefix}130100${String(serial).padStart(8, '0')}0`;
  return body + uscc18CheckChar(body);
}

function facts(uscc: string, district: string): SubjectFacts {
  return { uscc, name: `测试企业${uscc.slice(-4)}`, district, districtSource: 'column' };
}

function record(deps: StoreDeps, uscc: string, district: string, listType: ListType, key: string) {
  return changeSubject(
    deps,
    uscc,
    { uscc, listType, key },
    actor,
    planRecordListing(
      facts(uscc, district),
      { listType, key, department: '长安区人民法院', source: 'test' },
      () => {},
    ),
  );
}

function exit(deps: StoreDeps, uscc: string, listType: ListType, key: string) {
  return changeSubject(deps, uscc, { uscc, listType, key }, actor, planExitListing('term-expired'));
}

/** A small deterministic generator, so a failure can be replayed. */
function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('district counters', () => {
  let deps: StoreDeps;

  beforeAll(async () => {
    const table = await createTestTable('counters');
    deps = { client: table.documentClient, tableName: table.tableName, clock: { now: () => new Date() } };
  });

  it('counts a subject once however many listings it has, and uncounts it at its last exit', async () => {
    // Prepare
    const uscc = makeUscc('91', 1);
    // Act
    await record(deps, uscc, '130102', 'court-debtor', 'A1');
    await record(deps, uscc, '130102', 'tax-violation', 'T1');
    const listed = await readCurrentCounters(deps);
    await exit(deps, uscc, 'court-debtor', 'A1');
    const stillListed = await readCurrentCounters(deps);
    await exit(deps, uscc, 'tax-violation', 'T1');
    await exit(deps, uscc, 'tax-violation', 'T1');
    const exited = await readCurrentCounters(deps);
    // Assess
    expect(listed.get('130102')?.listedSubjects).toBe(1);
    expect(listed.get('130102')?.activeListings).toBe(2);
    expect(stillListed.get('130102')?.listedSubjects).toBe(1);
    expect(exited.get('130102')?.listedSubjects).toBe(0);
    expect(exited.get('130102')?.activeListings).toBe(0);
    expect((await getSubject(deps, uscc))?.activeListings).toBe(0);
  });

  it('keeps the counters equal to a recount under 50 concurrent list, exit and move operations', async () => {
    // Prepare: 8 subjects, each with one listing already
    const random = seeded(42);
    const subjects = Array.from({ length: 8 }, (_, index) =>
      makeUscc(index % 3 === 0 ? '12' : '91', 100 + index),
    );
    await Promise.all(
      subjects.map((uscc, index) => record(deps, uscc, DISTRICTS[index % 3] as string, 'court-debtor', 'K0')),
    );
    const keysOf = new Map(subjects.map((uscc) => [uscc, ['K0']]));

    // Act: 50 operations at once on the same 8 subjects
    const operations = Array.from({ length: 50 }, (_, index) => {
      const uscc = subjects[Math.floor(random() * subjects.length)] as string;
      const choice = random();
      const known = keysOf.get(uscc) as string[];
      if (choice < 0.45) {
        const key = `K${index}`;
        known.push(key);
        return record(deps, uscc, DISTRICTS[Math.floor(random() * 3)] as string, 'court-debtor', key);
      }
      if (choice < 0.85)
        return exit(deps, uscc, 'court-debtor', known[Math.floor(random() * known.length)] as string);
      return changeSubject(
        deps,
        uscc,
        undefined,
        actor,
        planMoveSubject(DISTRICTS[Math.floor(random() * 3)] as string, 'manual'),
      );
    });
    await Promise.all(operations);

    // Assess
    const stored = await readCurrentCounters(deps);
    const truth = await recountFromListings(deps);
    const fromIndex = await recountListedSubjects(deps);
    expect(truth.mismatchedSubjects).toEqual([]);
    expect(compareCounts(stored, truth.counts, WITH_LISTINGS)).toEqual([]);
    expect(compareCounts(stored, fromIndex, ATTRIBUTES)).toEqual([]);
    const total = [...stored.values()].reduce((sum, counts) => sum + (counts.listedSubjects ?? 0), 0);
    expect(total).toBeGreaterThan(0);
  });

  it('moves the count with the subject when its district changes', async () => {
    // Prepare
    const uscc = makeUscc('91', 900);
    await record(deps, uscc, '130102', 'market-violation', 'M1');
    const before = await readCurrentCounters(deps);
    // Act
    await changeSubject(deps, uscc, undefined, actor, planMoveSubject('130105', 'manual'));
    const after = await readCurrentCounters(deps);
    // Assess
    expect((after.get('130102')?.listedSubjects ?? 0) - (before.get('130102')?.listedSubjects ?? 0)).toBe(-1);
    expect((after.get('130105')?.listedSubjects ?? 0) - (before.get('130105')?.listedSubjects ?? 0)).toBe(1);
    // its active listing moves too, and a later exit takes it from the new district
    expect(
      (after.get('130105')?.['active_market-violation'] ?? 0) -
        (before.get('130105')?.['active_market-violation'] ?? 0),
    ).toBe(1);
    await exit(deps, uscc, 'market-violation', 'M1');
    const exited = await readCurrentCounters(deps);
    expect(exited.get('130105')?.['active_market-violation']).toBe(
      before.get('130105')?.['active_market-violation'] ?? 0,
    );
    expect(exited.get('130102')?.activeListings).toBe((before.get('130102')?.activeListings ?? 0) - 1);
  });
});
