/**
 * Imports are idempotent (docs/files.md, Sending the same file twice): the same file twice, the same event twice, the same row
 * twice in a file: no duplicate subjects, listings or counts. A worker killed mid-file is in
 * import-kill.test.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTER } from '#domain/counting.ts';
import { readCurrentCounters } from '#storage/counter-store.ts';
import { getListings } from '#storage/subject-store.ts';
import { getImport } from '../../functions/storage/import-store.ts';
import { expectCountersEqualRecount } from '../support/counters.ts';
import { createTestTable } from '../support/dynamo.ts';
import { COURT_HEADER, courtRows, dropImportId, itemsOfType, makeUscc, utf8Csv } from '../support/files.ts';
import { createImportHarness, type ImportHarness } from '../support/imports.ts';

const _COUNTED = [COUNTER.listedSubjects, COUNTER.listedByPrefix('91'), COUNTER.activeListings];

async function freshHarness() {
  return createImportHarness(await createTestTable('import-idempotency'));
}

/** Everything an import can change about subjects, listings and counts, to compare before and after. */
async function domainState(harness: ImportHarness) {
  const items = await itemsOfType(harness.deps.store, 'subject', 'listing', 'audit', 'counter', 'flow');
  return items.map((item) => JSON.stringify(item)).sort();
}

describe('the same file twice', () => {
  it('imports the content once: the copy under another name is a duplicate that changes nothing', async () => {
    // Prepare
    const harness = await freshHarness();
    const content = utf8Csv([[...COURT_HEADER], ...courtRows(5)]);
    const first = harness.drop('court', '失信被执行人11月.csv', content);
    await harness.notify(first);
    const before = await domainState(harness);
    const countersBefore = await readCurrentCounters(harness.deps.store);
    const second = harness.drop('court', '失信被执行人11月(1).csv', content);
    // Act
    await harness.notify(second);
    // Assess
    const receipt = await getImport(harness.deps.store, dropImportId(second));
    expect(receipt?.status).toBe('duplicate');
    expect(receipt?.duplicateOf).toBe(dropImportId(first));
    expect(receipt?.counts).toBeUndefined();
    expect(await domainState(harness)).toEqual(before);
    expect(await readCurrentCounters(harness.deps.store)).toEqual(countersBefore);
    expect(existsSync(join(harness.root, second))).toBe(false);
    expect(
      existsSync(join(harness.root, `processed/court/${dropImportId(second)}/失信被执行人11月(1).csv`)),
    ).toBe(true);
  });
});

describe('the same notification twice', () => {
  it('makes one import when S3 delivers the event again after the first finished', async () => {
    // Prepare
    const harness = await freshHarness();
    const key = harness.drop('court', '名单.csv', utf8Csv([[...COURT_HEADER], ...courtRows(4)]));
    await harness.notify(key);
    const receipt = await getImport(harness.deps.store, dropImportId(key));
    const before = await domainState(harness);
    // Act
    await harness.notify(key);
    // Assess
    expect(await itemsOfType(harness.deps.store, 'import')).toHaveLength(1);
    expect(await getImport(harness.deps.store, dropImportId(key))).toEqual(receipt);
    expect(await domainState(harness)).toEqual(before);
  });

  it('makes one import when the two deliveries run at the same time', async () => {
    // Prepare: enough rows for several groups, so the two workers meet on the way
    const harness = await freshHarness();
    const key = harness.drop('court', '名单.csv', utf8Csv([[...COURT_HEADER], ...courtRows(120)]));
    // Act
    await Promise.all([harness.notify(key), harness.notify(key)]);
    // Assess
    expect(await itemsOfType(harness.deps.store, 'import')).toHaveLength(1);
    const receipt = await getImport(harness.deps.store, dropImportId(key));
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.counts).toMatchObject({ rows: 120, accepted: 120, listingsNew: 120, subjectsNew: 120 });
    expect(await itemsOfType(harness.deps.store, 'listing')).toHaveLength(120);
    expect(await itemsOfType(harness.deps.store, 'subject')).toHaveLength(120);
    const stored = await expectCountersEqualRecount(harness.deps.store);
    expect(stored.get('130102')?.activeListings).toBe(120);
  });
});

describe('the same row twice in a file', () => {
  it('counts a repeated row once as a duplicate, next to the first or in a later buffer', async () => {
    // Prepare: buffers of 10 rows; row 1 repeated at once, row 2 repeated 44 rows later
    const harness = createImportHarness(await createTestTable('import-idempotency'), {
      settings: { bufferRows: 10 },
    });
    const rows = courtRows(45);
    const [one, two] = rows as [string[], string[]];
    const lines = [[...COURT_HEADER], one, [...one], ...rows.slice(1), [...two]];
    const key = harness.drop('court', '重复.csv', utf8Csv(lines));
    // Act
    await harness.notify(key);
    // Assess
    const receipt = await getImport(harness.deps.store, dropImportId(key));
    expect(receipt?.counts).toMatchObject({
      rows: 47,
      listingsNew: 45,
      subjectsNew: 45,
      duplicateRows: 2,
      listingsUnchanged: 0,
    });
    expect(await getListings(harness.deps.store, makeUscc(1))).toHaveLength(1);
    expect(await getListings(harness.deps.store, makeUscc(2))).toHaveLength(1);
    const stored = await readCurrentCounters(harness.deps.store);
    expect(stored.get('130102')).toMatchObject({ listedSubjects: 45, activeListings: 45 });
    await expectCountersEqualRecount(harness.deps.store);
  });

  it('keeps the first of two rows for one case, and tells a repeat from a listing already stored', async () => {
    // Prepare: 30 listings stored; a new file lists them again, and its last row repeats the first
    // with another listed date
    const harness = createImportHarness(await createTestTable('import-idempotency'), {
      settings: { bufferRows: 10 },
    });
    const rows = courtRows(30);
    await harness.notify(harness.drop('court', '首批.csv', utf8Csv([[...COURT_HEADER], ...rows])));
    const first = rows[0] as string[];
    const laterDate = [...first.slice(0, 5), '2022-12-01'];
    const key = harness.drop('court', '次批.csv', utf8Csv([[...COURT_HEADER], ...rows, laterDate]));
    // Act
    await harness.notify(key);
    // Assess
    const receipt = await getImport(harness.deps.store, dropImportId(key));
    expect(receipt?.counts).toMatchObject({
      rows: 31,
      listingsNew: 0,
      listingsUnchanged: 30,
      listingsUpdated: 0,
      duplicateRows: 1,
    });
    const [listing] = await getListings(harness.deps.store, makeUscc(1));
    expect(listing?.listedAt).toBe(first[5]);
  });
});

describe('a file put again at the key of a finished import', () => {
  const importId = '6f1c2a9e-1b2c-4d3e-8f40-123456789abc';

  it('finishes an interrupted move when the bytes are the same', async () => {
    // Prepare: imported once; then the same bytes reappear in incoming/ (a copy whose delete failed)
    const harness = await freshHarness();
    const content = utf8Csv([[...COURT_HEADER], ...courtRows(2)]);
    const key = harness.drop('court', `${importId}/名单.csv`, content);
    await harness.notify(key);
    const before = await domainState(harness);
    harness.drop('court', `${importId}/名单.csv`, content);
    // Act
    await harness.notify(key);
    // Assess
    expect(existsSync(join(harness.root, key))).toBe(false);
    expect(existsSync(join(harness.root, `processed/court/${importId}/名单.csv`))).toBe(true);
    expect(await domainState(harness)).toEqual(before);
  });

  it('sets another file aside with a report instead of overwriting the archived one', async () => {
    // Prepare
    const harness = await freshHarness();
    const key = harness.drop('court', `${importId}/名单.csv`, utf8Csv([[...COURT_HEADER], ...courtRows(2)]));
    await harness.notify(key);
    const before = await domainState(harness);
    const receipt = await getImport(harness.deps.store, importId);
    harness.drop('court', `${importId}/名单.csv`, utf8Csv([[...COURT_HEADER], ...courtRows(3, 700)]));
    // Act
    await harness.notify(key, 'etag-2');
    // Assess: nothing imported, the receipt and the archive untouched, the new file set aside
    expect(await domainState(harness)).toEqual(before);
    expect(await getImport(harness.deps.store, importId)).toEqual(receipt);
    expect(existsSync(join(harness.root, key))).toBe(false);
    const setAside = readdirSync(join(harness.root, `rejected/court/${importId}`));
    expect(setAside.some((name) => name.startsWith('reupload-') && name.endsWith('名单.csv'))).toBe(true);
    const report = setAside.find((name) => name.endsWith('.错误报告.txt')) as string;
    expect(readFileSync(join(harness.root, `rejected/court/${importId}`, report), 'utf8')).toContain(
      '重新申请上传地址',
    );
  });
});
