/**
 * One write group: read-then-plan, the optimistic path that reads only the subjects this import wrote
 * when the previous group found nothing older, the listings of subjects this import created that are
 * not read, and the retry from full reads when either assumption fails.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { getSubject, type StoreDeps } from '#storage/subject-store.ts';
import { applyGroup, type ReadyRow } from '../../functions/import/apply-group.ts';
import { emptyCounts } from '../../functions/import/model.ts';
import { createChunks, getChunk } from '../../functions/storage/import-store.ts';
import { expectCountersEqualRecount } from '../support/counters.ts';
import { createTestTable } from '../support/dynamo.ts';
import { makeUscc } from '../support/files.ts';

const actor = {
  principal: 'test',
  role: 'system',
  cause: { kind: 'import', id: 'apply-group-test' },
} as const;
let deps: StoreDeps;

function listingRow(serial: number, caseNo: string): ReadyRow {
  return {
    kind: 'listing',
    subject: {
      uscc: makeUscc(serial),
      name: `测试公司${serial}`,
      district: '130102',
      districtSource: 'column',
    },
    listing: { listType: 'court-debtor', key: caseNo, caseNo, department: '长安区人民法院', source: 'court' },
  };
}

/** The sort keys of every item the client reads by BatchGet while `act` runs. */
async function keysReadDuring(
  client: DynamoDBDocumentClient,
  act: () => Promise<unknown>,
): Promise<string[]> {
  const read: string[] = [];
  const name = `watch-batch-get-${Math.random()}`;
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { RequestItems?: Record<string, { Keys?: { SK?: string }[] }> };
      for (const request of Object.values(input.RequestItems ?? {}))
        for (const key of request.Keys ?? []) if (key.SK !== undefined) read.push(key.SK);
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    await act();
  } finally {
    client.middlewareStack.remove(name);
  }
  return read;
}

const position = (importId: string, groupsDone: number) => ({
  importId,
  chunk: 0,
  before: { checkpoint: -1, groupsDone },
  after: { checkpoint: -1, groupsDone: groupsDone + 1 },
});

beforeAll(async () => {
  const table = await createTestTable('apply-group');
  deps = { client: table.documentClient, tableName: table.tableName, clock: { now: () => new Date() } };
});

describe('applyGroup', () => {
  it('assumes new, fails on a subject that exists, and writes the group again from what is stored', async () => {
    // Prepare: subject 1 is listed already; a chunk at its start
    await createChunks(deps, 'imp-1', [{ fromRow: 0, toRow: 99 }]);
    await applyGroup(
      deps,
      actor,
      {
        importId: 'imp-1',
        chunk: 0,
        before: { checkpoint: -1, groupsDone: 0 },
        after: { checkpoint: -1, groupsDone: 1 },
      },
      [listingRow(1, 'A-1')],
      emptyCounts(),
    );
    const rows = [listingRow(1, 'A-2'), listingRow(2, 'B-1'), listingRow(3, 'C-1')];

    // Act: the optimistic write of three rows, one of whose subjects exists
    const result = await applyGroup(
      deps,
      actor,
      {
        importId: 'imp-1',
        chunk: 0,
        before: { checkpoint: -1, groupsDone: 1 },
        after: { checkpoint: 3, groupsDone: 0 },
      },
      rows,
      { rows: 3 },
      { written: new Set<string>(), optimistic: true },
    );

    // Assess: all three listings, two new subjects, counts equal a recount, checkpoint moved once
    expect(result.foundExisting).toBe(true);
    expect(result.counts).toMatchObject({ rows: 3, listingsNew: 3, subjectsNew: 2 });
    expect((await getSubject(deps, makeUscc(1)))?.activeListings).toBe(2);
    await expectCountersEqualRecount(deps);
    expect(await getChunk(deps, 'imp-1', 0)).toMatchObject({
      checkpoint: 3,
      groupsDone: 0,
      counts: { listingsNew: 4 },
    });
  });

  it('reports a group whose subjects were all new, so the next may skip its reads', async () => {
    await createChunks(deps, 'imp-2', [{ fromRow: 0, toRow: 9 }]);
    const result = await applyGroup(
      deps,
      actor,
      {
        importId: 'imp-2',
        chunk: 0,
        before: { checkpoint: -1, groupsDone: 0 },
        after: { checkpoint: 1, groupsDone: 0 },
      },
      [listingRow(50, 'X-1'), listingRow(51, 'X-2')],
      { rows: 2 },
    );
    expect(result.foundExisting).toBe(false);
    expect(result.counts.subjectsNew).toBe(2);
  });
  it('writes, subject by subject, a group of registry changes too big for one transaction', async () => {
    // Prepare: 120 listed subjects, written in groups small enough for one transaction each
    await createChunks(deps, 'imp-3', [{ fromRow: 0, toRow: 999 }]);
    const serials = Array.from({ length: 120 }, (_, index) => 200 + index);
    let cursor = { checkpoint: -1, groupsDone: 0 };
    for (let start = 0; start < serials.length; start += 20) {
      const after = { checkpoint: cursor.checkpoint, groupsDone: cursor.groupsDone + 1 };
      await applyGroup(
        deps,
        actor,
        { importId: 'imp-3', chunk: 0, before: cursor, after },
        serials.slice(start, start + 20).map((serial) => listingRow(serial, `R-${serial}`)),
        emptyCounts(),
      );
      cursor = after;
    }
    const registryRows: ReadyRow[] = serials.map((serial) => ({
      kind: 'registry',
      uscc: makeUscc(serial),
      facts: { registrationStatus: 'revoked', flags: {} },
    }));

    // Act: one group of 120 registry changes, too big for one transaction
    const result = await applyGroup(
      deps,
      actor,
      { importId: 'imp-3', chunk: 0, before: cursor, after: { checkpoint: 120, groupsDone: 0 } },
      registryRows,
      { rows: 120 },
    );

    // Assess: every subject changed
    expect(result.counts.registryUpdated).toBe(120);
    const stored = await Promise.all(serials.map((serial) => getSubject(deps, makeUscc(serial))));
    expect(stored.map((subject) => subject?.registrationStatus)).toEqual(serials.map(() => 'revoked'));
  });

  it('names the subjects it created, and reads none of their listings in a later group', async () => {
    // Prepare: a first group creates subject 60 with one listing
    await createChunks(deps, 'imp-4', [{ fromRow: 0, toRow: 99 }]);
    const first = await applyGroup(deps, actor, position('imp-4', 0), [listingRow(60, 'P-1')], emptyCounts());
    expect(first.created).toEqual([makeUscc(60)]);
    const created = new Set(first.created);

    // Act: a later group lists the subject again, under another case
    let result: Awaited<ReturnType<typeof applyGroup>> | undefined;
    const read = await keysReadDuring(deps.client, async () => {
      result = await applyGroup(deps, actor, position('imp-4', 1), [listingRow(60, 'P-2')], emptyCounts(), {
        written: created,
        optimistic: true,
        created,
      });
    });

    // Assess: the subject was read, its listing not; two listings, counters equal a recount
    expect(read).toEqual(['PROFILE']);
    expect(result?.counts).toMatchObject({ listingsNew: 1, subjectsNew: 0 });
    expect(result?.created).toEqual([]);
    expect((await getSubject(deps, makeUscc(60)))?.activeListings).toBe(2);
    await expectCountersEqualRecount(deps);
  });

  it('writes again from full reads when a listing of a subject it created exists after all', async () => {
    // Prepare: subject 70 created with listing Q-1, which a later row lists again (a partial push does
    // not drop repeats across buffers)
    await createChunks(deps, 'imp-5', [{ fromRow: 0, toRow: 99 }]);
    const first = await applyGroup(deps, actor, position('imp-5', 0), [listingRow(70, 'Q-1')], emptyCounts());
    const created = new Set(first.created);

    // Act
    const result = await applyGroup(
      deps,
      actor,
      position('imp-5', 1),
      [listingRow(70, 'Q-1'), listingRow(71, 'Q-2')],
      { rows: 2 },
      { written: created, created },
    );

    // Assess: the listing is found unchanged, not written twice; the other row lands; counts hold
    expect(result.counts).toMatchObject({ rows: 2, listingsUnchanged: 1, listingsNew: 1, subjectsNew: 1 });
    expect((await getSubject(deps, makeUscc(70)))?.activeListings).toBe(1);
    await expectCountersEqualRecount(deps);
    expect(await getChunk(deps, 'imp-5', 0)).toMatchObject({ groupsDone: 2 });
  });
});
