/**
 * The diff of a full push (docs/files.md, Sources): what was active and is absent from the new file is
 * flagged missing-from-push for its department, never ended; a push that would flag more than 30% is
 * held, writes nothing, and runs only once the city releases it through the API.
 *
 * The API reads its configuration once per process, so the tests of this file share one table; each
 * uses its own list type (its own diff scope) so that they cannot see each other's listings.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIST_TYPE_LABELS, type ListType } from '#domain/model.ts';
import { readCurrentCounters } from '#storage/counter-store.ts';
import { getListing, getListings } from '#storage/subject-store.ts';
import { createApiHandler } from '../../functions/api/create-handler.ts';
import { handleMessage } from '../../functions/import/create-handler.ts';
import { getChunks, getImport } from '../../functions/storage/import-store.ts';
import { createFileWorkQueue } from '../../local/adapters/file-work-queue.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import { COURT_HEADER, courtRows, dropImportId, itemsOfType, makeUscc, utf8Csv } from '../support/files.ts';
import { claims, httpEvent, testContext } from '../support/http-events.ts';
import { createImportHarness, type ImportHarness } from '../support/imports.ts';

type Result = { statusCode: number; headers: Record<string, string>; body: string };
let handler: (event: unknown, context: unknown) => Promise<Result>;
let table: TestTable;
let harness: ImportHarness;
let queueDir: string;

beforeAll(async () => {
  table = await createTestTable('import-diff');
  harness = createImportHarness(table);
  queueDir = mkdtempSync(join(tmpdir(), 'queue-'));
  const queue = createFileWorkQueue(queueDir);
  handler = createApiHandler({
    store: harness.deps.store,
    drop: () => harness.deps.drop,
    queue: () => queue,
  }) as unknown as typeof handler;
});

function release(importId: string, tokenClaims: Record<string, string>) {
  return handler(
    httpEvent({
      routeKey: 'POST /imports/{importId}/release',
      path: `/imports/${importId}/release`,
      pathParameters: { importId },
      claims: tokenClaims,
    }),
    testContext,
  ).then((result) => ({ ...result, json: JSON.parse(result.body) as Record<string, unknown> }));
}

/** Messages the API sent to the local import queue, taken out of the folder. */
function takeQueued(): string[] {
  const folder = join(queueDir, 'import');
  if (!existsSync(folder)) return [];
  const names = readdirSync(folder)
    .filter((name) => !name.startsWith('.'))
    .sort();
  return names.map((name) => {
    const path = join(folder, name);
    const message = JSON.parse(readFileSync(path, 'utf8')) as { body: string };
    rmSync(path);
    return message.body;
  });
}

/** `count` rows of one department list, subjects numbered from `from`. */
function listRows(from: number, count: number): string[][] {
  return courtRows(count, from);
}

const HEADERS: Record<string, readonly string[]> = {
  court: COURT_HEADER,
  tax: ['纳税人名称', '纳税人识别号', '所属区县', '作出决定机关', '决定书文号', '公布日期'],
  market: ['当事人名称', '统一社会信用代码', '所属区县', '作出决定机关', '决定书文号', '列入日期'],
};

async function importList(source: string, fileName: string, rows: string[][], title?: string) {
  const header = [...(HEADERS[source] ?? [])];
  const key = harness.drop(
    source,
    fileName,
    utf8Csv([...(title === undefined ? [] : [[title]]), header, ...rows]),
  );
  await harness.notify(key);
  return {
    key,
    importId: dropImportId(key),
    receipt: await getImport(harness.deps.store, dropImportId(key)),
  };
}

function keyOf(row: string[]): string {
  return row[4] as string;
}

async function domainState() {
  const items = await itemsOfType(harness.deps.store, 'subject', 'listing', 'audit', 'counter', 'flow');
  return items.map((item) => JSON.stringify(item)).sort();
}

describe('a push that lacks listings active before', () => {
  it('flags them missing-from-push, keeps them active and the counts unchanged; they revive when seen again', async () => {
    // Prepare
    const rows = listRows(1, 10);
    await importList('court', '十一月.csv', rows);
    const countersBefore = await readCurrentCounters(harness.deps.store);
    // Act
    const { importId, receipt } = await importList('court', '十二月.csv', rows.slice(0, 8));
    // Assess
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.counts).toMatchObject({
      rows: 8,
      listingsUnchanged: 8,
      listingsMissing: 2,
      listingsNew: 0,
    });
    expect(receipt?.diff).toMatchObject({
      scope: LIST_TYPE_LABELS['court-debtor'],
      activeBefore: 10,
      missing: 2,
      share: 0.2,
    });
    for (const [index, row] of rows.entries()) {
      const listing = await getListing(harness.deps.store, {
        uscc: makeUscc(1 + index),
        listType: 'court-debtor',
        key: keyOf(row),
      });
      expect(listing?.status).toBe('active');
      if (index < 8) expect(listing?.missingFromPush).toBeUndefined();
      else expect(listing?.missingFromPush?.importId).toBe(importId);
    }
    expect(await readCurrentCounters(harness.deps.store)).toEqual(countersBefore);

    // Act: the next push carries them again (a title makes it another file than November's)
    const again = await importList('court', '一月.csv', rows, '石家庄市失信被执行人名单（2023年1月）');
    // Assess
    expect(again.receipt?.counts).toMatchObject({
      listingsRevived: 2,
      listingsUnchanged: 8,
      listingsMissing: 0,
    });
    const [revived] = await getListings(harness.deps.store, makeUscc(10));
    expect(revived?.missingFromPush).toBeUndefined();
    expect(revived?.status).toBe('active');
    expect(await readCurrentCounters(harness.deps.store)).toEqual(countersBefore);
  });

  it('goes through at exactly 30%', async () => {
    // Prepare
    const rows = listRows(101, 10).map((row) => [
      ...row.slice(0, 3),
      '长安区税务局',
      `税罚${row[1]}`,
      row[5] as string,
    ]);
    await importList('tax', '税务-1.csv', rows);
    // Act
    const { receipt } = await importList('tax', '税务-2.csv', rows.slice(3));
    // Assess
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.diff).toMatchObject({
      scope: LIST_TYPE_LABELS['tax-violation'],
      activeBefore: 10,
      missing: 3,
      threshold: 0.3,
    });
    expect(receipt?.counts?.listingsMissing).toBe(3);
  });
});

describe('a push that would flag more than 30%', () => {
  const listType: ListType = 'market-violation';
  const rows = listRows(201, 10).map((row) => [
    ...row.slice(0, 3),
    '长安区市场监督管理局',
    `市监罚${row[1]}`,
    row[5] as string,
  ]);
  let first: Awaited<ReturnType<typeof importList>>;
  let held: Awaited<ReturnType<typeof importList>>;
  let stateBefore: string[];

  it('is held and writes nothing', async () => {
    // Prepare
    first = await importList('market', '市场监管-1.csv', rows);
    stateBefore = await domainState();
    // Act: half the list is gone, plus one new listing that must wait too
    held = await importList('market', '市场监管-2.csv', [...rows.slice(0, 5), ...listRows(301, 1)]);
    await harness.notify(held.key);
    // Assess
    expect(held.receipt?.status).toBe('held');
    expect(held.receipt?.diff).toMatchObject({ activeBefore: 10, missing: 5, share: 0.5, threshold: 0.3 });
    expect(held.receipt?.heldMessage).toContain('超过 30% 的阈值');
    expect(await domainState()).toEqual(stateBefore);
    expect(await getChunks(harness.deps.store, held.importId)).toEqual([]);
    expect(existsSync(join(harness.root, held.key))).toBe(true);
    expect((await getImport(harness.deps.store, held.importId))?.status).toBe('held');
  });

  it('may be released by the city only, and only while held', async () => {
    // Act
    const byDepartment = await release(held.importId, claims.department('长安区市场监督管理局'));
    const byDistrict = await release(held.importId, claims.district('130102'));
    const notHeld = await release(first.importId, claims.city);
    const unknown = await release('00000000-0000-4000-8000-000000000000', claims.city);
    // Assess
    expect(byDepartment.statusCode).toBe(403);
    expect(byDistrict.statusCode).toBe(403);
    expect(notHeld.statusCode).toBe(409);
    expect(notHeld.json.code).toBe('not-held');
    expect(unknown.statusCode).toBe(404);
    expect((await getImport(harness.deps.store, held.importId))?.status).toBe('held');
    expect(takeQueued()).toEqual([]);
  });

  it('runs once released: the release message completes it and flags what it lacks', async () => {
    // Act
    const released = await release(held.importId, claims.city);
    const twice = await release(held.importId, claims.city);
    const running = await getImport(harness.deps.store, held.importId);
    const messages = takeQueued();
    for (const body of messages) await handleMessage(harness.deps, body);
    // Assess
    expect(released.statusCode).toBe(200);
    expect(released.json.status).toBe('running');
    expect(twice.statusCode).toBe(409);
    expect(running?.status).toBe('running');
    expect(messages.map((body) => JSON.parse(body))).toEqual([
      { kind: 'import-release', importId: held.importId },
    ]);
    const receipt = await getImport(harness.deps.store, held.importId);
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.counts).toMatchObject({
      rows: 6,
      listingsNew: 1,
      listingsUnchanged: 5,
      listingsMissing: 5,
    });
    expect(receipt?.diff).toMatchObject({ activeBefore: 10, missing: 5 });
    const flagged = await Promise.all(
      rows.map((row, index) =>
        getListing(harness.deps.store, { uscc: makeUscc(201 + index), listType, key: keyOf(row) }),
      ),
    );
    expect(flagged.map((listing) => listing?.missingFromPush?.importId)).toEqual([
      ...Array(5).fill(undefined),
      ...Array(5).fill(held.importId),
    ]);
    expect(flagged.every((listing) => listing?.status === 'active')).toBe(true);
    expect(existsSync(join(harness.root, `processed/market/${held.importId}/市场监管-2.csv`))).toBe(true);
  });
});

describe('the city push', () => {
  it('is diffed against every list', async () => {
    // Prepare: a table of its own, since a push's scope is every listing
    const own = createImportHarness(await createTestTable('import-diff-push'));
    const header = ['主体名称', '统一社会信用代码', '所属区县', '名单类型', '认定部门', '文书号', '认定日期'];
    const rows = [
      ['甲公司', makeUscc(401), '长安区', '失信被执行人', '长安区人民法院', '案1', '2022-11-01'],
      ['乙公司', makeUscc(402), '长安区', '重大税收违法失信主体', '长安区税务局', '案2', '2022-11-01'],
      ['丙公司', makeUscc(403), '长安区', '政府采购严重违法失信', '石家庄市财政局', '案3', '2022-11-01'],
      [
        '丁公司',
        makeUscc(404),
        '长安区',
        '市场监管严重违法失信',
        '长安区市场监督管理局',
        '案4',
        '2022-11-01',
      ],
    ];
    await own.notify(own.drop('push', '推送-1.csv', utf8Csv([header, ...rows])));
    const key = own.drop('push', '推送-2.csv', utf8Csv([header, ...rows.slice(0, 3)]));
    // Act
    await own.notify(key);
    // Assess
    const receipt = await getImport(own.deps.store, dropImportId(key));
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.diff).toMatchObject({ scope: '全部名单', activeBefore: 4, missing: 1 });
    const [missing] = await getListings(own.deps.store, makeUscc(404));
    expect(missing?.missingFromPush?.importId).toBe(dropImportId(key));
    expect(missing?.status).toBe('active');
  });
});
