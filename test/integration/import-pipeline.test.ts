/**
 * The worker reads and plans groups ahead of the one it commits (README.md, Benchmark: the import keeps
 * DynamoDB busy). With buffers of a few rows, one subject's rows fall into groups that are read while
 * the group before them is still being committed: every listing must still land once, every subject
 * carry all its listings, the counters equal a recount, and every committed change have one trail entry. A group
 * waits for the commit of the groups before it that touch its subjects, so no transaction is cancelled
 * for having planned from a subject read too early.
 */
import { describe, expect, it } from 'vitest';
import { getImport } from '../../functions/storage/import-store.ts';
import { expectCountersEqualRecount } from '../support/counters.ts';
import { createTestTable } from '../support/dynamo.ts';
import { COURT_HEADER, courtRow, dropImportId, itemsOfType, makeUscc, utf8Csv } from '../support/files.ts';
import { createImportHarness } from '../support/imports.ts';
import { allTrailEntries, expectOneEntryPerCommittedChange, trailReader } from '../support/trail.ts';

const SUBJECTS = 15;
const ROWS = 120;

/** Rows 0–59 list each subject four times in a row; rows 60–119 cycle through them again. */
function subjectOfRow(row: number): number {
  return row < ROWS / 2 ? Math.floor(row / 4) : row % SUBJECTS;
}

function rows(): string[][] {
  return Array.from({ length: ROWS }, (_, row) => {
    const serial = subjectOfRow(row) + 1;
    return courtRow({
      name: `石家庄流水线测试公司${serial}`,
      uscc: makeUscc(serial),
      district: serial % 2 === 0 ? '长安区' : '桥西区',
      caseNo: `(2022)冀0102执${row + 1}号`,
    });
  });
}

describe('groups read ahead of the commit', () => {
  it.each([
    { bufferRows: 6, what: 'buffers of 6 rows' },
    { bufferRows: 1, what: 'a buffer per row' },
  ])('with $what, land every listing once with its counts and trail', async ({ bufferRows }) => {
    // Prepare
    const table = await createTestTable('import-pipeline', { stream: true });
    const cancelled: string[] = [];
    table.documentClient.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          if (error instanceof Error && error.name === 'TransactionCanceledException')
            cancelled.push(error.message);
          throw error;
        }
      },
      { step: 'initialize', name: 'observeCancellations' },
    );
    const harness = createImportHarness(table, { settings: { bufferRows } });
    const key = harness.drop('court', '流水线测试.csv', utf8Csv([[...COURT_HEADER], ...rows()]));

    // Act
    await harness.notify(key);

    // Assess
    const receipt = await getImport(harness.deps.store, dropImportId(key));
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.counts).toMatchObject({
      rows: ROWS,
      accepted: ROWS,
      listingsNew: ROWS,
      subjectsNew: SUBJECTS,
      listingsUnchanged: 0,
    });
    const subjects = await itemsOfType(harness.deps.store, 'subject');
    expect(subjects).toHaveLength(SUBJECTS);
    expect(subjects.map((subject) => subject.activeListings)).toEqual(
      Array.from({ length: SUBJECTS }, () => ROWS / SUBJECTS),
    );
    expect(await itemsOfType(harness.deps.store, 'listing')).toHaveLength(ROWS);
    await expectCountersEqualRecount(harness.deps.store);
    // one entry for each version every subject and listing went through
    const trail = await expectOneEntryPerCommittedChange(table, expect);
    expect(trail.items).toBe(ROWS + SUBJECTS);
    expect(cancelled).toEqual([]);
  });
});

describe('a commit that fails with groups read ahead', () => {
  it('stops the import without hanging, and the retry completes with one trail entry per committed change', async () => {
    // Prepare: the 5th transaction fails as a DynamoDB outage would
    const table = await createTestTable('import-pipeline', { stream: true });
    let transactions = 0;
    let failing = true;
    table.documentClient.middlewareStack.add(
      (next, context) => async (args) => {
        if (/TransactWrite/.test(String(context.commandName)) && failing && ++transactions === 5) {
          throw Object.assign(new Error('injected outage'), { name: 'InternalServerError' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'injectOutage' },
    );
    const harness = createImportHarness(table, { settings: { bufferRows: 6 } });
    const key = harness.drop('court', '中断重试.csv', utf8Csv([[...COURT_HEADER], ...rows()]));

    // Act: the delivery fails; SQS delivers it again once DynamoDB is back
    await expect(harness.notify(key)).rejects.toThrow('injected outage');
    const reader = trailReader(table);
    await reader.drain();
    const trailAfterFailure = await allTrailEntries(table);
    failing = false;
    await harness.notify(key);

    // Assess: the groups committed before the outage have their trail; the retry wrote the rest once
    await reader.stop();
    expect(trailAfterFailure.length).toBeGreaterThan(0);
    const receipt = await getImport(harness.deps.store, dropImportId(key));
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.counts).toMatchObject({ rows: ROWS, listingsNew: ROWS, subjectsNew: SUBJECTS });
    expect(await itemsOfType(harness.deps.store, 'listing')).toHaveLength(ROWS);
    await expectCountersEqualRecount(harness.deps.store);
    const trail = await expectOneEntryPerCommittedChange(table, expect);
    expect(trail.items).toBe(ROWS + SUBJECTS);
  });
});
