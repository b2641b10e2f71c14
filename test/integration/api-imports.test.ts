/**
 * Imports through the API (docs/files.md, Sources): POST /imports gives an upload URL, the file is put at
 * its key in the drop folder and its S3 notification delivered to the real worker; the receipt, the
 * list of imports and the row errors as CSV are read back through the API handler.
 *
 * The API reads its configuration once per process, so the tests share one table and one drop folder;
 * each uses its own source (its own diff scope) so that pushes do not see each other's listings.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { getListings } from '#storage/subject-store.ts';
import { createApiHandler } from '../../functions/api/create-handler.ts';
import { createFileDropStore } from '../../local/adapters/file-drop-store.ts';
import { createFileWorkQueue } from '../../local/adapters/file-work-queue.ts';
import { SIGNATURE_PARAMETER } from '../../local/adapters/upload-url.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import {
  COURT_HEADER,
  courtRow,
  courtRows,
  makeUscc,
  pseudoRandomBytes,
  residentId,
  utf8Csv,
} from '../support/files.ts';
import { claims, httpEvent, testContext } from '../support/http-events.ts';
import { createImportHarness, type ImportHarness } from '../support/imports.ts';

type Result = { statusCode: number; headers: Record<string, string>; body: string };
let handler: (event: unknown, context: unknown) => Promise<Result>;
let table: TestTable;
let harness: ImportHarness;

const BASE_URL = 'http://127.0.0.1:3000';
const COURT = '长安区人民法院';

beforeAll(async () => {
  table = await createTestTable('api-imports');
  harness = createImportHarness(table);
  // URLs issued at one instant: a repeated request straddling a second would otherwise get another expiry
  const issuedAt = new Date();
  const drop = createFileDropStore(harness.root, {
    baseUrl: BASE_URL,
    uploadKey: new Uint8Array(32),
    now: () => issuedAt,
  });
  const queue = createFileWorkQueue(mkdtempSync(join(tmpdir(), 'queue-')));
  handler = createApiHandler({
    store: harness.deps.store,
    drop: () => drop,
    queue: () => queue,
  }) as unknown as typeof handler;
});

async function call(input: Parameters<typeof httpEvent>[0]) {
  const result = await handler(httpEvent(input), testContext);
  const json = result.headers['content-type']?.includes('json') ? JSON.parse(result.body) : undefined;
  return { ...result, json: json as Record<string, unknown> };
}

interface Created {
  readonly importId: string;
  readonly uploadUrl: string;
  readonly key: string;
  readonly expiresInSeconds: number;
}

function createImport(
  body: unknown,
  tokenClaims: Record<string, string> = claims.city,
  headers?: Record<string, string>,
) {
  return call({
    routeKey: 'POST /imports',
    path: '/imports',
    claims: tokenClaims,
    body,
    ...(headers === undefined ? {} : { headers }),
  });
}

function getReceipt(importId: string, tokenClaims: Record<string, string> = claims.city) {
  return call({
    routeKey: 'GET /imports/{importId}',
    path: `/imports/${importId}`,
    pathParameters: { importId },
    claims: tokenClaims,
  });
}

function getErrors(importId: string, tokenClaims: Record<string, string> = claims.city) {
  return call({
    routeKey: 'GET /imports/{importId}/errors',
    path: `/imports/${importId}/errors`,
    pathParameters: { importId },
    claims: tokenClaims,
  });
}

/** What a client does with the upload URL: the file lands at the key, and S3 notifies the worker. */
async function upload(created: Created, content: Buffer) {
  const path = join(harness.root, created.key);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  await harness.notify(created.key);
}

/** Asks for an upload URL, uploads the file, returns the import's id. */
async function importThroughApi(
  source: string,
  fileName: string,
  content: Buffer,
  tokenClaims: Record<string, string> = claims.city,
) {
  const created = await createImport({ source, fileName }, tokenClaims);
  expect(created.statusCode).toBe(201);
  await upload(created.json as unknown as Created, content);
  return (created.json as unknown as Created).importId;
}

describe('POST /imports', () => {
  it('gives the city an upload URL into the drop folder, and the receipt follows the import', async () => {
    // Prepare
    const fileName = '重大税收违法 名单+补充.csv';
    const header = ['纳税人名称', '纳税人识别号', '所属区县', '作出决定机关', '决定书文号', '公布日期'];
    const rows = [1, 2, 3].map((serial) => [
      `石家庄税务测试公司${serial}`,
      makeUscc(serial),
      '桥西区',
      '国家税务总局石家庄市桥西区税务局',
      `石税罚〔2022〕${serial}号`,
      '2022-11-03',
    ]);
    // Act
    const created = await createImport({ source: 'tax', fileName });
    const { importId, uploadUrl, key, expiresInSeconds } = created.json as unknown as Created;
    const queued = await getReceipt(importId);
    await upload(created.json as unknown as Created, utf8Csv([header, ...rows]));
    const done = await getReceipt(importId);
    // Assess
    expect(created.statusCode).toBe(201);
    expect(importId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(key).toBe(`incoming/tax/${importId}/${fileName}`);
    const url = new URL(uploadUrl);
    expect(`${url.origin}${url.pathname}`).toBe(
      `${BASE_URL}/_local/drop/${key.split('/').map(encodeURIComponent).join('/')}`,
    );
    expect(url.searchParams.get(SIGNATURE_PARAMETER)).toMatch(/^[0-9a-f]{64}$/);
    expect(expiresInSeconds).toBe(900);
    expect(queued.statusCode).toBe(200);
    expect(queued.json).toMatchObject({
      importId,
      source: 'tax',
      fileName,
      status: 'queued',
      createdBy: { principal: 'city-officer', role: 'city' },
    });
    expect(done.json).toMatchObject({
      importId,
      status: 'succeeded',
      counts: { rows: 3, accepted: 3, listingsNew: 3, subjectsNew: 3 },
      key: `processed/tax/${importId}/${fileName}`,
    });
    expect(done.json.finishedAt).toEqual(expect.any(String));
  });

  it('records a department’s listings under the department its token names', async () => {
    // Prepare
    const department = claims.department(COURT);
    const rows = [
      courtRow({
        name: '石家庄部门测试公司',
        uscc: makeUscc(11),
        department: '桥西区人民法院',
        caseNo: '(2022)冀0102执11号',
      }),
      courtRow({
        name: '石家庄部门测试公司乙',
        uscc: makeUscc(12),
        department: '',
        caseNo: '(2022)冀0102执12号',
      }),
    ];
    // Act
    const importId = await importThroughApi(
      'court',
      '本院名单.csv',
      utf8Csv([[...COURT_HEADER], ...rows]),
      department,
    );
    // Assess
    const receipt = await getReceipt(importId, department);
    expect(receipt.statusCode).toBe(200);
    expect(receipt.json).toMatchObject({
      status: 'succeeded',
      createdBy: { role: 'department', department: COURT },
      counts: { accepted: 2, listingsNew: 2, warnings: 1 },
    });
    expect((receipt.json.diff as { scope: string }).scope).toContain(COURT);
    expect((await getListings(harness.deps.store, makeUscc(11)))[0]?.department).toBe(COURT);
    expect((await getListings(harness.deps.store, makeUscc(12)))[0]?.department).toBe(COURT);
    expect((await getReceipt(importId, claims.department('桥西区人民法院'))).statusCode).toBe(404);
    expect((await getReceipt(importId, claims.city)).statusCode).toBe(200);
  });

  it('refuses a department the push and the enterprise counts, and other roles any upload', async () => {
    // Act
    const push = await createImport({ source: 'push', fileName: '推送.csv' }, claims.department(COURT));
    const counts = await createImport(
      { source: 'enterprise-counts', fileName: '法人企业数_202211.csv' },
      claims.department(COURT),
    );
    const registry = await createImport(
      { source: 'registry', fileName: '登记.csv' },
      claims.department(COURT),
    );
    const district = await createImport({ source: 'court', fileName: '名单.csv' }, claims.district('130102'));
    const consumer = await createImport({ source: 'court', fileName: '名单.csv' }, claims.consumer);
    const anonymous = await call({
      routeKey: 'POST /imports',
      path: '/imports',
      body: { source: 'court', fileName: 'a.csv' },
    });
    // Assess
    expect(push.statusCode).toBe(403);
    expect(push.json.code).toBe('forbidden');
    expect(counts.statusCode).toBe(403);
    expect(registry.statusCode).toBe(201);
    expect(district.statusCode).toBe(403);
    expect(consumer.statusCode).toBe(403);
    expect(anonymous.statusCode).toBe(401);
  });

  it.each([
    ['a folder in the name', 'incoming/court/名单.csv'],
    ['a parent folder', '../名单.csv'],
    ['a backslash', '..\\名单.csv'],
    ['another extension', '名单.exe'],
    ['an old Excel name', '名单.xls'],
    ['no extension', '名单'],
    ['an empty name', ''],
    ['a control character', '名单\u0000.csv'],
    ['a name of 201 characters', `${'名'.repeat(197)}.csv`],
  ])('answers 400 for %s', async (_what, fileName) => {
    // Act
    const result = await createImport({ source: 'court', fileName });
    // Assess
    expect(result.statusCode).toBe(400);
    expect(result.headers['content-type']).toBe('application/problem+json');
    expect(result.json.code).toBe('validation-failed');
  });

  it('answers 400 for a source that is none of the drop folder’s', async () => {
    // Act
    const result = await createImport({ source: 'finance', fileName: '名单.csv' });
    // Assess
    expect(result.statusCode).toBe(400);
    expect(result.json.code).toBe('validation-failed');
  });

  it('honours an Idempotency-Key: the same request gets the same import, another body a 409', async () => {
    // Prepare
    const body = { source: 'market', fileName: '市场监管.csv' };
    const headers = { 'Idempotency-Key': 'upload-2022-11-market' };
    // Act
    const first = await createImport(body, claims.city, headers);
    const again = await createImport(body, claims.city, headers);
    const otherBody = await createImport({ ...body, fileName: '另一个.csv' }, claims.city, headers);
    const otherCaller = await createImport(body, claims.department('石家庄市市场监督管理局'), headers);
    const withoutKey = await createImport(body, claims.city);
    // Assess
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(otherBody.statusCode).toBe(409);
    expect(otherBody.json.code).toBe('idempotency-key-reused');
    expect(otherCaller.statusCode).toBe(201);
    expect(otherCaller.json.importId).not.toBe(first.json.importId);
    expect(withoutKey.json.importId).not.toBe(first.json.importId);
  });
});

describe('receipts', () => {
  it('show rejected, duplicate and held imports with what the office needs to know', async () => {
    // Prepare
    const header = ['单位名称', '统一社会信用代码', '所属区县', '列入机关', '处罚决定书文号', '处罚日期'];
    const row = (serial: number) => [
      `石家庄采购测试公司${serial}`,
      makeUscc(serial),
      '裕华区',
      '石家庄市财政局',
      `石财采罚〔2022〕${serial}号`,
      '2022-11-03',
    ];
    const full = utf8Csv([header, ...[21, 22, 23, 24].map(row)]);
    // Act
    const rejected = await importThroughApi('procurement', '乱码.csv', pseudoRandomBytes(2048, 3));
    const original = await importThroughApi('procurement', '采购-1.csv', full);
    const duplicate = await importThroughApi('procurement', '采购-1(副本).csv', full);
    const held = await importThroughApi('procurement', '采购-2.csv', utf8Csv([header, row(21)]));
    // Assess
    expect((await getReceipt(rejected)).json).toMatchObject({
      status: 'rejected',
      rejectReason: 'not-a-spreadsheet',
      rejectMessage: expect.stringMatching(/无法识别的文件格式/),
      key: `rejected/procurement/${rejected}/乱码.csv`,
    });
    expect((await getReceipt(original)).json.status).toBe('succeeded');
    expect((await getReceipt(duplicate)).json).toMatchObject({ status: 'duplicate', duplicateOf: original });
    expect((await getReceipt(held)).json).toMatchObject({
      status: 'held',
      heldMessage: expect.stringContaining('缺少 3 条原有效名单'),
      diff: { activeBefore: 4, missing: 3, share: 0.75, threshold: 0.3 },
    });
    const errors = await getErrors(rejected);
    expect(errors.statusCode).toBe(200);
    expect(errors.body).toContain('整个文件');
    expect(errors.body).toContain('无法识别的文件格式');
  });

  it('answers 404 for an import nobody made and 400 for an id that is no UUID', async () => {
    // Act
    const unknown = await getReceipt('00000000-0000-4000-8000-000000000000');
    const malformed = await getReceipt('not-an-id');
    // Assess
    expect(unknown.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(400);
  });

  it('reads a drop-folder import by the id the worker gave it', async () => {
    // Prepare
    const key = harness.drop(
      'registry',
      '登记-投放.csv',
      utf8Csv([
        ['企业名称', '统一社会信用代码', '登记状态'],
        ['某公司', makeUscc(31), '存续'],
      ]),
    );
    await harness.notify(key);
    const [latest] = (
      (await call({ routeKey: 'GET /imports', path: '/imports', claims: claims.city })).json as {
        items: { importId: string; fileName: string }[];
      }
    ).items;
    // Act
    const receipt = await getReceipt(latest?.importId ?? '');
    // Assess
    expect(latest?.fileName).toBe('登记-投放.csv');
    expect(receipt.statusCode).toBe(200);
    expect(receipt.json).toMatchObject({ status: 'succeeded', counts: { registryUnknown: 1 } });
  });
});

describe('GET /imports', () => {
  it('lists imports newest first, a department only its own', async () => {
    // Prepare: three uploads, one after the other, the last by a department
    const first = await createImport({ source: 'registry', fileName: '一.csv' });
    const second = await createImport({ source: 'registry', fileName: '二.csv' });
    const department = claims.department('石家庄市行政审批局');
    const third = await createImport({ source: 'registry', fileName: '三.csv' }, department);
    // Act
    const city = await call({
      routeKey: 'GET /imports',
      path: '/imports',
      query: { limit: '100' },
      claims: claims.city,
    });
    const own = await call({ routeKey: 'GET /imports', path: '/imports', claims: department });
    // Assess
    const items = (city.json as { items: { importId: string; createdAt: string }[] }).items;
    const created = items.map((item) => item.createdAt);
    expect(created).toEqual([...created].sort().reverse());
    const ids = items.map((item) => item.importId);
    for (const result of [first, second, third]) expect(ids).toContain(result.json.importId);
    expect((own.json as { items: { importId: string }[] }).items.map((item) => item.importId)).toEqual([
      third.json.importId,
    ]);
  });
});

describe('GET /imports for a department', () => {
  it('fills each page with its own imports among many others, and pages on to the last', async () => {
    // Prepare: the department's three uploads, each followed by two of the city's
    const department = claims.department('石家庄市分页测试局');
    const own: string[] = [];
    for (let index = 0; index < 3; index++) {
      const created = await createImport({ source: 'registry', fileName: `部门${index}.csv` }, department);
      own.unshift((created.json as unknown as Created).importId);
      await createImport({ source: 'registry', fileName: `市级${index}a.csv` });
      await createImport({ source: 'registry', fileName: `市级${index}b.csv` });
    }
    const page = async (cursor?: string) =>
      (
        await call({
          routeKey: 'GET /imports',
          path: '/imports',
          query: { limit: '2', ...(cursor === undefined ? {} : { cursor }) },
          claims: department,
        })
      ).json as { items: { importId: string }[]; cursor?: string };

    // Act
    const first = await page();
    const second = await page(first.cursor);

    // Assess: two, then the last one, newest first, and no cursor after it
    expect(first.items.map((item) => item.importId)).toEqual(own.slice(0, 2));
    expect(first.cursor).toBeDefined();
    expect(second.items.map((item) => item.importId)).toEqual(own.slice(2));
    expect(second.cursor).toBeUndefined();
  });
});

describe('GET /imports/{importId}/errors', () => {
  const person = residentId('13010219850505123');

  it('gives the row errors as CSV with a BOM, formula-like cells neutralised, persons named by row only', async () => {
    // Prepare
    const row = (serial: number, fields: { name?: string; uscc?: string; listedAt?: string }) =>
      courtRow({
        name: `石家庄问题行公司${serial}`,
        uscc: makeUscc(serial),
        department: '新华区人民法院',
        caseNo: `(2022)冀0105执${serial}号`,
        ...fields,
      });
    const hyperlink = '=HYPERLINK("http://evil.example","点我")';
    const rows = [
      row(41, {}),
      row(42, { name: hyperlink, listedAt: hyperlink }),
      row(43, { listedAt: '+1' }),
      row(44, { listedAt: '-1' }),
      row(45, { listedAt: '@x' }),
      row(46, { uscc: '=1+1' }),
      row(47, { name: '孙自然', uscc: person }),
    ];
    const importId = await importThroughApi(
      'court',
      '问题行.csv',
      utf8Csv([[...COURT_HEADER], ...rows]),
      claims.department('新华区人民法院'),
    );
    // Act
    const result = await getErrors(importId, claims.department('新华区人民法院'));
    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(result.headers['content-disposition']).toContain('attachment');
    expect([...Buffer.from(result.body, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(result.body, { bom: true }) as string[][];
    expect(records[0]).toEqual(['工作表', '行号', '字段', '类型', '问题说明', '原值']);
    const byLine = new Map(records.slice(1).map((record) => [record[1], record]));
    expect(byLine.get('3')?.[5]).toBe(`'${hyperlink}`);
    expect(byLine.get('3')?.[2]).toBe('列入日期');
    expect(byLine.get('4')?.[5]).toBe("'+1");
    expect(byLine.get('5')?.[5]).toBe("'-1");
    expect(byLine.get('6')?.[5]).toBe("'@x");
    expect(byLine.get('7')?.[5]).toBe("'=1+1");
    expect(byLine.get('8')).toEqual([
      '',
      '8',
      '统一社会信用代码',
      '已跳过',
      '自然人信息，已跳过，不予存储',
      '',
    ]);
    expect(result.body).not.toContain(person);
    expect(result.body).not.toContain('孙自然');
    expect(byLine.has('2')).toBe(false);
    const lines = result.body.split('\r\n').filter((line) => line !== '');
    expect(lines).toHaveLength(7);
  });

  it('is not shown to a department that did not upload the file', async () => {
    // Prepare
    const importId = await importThroughApi(
      'court',
      '另一院.csv',
      utf8Csv([[...COURT_HEADER], ...courtRows(1, 51)]),
      claims.department('桥西区人民法院'),
    );
    // Act
    const result = await getErrors(importId, claims.department(COURT));
    // Assess
    expect(result.statusCode).toBe(404);
  });
});
