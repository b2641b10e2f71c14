/**
 * The change trail, written from the table's stream by the trail handler (read from DynamoDB Local's
 * Streams API as Lambda's event source mapping would): who, why, before and after of every change,
 * once per change however often a record is delivered, and nothing lost when the handler fails.
 */

import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBStreamsClient, TrimmedDataAccessException } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { planExitListing, planRecordListing } from '#domain/changes.ts';
import { shanghaiMonth } from '#domain/model.ts';
import { AUDITED_TYPES, type ChangedBy } from '#domain/trail.ts';
import { uscc18CheckChar } from '#domain/uscc.ts';
import { changeSubject, type StoreDeps } from '#storage/subject-store.ts';
import { monthTrail, subjectTrail, writeTrailEntries } from '#storage/trail-store.ts';
import { createStreamConsumer, PAGES_DELIVERING } from '../../local/stream-reader.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import { COURT_HEADER, courtRows, dropImportId, scanTable, utf8Csv } from '../support/files.ts';
import { createImportHarness } from '../support/imports.ts';
import { allTrailEntries, trailHandlerOf, trailReader } from '../support/trail.ts';

const clerk: ChangedBy = {
  principal: 'local:department:长安区人民法院',
  role: 'department',
  department: '长安区人民法院',
  cause: { kind: 'request', id: 'req-1' },
};
const city: ChangedBy = {
  principal: 'local:city',
  role: 'city',
  cause: { kind: 'exit', id: 'exit-1' },
  reason: '已履行完毕，经审核确认退出',
};

function makeUscc(serial: number): string {
  const body = `91130100${String(serial).padStart(8, '0')}0`;
  return body + uscc18CheckChar(body);
}

function list(deps: StoreDeps, uscc: string, key: string, actor: ChangedBy) {
  return changeSubject(
    deps,
    uscc,
    { uscc, listType: 'court-debtor', key },
    actor,
    planRecordListing(
      { uscc, name: '石家庄某某商贸有限公司', district: '130102', districtSource: 'column' },
      { listType: 'court-debtor', key, department: '长安区人民法院', source: 'test' },
      () => {},
    ),
  );
}

let table: TestTable;
let deps: StoreDeps;

beforeAll(async () => {
  table = await createTestTable('trail', { stream: true });
  deps = { client: table.documentClient, tableName: table.tableName, clock: { now: () => new Date() } };
});

describe('the trail from the stream', () => {
  it('records each change of a subject and its listing: who, why, before and after', async () => {
    // Prepare
    const uscc = makeUscc(1);
    const trail = trailReader(table);
    // Act
    await list(deps, uscc, '(2022)冀0102执1号', clerk);
    await changeSubject(
      deps,
      uscc,
      { uscc, listType: 'court-debtor', key: '(2022)冀0102执1号' },
      city,
      planExitListing('obligations-performed'),
    );
    const history = await trail.history(uscc);
    await trail.stop();
    // Assess: newest first; the exit changed the listing's status and the subject's count
    expect(history).toHaveLength(4);
    expect(history.map((entry) => entry.event)).toEqual(['changed', 'changed', 'created', 'created']);
    const exitEntries = history.filter((entry) => entry.changedBy?.cause.kind === 'exit');
    expect(exitEntries).toHaveLength(2);
    const listingExit = exitEntries.find((entry) => entry.itemType === 'listing');
    expect(listingExit).toMatchObject({
      event: 'changed',
      version: 2,
      changedBy: city,
      changes: { status: { before: 'active', after: 'exited' } },
    });
    const subjectExit = exitEntries.find((entry) => entry.itemType === 'subject');
    expect(subjectExit?.changes).toMatchObject({ activeListings: { before: 1, after: 0 } });
    const created = history.filter((entry) => entry.event === 'created');
    expect(created.map((entry) => entry.itemType).sort()).toEqual(['listing', 'subject']);
    for (const entry of created) expect(entry.changedBy).toEqual(clerk);
    const listingCreated = created.find((entry) => entry.itemType === 'listing');
    expect(listingCreated?.changes).toMatchObject({
      department: { after: '长安区人民法院' },
      status: { after: 'active' },
    });
    // bookkeeping is not a fact
    for (const entry of history) {
      expect(Object.keys(entry.changes)).not.toContain('version');
      expect(Object.keys(entry.changes)).not.toContain('updatedAt');
      expect(Object.keys(entry.changes)).not.toContain('changedBy');
      expect(Object.keys(entry.changes).some((name) => name.startsWith('GSI'))).toBe(false);
    }
  });

  it('pages a history newest first, and finds the month of each entry', async () => {
    // Prepare
    const uscc = makeUscc(2);
    for (let index = 0; index < 5; index++) await list(deps, uscc, `(2022)冀0102执2${index}号`, clerk);
    const trail = trailReader(table);
    await trail.drain();
    await trail.stop();
    // Act
    const pages = [await subjectTrail(deps, uscc, { limit: 4 })];
    for (let next = pages[0]?.next; next !== undefined; next = pages.at(-1)?.next) {
      pages.push(await subjectTrail(deps, uscc, { limit: 4, before: next }));
    }
    // Assess: 5 listings created and 5 subject changes (the first creates it)
    const all = pages.flatMap((page) => page.entries);
    expect(pages.map((page) => page.entries.length)).toEqual([4, 4, 2]);
    expect(all).toHaveLength(10);
    expect(new Set(all.map((entry) => entry.entryId)).size).toBe(10);
    const times = all.map((entry) => entry.at);
    expect([...times].sort().reverse()).toEqual(times);
    // the month trail is by the Shanghai month, which the UTC date lags after 16:00 on a month's last day
    const month = shanghaiMonth(new Date(all[0]?.at as string));
    const monthly = await monthTrail(deps, month, { limit: 1_000 });
    const ids = new Set(monthly.entries.map((entry) => entry.entryId));
    for (const entry of all) expect(ids.has(entry.entryId)).toBe(true);
  });

  it('writes nothing new when the same stream batch is delivered twice', async () => {
    // Prepare: capture the batches the reader hands on
    const batches: DynamoDBStreamEvent[] = [];
    const handler = trailHandlerOf(table);
    const capturing = async (event: DynamoDBStreamEvent) => {
      batches.push(event);
      return handler(event);
    };
    const uscc = makeUscc(3);
    const trail = trailReader(table, capturing);
    await trail.drain();
    batches.length = 0;
    await list(deps, uscc, '(2022)冀0102执3号', clerk);
    await trail.drain();
    await trail.stop();
    const before = await allTrailEntries(table);
    // Act
    for (const batch of batches) await handler(batch);
    // Assess
    const after = await allTrailEntries(table);
    expect(batches.length).toBeGreaterThan(0);
    expect(after).toHaveLength(before.length);
    expect(new Set(after.map((item) => `${item.PK}|${item.SK}`))).toEqual(
      new Set(before.map((item) => `${item.PK}|${item.SK}`)),
    );
  });

  it('retries a failing handler and loses nothing', async () => {
    // Prepare: the handler fails its first two calls outright, then reports its third batch half done
    const handler = trailHandlerOf(table);
    let calls = 0;
    const flaky = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
      calls++;
      if (calls <= 2) throw new Error('throttled');
      if (calls === 3 && event.Records.length > 1) {
        const half = event.Records.slice(0, Math.floor(event.Records.length / 2));
        await handler({ Records: half });
        const next = event.Records[half.length]?.dynamodb?.SequenceNumber as string;
        return { batchItemFailures: [{ itemIdentifier: next }] };
      }
      return handler(event);
    };
    const uscc = makeUscc(4);
    const reference = trailReader(table);
    await reference.drain();
    for (let index = 0; index < 3; index++) await list(deps, uscc, `(2022)冀0102执4${index}号`, clerk);
    const trail = trailReader(table, flaky);
    // Act
    await trail.drain();
    await trail.stop();
    // Assess: 3 listings created, the subject created and changed twice
    const entries = (await subjectTrail(deps, uscc, { limit: 100 })).entries;
    expect(calls).toBeGreaterThan(3);
    expect(entries).toHaveLength(6);
    expect(entries.filter((entry) => entry.itemType === 'subject').map((entry) => entry.version)).toEqual([
      3, 2, 1,
    ]);
    await reference.stop();
  });

  it('gives every trail entry a month shard key, never one hot partition', async () => {
    // Act
    const entries = await allTrailEntries(table);
    // Assess
    const partitions = new Set(entries.map((item) => String(item.GSI5PK)));
    expect(entries.length).toBeGreaterThan(16);
    for (const partition of partitions) expect(partition).toMatch(/^AUDIT#\d{4}-\d{2}#\d{2}$/);
    expect(partitions.size).toBeGreaterThan(4);
  });
});

describe("the month's trail", () => {
  it('pages entries of one instant, over every shard, each exactly once', async () => {
    // Prepare: 40 changes at the same millisecond (one transaction's items share their time)
    const own = await createTestTable('trail-month', { stream: true });
    const at = '2026-11-30T01:00:00.000Z';
    const entries = Array.from({ length: 40 }, (_, index) => ({
      recordId: `arn:stream/${index}`,
      entry: {
        itemType: 'listing' as const,
        itemKey: { PK: `SUBJ#${index}`, SK: 'LIST#court-debtor#1' },
        event: 'created' as const,
        at,
        changedBy: clerk,
        changes: { status: { after: 'active' } },
      },
    }));
    await writeTrailEntries({ client: own.documentClient, tableName: own.tableName }, entries);
    // Act
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await monthTrail({ client: own.documentClient, tableName: own.tableName }, '2026-11', {
        limit: 3,
        ...(after === undefined ? {} : { after }),
      });
      seen.push(...page.entries.map((entry) => entry.itemKey.PK));
      after = page.next;
    } while (after !== undefined);
    // Assess
    expect(seen).toHaveLength(40);
    expect(new Set(seen).size).toBe(40);
  });
});

interface GetRecordsPage {
  Records?: { dynamodb?: { SequenceNumber?: string } }[];
}

/**
 * A Streams client on the test table whose GetRecords calls, numbered from 1, are seen by `before` (which
 * may change the input, or throw instead of reading) and `after` (which sees the page read); `reads()`
 * tells how many were asked for so far.
 */
function streamsAroundGetRecords(around: {
  before?: (read: number, input: { Limit?: number }) => void;
  after?: (read: number, page: GetRecordsPage) => void;
}): { streams: DynamoDBStreamsClient; reads: () => number } {
  const streams = new DynamoDBStreamsClient({
    endpoint: table.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let reads = 0;
  streams.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'GetRecordsCommand') return next(args);
      const read = ++reads;
      around.before?.(read, args.input as { Limit?: number });
      const result = await next(args);
      around.after?.(read, result.output as GetRecordsPage);
      return result;
    },
    { step: 'initialize', name: 'aroundGetRecords' },
  );
  return { streams, reads: () => reads };
}

describe('the local stream reader', () => {
  it('makes a refused iterator again from where it stood and hands on every record once', async () => {
    // Prepare: DynamoDB Local sometimes calls a good iterator trimmed; every third read is refused here
    const { streams, reads } = streamsAroundGetRecords({
      before: (read) => {
        if (read % 3 === 0)
          throw new TrimmedDataAccessException({
            message: 'read past the oldest stream record',
            $metadata: {},
          });
      },
    });
    const uscc = makeUscc(5);
    const handed: string[] = [];
    const consumer = createStreamConsumer({
      endpoint: table.endpoint,
      tableName: table.tableName,
      name: 'refused',
      types: AUDITED_TYPES,
      batchSize: 2,
      handler: async (event) => {
        for (const record of event.Records) handed.push(record.dynamodb?.SequenceNumber as string);
        return { batchItemFailures: [] };
      },
      streams,
      log: () => undefined,
    });
    await consumer.drain();
    handed.length = 0;
    // Act: 4 listings of one subject make 8 records (a subject and a listing each), read through refused iterators
    for (let index = 0; index < 4; index++) await list(deps, uscc, `(2022)冀0102执5${index}号`, clerk);
    await consumer.drain();
    await consumer.stop();
    // Assess
    expect(reads()).toBeGreaterThan(3);
    expect(handed).toHaveLength(8);
    expect(new Set(handed).size).toBe(8);
  });
  it("reads a shard's next pages while the current one is delivered, as Lambda's poller does, up to a bound", async () => {
    // Prepare: pages of two stream records, each page numbered by the read that returned it
    const pageOf = new Map<string, number>();
    const { streams, reads } = streamsAroundGetRecords({
      before: (_read, input) => {
        input.Limit = 2;
      },
      after: (read, page) => {
        for (const record of page.Records ?? []) pageOf.set(record.dynamodb?.SequenceNumber ?? '', read);
      },
    });
    // for each delivered batch: reads asked for beyond the one that returned the batch
    const readsAhead: number[] = [];
    const consumer = createStreamConsumer({
      endpoint: table.endpoint,
      tableName: table.tableName,
      name: 'read-ahead',
      types: AUDITED_TYPES,
      handler: async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const page = pageOf.get(event.Records[0]?.dynamodb?.SequenceNumber ?? '') ?? reads();
        readsAhead.push(reads() - page);
        return { batchItemFailures: [] };
      },
      streams,
      log: () => undefined,
    });
    const uscc = makeUscc(7);
    for (let index = 0; index < 4; index++) await list(deps, uscc, `(2022)冀0102执6${index}号`, clerk);
    // Act
    await consumer.drain();
    await consumer.stop();
    // Assess: while a page was delivered, the page after it had been asked for, and no more pages than
    // the reader may hold
    expect(readsAhead.length).toBeGreaterThanOrEqual(4);
    expect(readsAhead.every((ahead) => ahead >= 1 && ahead <= PAGES_DELIVERING)).toBe(true);
    expect(Math.max(...readsAhead)).toBeGreaterThan(1);
  });
});

describe('a batch that keeps failing', () => {
  it("is parked with its position in the failure folder, as on the stack's on-failure queue, and reading goes on", async () => {
    // Prepare: the handler always fails a batch holding one poisoned subject
    const failureDir = mkdtempSync(join(tmpdir(), 'stream-failed-'));
    const poisoned = makeUscc(6);
    const handed: string[] = [];
    const consumer = createStreamConsumer({
      endpoint: table.endpoint,
      tableName: table.tableName,
      name: 'parking',
      types: AUDITED_TYPES,
      batchSize: 1,
      maxRetries: 2,
      failureDir,
      handler: async (event) => {
        const keys = event.Records.map((record) => record.dynamodb?.Keys?.PK?.S ?? '');
        if (keys.some((key) => key === `SUBJ#${poisoned}`)) throw new Error('cannot write this one');
        handed.push(...keys);
        return { batchItemFailures: [] };
      },
      log: () => undefined,
    });
    await consumer.drain();
    handed.length = 0;
    // Act
    await list(deps, poisoned, '(2022)冀0102执6号', clerk);
    await list(deps, makeUscc(7), '(2022)冀0102执7号', clerk);
    await consumer.drain();
    await consumer.stop();
    // Assess: the poisoned subject's two records were parked, the next subject's records handed on
    const parked = readdirSync(failureDir).map((name) =>
      JSON.parse(readFileSync(join(failureDir, name), 'utf8')),
    );
    expect(parked).toHaveLength(2);
    expect(parked[0]).toMatchObject({ consumer: 'parking', shardId: expect.any(String) });
    expect(handed).toEqual([`SUBJ#${makeUscc(7)}`, `SUBJ#${makeUscc(7)}`]);
  });
});

describe('who and why on every audited item', () => {
  it('is carried by every subject, listing, import record and enterprise count an import writes', async () => {
    // Prepare
    const own = await createTestTable('trail-import', { stream: true });
    const harness = createImportHarness(own);
    const court = harness.drop('court', '法院名单.csv', utf8Csv([[...COURT_HEADER], ...courtRows(30)]));
    const counts = harness.drop(
      'enterprise-counts',
      '2026-10法人企业数.csv',
      utf8Csv([
        ['所属区县', '法人企业数', '月份'],
        ['长安区', '51234', '2026-10'],
      ]),
    );
    // Act
    await harness.notify(court);
    await harness.notify(counts);
    // Assess
    const audited = (await scanTable(harness.deps.store)).filter((item) =>
      (AUDITED_TYPES as readonly string[]).includes(String(item.type)),
    );
    const types = new Set(audited.map((item) => item.type));
    expect([...types].sort()).toEqual(['enterprise-count', 'import', 'listing', 'subject']);
    const missing = audited
      .filter((item) => item.changedBy === undefined)
      .map((item) => `${item.PK} ${item.SK}`);
    expect(missing).toEqual([]);
    for (const item of audited.filter((entry) => entry.type === 'listing'))
      expect(item.changedBy).toEqual({
        principal: 'drop-folder',
        role: 'system',
        cause: { kind: 'import', id: dropImportId(court) },
      });
  });
});
