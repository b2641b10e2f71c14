/**
 * Files split into chunks (README.md, imports: Scale): with a queue, a file of more rows than a chunk holds
 * goes out as one message per chunk; the chunks complete the import once, with the right counts,
 * whether they run one after the other, at the same time, or are delivered again.
 */
import { describe, expect, it } from 'vitest';
import { readCurrentCounters } from '#storage/counter-store.ts';
import { handleMessage } from '../../functions/import/create-handler.ts';
import { getChunks, getImport } from '../../functions/storage/import-store.ts';
import { expectCountersEqualRecount } from '../support/counters.ts';
import { createTestTable } from '../support/dynamo.ts';
import { COURT_HEADER, courtRows, dropImportId, itemsOfType, utf8Csv } from '../support/files.ts';
import { createImportHarness } from '../support/imports.ts';

async function chunkedHarness() {
  return createImportHarness(await createTestTable('import-chunks'), {
    withQueue: true,
    settings: { chunkRows: 10 },
  });
}

describe('a file of 35 rows in chunks of 10', () => {
  it('goes out as 4 chunk messages, and draining them completes the import once', async () => {
    // Prepare
    const harness = await chunkedHarness();
    const key = harness.drop('court', '分块.csv', utf8Csv([[...COURT_HEADER], ...courtRows(35)]));
    const importId = dropImportId(key);
    // Act
    await harness.notify(key);
    const messages = harness.sent.map((body) => JSON.parse(body));
    const running = await getImport(harness.deps.store, importId);
    await harness.drain();
    // Assess
    expect(messages).toEqual([0, 1, 2, 3].map((chunk) => ({ kind: 'import-chunk', importId, chunk })));
    expect(running).toMatchObject({ status: 'running', chunks: 4 });
    expect(running?.counts).toBeUndefined();
    const chunks = await getChunks(harness.deps.store, importId);
    expect(chunks.map(({ fromRow, toRow, done }) => ({ fromRow, toRow, done }))).toEqual([
      { fromRow: 0, toRow: 9, done: true },
      { fromRow: 10, toRow: 19, done: true },
      { fromRow: 20, toRow: 29, done: true },
      { fromRow: 30, toRow: 34, done: true },
    ]);
    const receipt = await getImport(harness.deps.store, importId);
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.counts).toMatchObject({
      rows: 35,
      accepted: 35,
      listingsNew: 35,
      subjectsNew: 35,
      rejected: 0,
    });
    const listings = await itemsOfType(harness.deps.store, 'listing');
    expect(listings).toHaveLength(35);
    // each row's listing written once, by this import
    expect(new Set(listings.map((listing) => listing.key)).size).toBe(35);
    expect(new Set(listings.map((listing) => listing.importId))).toEqual(new Set([importId]));
    expect((await readCurrentCounters(harness.deps.store)).get('130102')).toMatchObject({
      listedSubjects: 35,
      activeListings: 35,
    });

    // Act: every chunk message delivered once more
    for (const body of messages) await handleMessage(harness.deps, JSON.stringify(body));
    // Assess
    expect(await getImport(harness.deps.store, importId)).toEqual(receipt);
    expect(await itemsOfType(harness.deps.store, 'listing')).toHaveLength(35);
  });

  it('completes once with the right counts when the chunks run at the same time', async () => {
    // Prepare
    const harness = await chunkedHarness();
    const key = harness.drop('court', '并行.csv', utf8Csv([[...COURT_HEADER], ...courtRows(35)]));
    const importId = dropImportId(key);
    await harness.notify(key);
    const messages = harness.sent.splice(0);
    // Act
    await Promise.all(messages.map((body) => handleMessage(harness.deps, body)));
    // Assess
    expect(messages).toHaveLength(4);
    const receipt = await getImport(harness.deps.store, importId);
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.counts).toMatchObject({ rows: 35, accepted: 35, listingsNew: 35, subjectsNew: 35 });
    const stored = await expectCountersEqualRecount(harness.deps.store);
    expect(stored.get('130102')?.activeListings).toBe(35);
  });

  it('counts a row that repeats one of another chunk as a duplicate, whichever chunk runs first', async () => {
    // Prepare: rows 3 and 17 are listed again as rows 33 and 34, in the last chunk
    const harness = await chunkedHarness();
    const rows = courtRows(33);
    const lines = [[...COURT_HEADER], ...rows, [...(rows[2] as string[])], [...(rows[16] as string[])]];
    const key = harness.drop('court', '跨块重复.csv', utf8Csv(lines));
    const importId = dropImportId(key);
    await harness.notify(key);
    // Act: the last chunk first
    for (const body of harness.sent.splice(0).reverse()) await handleMessage(harness.deps, body);
    // Assess
    const receipt = await getImport(harness.deps.store, importId);
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.counts).toMatchObject({
      rows: 35,
      listingsNew: 33,
      duplicateRows: 2,
      listingsUnchanged: 0,
    });
    expect(await itemsOfType(harness.deps.store, 'listing')).toHaveLength(33);
    await expectCountersEqualRecount(harness.deps.store);
  });

  it('keeps a file that fits one chunk in one invocation', async () => {
    // Prepare
    const harness = await chunkedHarness();
    const key = harness.drop('court', '小文件.csv', utf8Csv([[...COURT_HEADER], ...courtRows(10)]));
    // Act
    await harness.notify(key);
    // Assess
    expect(harness.sent).toEqual([]);
    expect((await getImport(harness.deps.store, dropImportId(key)))?.status).toBe('succeeded');
  });
});
