/**
 * A file's content is claimed within its source: a clerk who drops the court's list into `tax/` by
 * mistake can still drop the same file into `court/`, while the same file twice in one source stays
 * a duplicate.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DropStore } from '#shared/object-store.ts';
import { importObject } from '../../functions/import/worker.ts';
import { getImport } from '../../functions/storage/import-store.ts';
import { createTestTable } from '../support/dynamo.ts';
import { COURT_HEADER, courtRows, dropImportId, utf8Csv } from '../support/files.ts';
import { createImportHarness } from '../support/imports.ts';

describe('the content hash', () => {
  it('lets the same bytes be imported in two sources', async () => {
    // Prepare: the court's list, dropped by mistake into tax/ first
    const harness = createImportHarness(await createTestTable('content-hash'));
    const content = utf8Csv([[...COURT_HEADER], ...courtRows(3, 71)]);
    const mistaken = harness.drop('tax', '失信被执行人.csv', content);
    await harness.notify(mistaken);
    // Act
    const intended = harness.drop('court', '失信被执行人.csv', content);
    await harness.notify(intended);
    // Assess
    const receipt = await getImport(harness.deps.store, dropImportId(intended));
    expect((await getImport(harness.deps.store, dropImportId(mistaken)))?.status).not.toBe('duplicate');
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.duplicateOf).toBeUndefined();
    expect(receipt?.counts).toMatchObject({ accepted: 3 });
  });

  it('still makes the same bytes twice in one source a duplicate of the first', async () => {
    // Prepare
    const harness = createImportHarness(await createTestTable('content-hash'));
    const content = utf8Csv([[...COURT_HEADER], ...courtRows(2, 81)]);
    const first = harness.drop('tax', '名单.csv', content);
    await harness.notify(first);
    // Act
    const second = harness.drop('tax', '名单(1).csv', content);
    await harness.notify(second);
    // Assess
    expect(await getImport(harness.deps.store, dropImportId(second))).toMatchObject({
      status: 'duplicate',
      duplicateOf: dropImportId(first),
    });
  });
  it('hashes the file in the same read as its scan: two reads in all for a file written in one go', async () => {
    // Prepare: a drop store that counts the reads of the file
    const harness = createImportHarness(await createTestTable('content-hash'));
    const content = utf8Csv([[...COURT_HEADER], ...courtRows(3, 91)]);
    const key = harness.drop('court', '一次读取.csv', content);
    const reads: string[] = [];
    const drop: DropStore = {
      ...harness.deps.drop,
      read: (read) => {
        reads.push(read);
        return harness.deps.drop.read(read);
      },
    };
    // Act
    await importObject({ ...harness.deps, drop }, { key, eTag: 'etag-1', sequencer: '0055AED6DCD90281E5' });
    // Assess: pass 1 (hash and scan) and the chunk; the hash is that of the whole file
    expect(reads).toEqual([key, key]);
    const receipt = await getImport(harness.deps.store, dropImportId(key));
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.sha256).toBe(createHash('sha256').update(content).digest('hex'));
  });
});
