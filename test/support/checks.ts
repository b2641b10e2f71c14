/**
 * Subjects for the joint-punishment check's tests, written straight into the table with the store's own
 * item builders: a listing on the constraint list with the measures triage gives it, or a subject whose
 * listings have all ended.
 */

import type { Classification, Listing, Subject } from '#domain/model.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { CONSTRAINT_MEASURES } from '#domain/triage-state.ts';
import { orgCodeCheckChar, uscc18CheckChar } from '#domain/uscc.ts';
import { batchPutAll } from '#storage/batch.ts';
import { listingItem, subjectItem } from '#storage/subject-store.ts';

const SEEDER: ChangedBy = { principal: 'seed', role: 'system', cause: { kind: 'system', id: 'seed' } };
const AT = '2026-05-01T00:00:00.000Z';

/** A valid enterprise USCC (both checks pass) for each number, in district 130102. */
export function usccOf(index: number, prefix = '91130102'): string {
  const body = String(index).padStart(8, '0');
  const first17 = `${prefix}${body}${orgCodeCheckChar(body)}`;
  return first17 + uscc18CheckChar(first17);
}

/** The rule's answer C1 (constraint list) with every constraint measure in force since `since`. */
export function constraintClassification(since: string): Classification {
  return {
    list: 'constrain',
    track: 'joint-punishment',
    ruleId: 'C1',
    reason: '不符合退出和帮扶条件，列入约束清单',
    inputs: {} as Classification['inputs'],
    ruleTableVersion: '2026-04-01.1',
    asOf: since,
    decidedAt: AT,
    measures: CONSTRAINT_MEASURES.map(({ code, label }) => ({ code, label, since, decidedBy: 'rule:C1' })),
  };
}

function subjectOf(uscc: string, activeListings: number): Subject {
  return {
    uscc,
    name: `石家庄测试${uscc.slice(-4)}有限公司`,
    district: '130102',
    districtSource: 'column',
    flags: {},
    activeListings,
    version: 1,
    createdAt: AT,
    updatedAt: AT,
  };
}

function listingOf(uscc: string, status: Listing['status']): Listing {
  return {
    uscc,
    listType: 'tax-violation',
    key: '冀税稽罚〔2026〕1号',
    department: '国家税务总局石家庄市税务局',
    listedAt: '2026-01-05',
    status,
    district: '130102',
    ...(status === 'exited' ? {} : { classification: constraintClassification('2026-05-01') }),
    source: 'tax',
    createdAt: AT,
    updatedAt: AT,
  };
}

/**
 * Writes `listed` subjects with one active listing on the constraint list, `exitPending` ones whose
 * listing awaits exit confirmation (still listed), and `unlisted` subjects whose one listing has exited,
 * in batches (the counters are not this helper's business).
 */
export async function seedCheckSubjects(
  store: { client: Parameters<typeof batchPutAll>[0]; tableName: string },
  seed: { listed: readonly string[]; unlisted: readonly string[]; exitPending?: readonly string[] },
): Promise<void> {
  const items = [
    ...(seed.exitPending ?? []).flatMap((uscc) => [
      subjectItem(subjectOf(uscc, 1), SEEDER),
      listingItem(listingOf(uscc, 'exit-pending'), 1, SEEDER),
    ]),
    ...seed.listed.flatMap((uscc) => [
      subjectItem(subjectOf(uscc, 1), SEEDER),
      listingItem(listingOf(uscc, 'active'), 1, SEEDER),
    ]),
    ...seed.unlisted.flatMap((uscc) => [
      subjectItem(subjectOf(uscc, 0), SEEDER),
      listingItem(listingOf(uscc, 'exited'), 1, SEEDER),
    ]),
  ];
  await batchPutAll(store.client, store.tableName, items, 8);
}
