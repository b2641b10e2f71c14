/**
 * What broke when the API was tried from outside (issue 8), through the handler with real HTTP API v2
 * events against DynamoDB Local: crafted and replayed cursors, Idempotency-Keys shared by two
 * departments of one `sub`, file names the drop folder never picks up or that read backwards, the
 * errors download's name, and problems written in English.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#storage/keys.ts';
import { TIME_TO_LIVE_ATTRIBUTE } from '#storage/table-definition.ts';
import { createApiHandler } from '../../functions/api/create-handler.ts';
import { createFileDropStore } from '../../local/adapters/file-drop-store.ts';
import { localClient } from '../../local/dynamodb-local.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import { COURT_HEADER, courtRow, makeUscc, utf8Csv } from '../support/files.ts';
import { claims, type HttpEventInput, httpEvent, testContext } from '../support/http-events.ts';
import { createImportHarness, type ImportHarness } from '../support/imports.ts';

type Result = { statusCode: number; headers: Record<string, string>; body: string };
type Problem = { title: string; detail: string; code: string; status: number; errors?: unknown };

let handler: (event: unknown, context: unknown) => Promise<Result>;
let table: TestTable;
let harness: ImportHarness;

const HAN = /[\u4e00-\u9fff]/;

beforeAll(async () => {
  table = await createTestTable('api-hardening');
  harness = createImportHarness(table);
  const drop = createFileDropStore(harness.root, {
    baseUrl: 'http://127.0.0.1:3000',
    uploadKey: new Uint8Array(32),
  });
  handler = createApiHandler({
    store: harness.deps.store,
    drop: () => drop,
    queue: () => undefined,
  }) as unknown as typeof handler;
});

async function call(input: HttpEventInput) {
  const result = await handler(httpEvent(input), testContext);
  const json = result.headers['content-type']?.includes('json') ? JSON.parse(result.body) : undefined;
  return { ...result, json: json as Record<string, unknown> };
}

/** A problem+json answer: its status and a title and detail a person reads, in Chinese. */
function expectChineseProblem(result: Awaited<ReturnType<typeof call>>, status: number, code: string) {
  expect(result.statusCode).toBe(status);
  expect(result.headers['content-type']).toBe('application/problem+json');
  const problem = result.json as unknown as Problem;
  expect(problem.code).toBe(code);
  expect(problem.title).toMatch(HAN);
  expect(problem.detail).toMatch(HAN);
  return problem;
}

function createImport(body: unknown, tokenClaims: Record<string, string>, headers?: Record<string, string>) {
  return call({
    routeKey: 'POST /imports',
    path: '/imports',
    claims: tokenClaims,
    body,
    ...(headers === undefined ? {} : { headers }),
  });
}

function listImports(tokenClaims: Record<string, string>, query: Record<string, string>) {
  return call({ routeKey: 'GET /imports', path: '/imports', claims: tokenClaims, query });
}

describe('cursors of GET /imports', () => {
  const court = claims.department('桥东区人民法院');

  async function firstPage(tokenClaims: Record<string, string>) {
    for (const name of ['一.csv', '二.csv', '三.csv']) {
      expect((await createImport({ source: 'court', fileName: name }, tokenClaims)).statusCode).toBe(201);
    }
    const page = await listImports(tokenClaims, { limit: '1' });
    expect(page.statusCode).toBe(200);
    return page.json as { items: { importId: string }[]; cursor: string };
  }

  it('are opaque and signed: the next page follows, the key is stored once in the table', async () => {
    // Prepare
    const first = await firstPage(court);
    // Act
    const second = await listImports(court, { limit: '1', cursor: first.cursor });
    // Assess
    expect(second.statusCode).toBe(200);
    const items = (second.json as { items: { importId: string }[] }).items;
    expect(items).toHaveLength(1);
    expect(items[0]?.importId).not.toBe(first.items[0]?.importId);
    expect(first.cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const stored = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: keys.cursorKey() }),
    );
    expect(Buffer.from(String(stored.Item?.secret), 'base64url')).toHaveLength(32);
  });

  it('answer 400 invalid-cursor to a crafted key, which used to reach DynamoDB and give a 500', async () => {
    // Prepare: a cursor as they used to be, base64url JSON of a key the index does not have
    const crafted = Buffer.from(JSON.stringify({ PK: 'IMPORT#x', SK: 'META' }), 'utf8').toString('base64url');
    // Act
    const result = await listImports(claims.city, { cursor: crafted });
    // Assess
    expectChineseProblem(result, 400, 'invalid-cursor');
  });

  it('answer 400 invalid-cursor to garbage, which used to be ignored silently', async () => {
    for (const cursor of ['not-a-cursor', '', '.', 'AAAA.AAAA']) {
      expectChineseProblem(await listImports(claims.city, { cursor }), 400, 'invalid-cursor');
    }
  });

  it('answer 400 to a cursor changed by the caller', async () => {
    // Prepare
    const { cursor } = await firstPage(claims.city);
    const [position = '', signature = ''] = cursor.split('.');
    const otherPosition = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(position, 'base64url').toString('utf8')), GSI2SK: '9' }),
      'utf8',
    ).toString('base64url');
    // Act
    const result = await listImports(claims.city, { cursor: `${otherPosition}.${signature}` });
    // Assess
    expectChineseProblem(result, 400, 'invalid-cursor');
  });

  it('answer 400 to a cursor of another scope: another department, the city, the same department elsewhere', async () => {
    // Prepare
    const { cursor } = await firstPage(court);
    // Act
    const replayed = [
      await listImports(claims.department('长安区人民法院'), { cursor }),
      await listImports(claims.city, { cursor }),
      await listImports(claims.department('桥东区人民法院', '130104'), { cursor }),
    ];
    const sameScopeOtherUser = await listImports({ ...court, sub: 'another-clerk' }, { cursor });
    // Assess
    for (const result of replayed) expectChineseProblem(result, 400, 'invalid-cursor');
    expect(sameScopeOtherUser.statusCode).toBe(200);
  });
});

describe('Idempotency-Key', () => {
  it('is kept apart for two departments whose tokens carry the same sub: each gets its own import', async () => {
    // Prepare
    const headers = { 'Idempotency-Key': 'monthly-upload-2022-11' };
    const body = { source: 'court', fileName: '本月名单.csv' };
    const changan = { ...claims.department('长安区人民法院'), sub: 'shared-sub' };
    const qiaoxi = { ...claims.department('桥西区人民法院'), sub: 'shared-sub' };
    // Act
    const first = await createImport(body, changan, headers);
    const second = await createImport(body, qiaoxi, headers);
    const firstAgain = await createImport(body, changan, headers);
    // Assess
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json.importId).not.toBe(first.json.importId);
    expect(firstAgain.json.importId).toBe(first.json.importId);
    const receipt = await call({
      routeKey: 'GET /imports/{importId}',
      path: `/imports/${String(second.json.importId)}`,
      pathParameters: { importId: String(second.json.importId) },
      claims: qiaoxi,
    });
    expect(receipt.statusCode).toBe(200);
    expect(receipt.json.createdBy).toMatchObject({ department: '桥西区人民法院' });
  });

  it('is kept apart for a city and a department token of the same sub', async () => {
    // Prepare
    const headers = { 'Idempotency-Key': 'same-sub-city-and-department' };
    const body = { source: 'court', fileName: '名单.csv' };
    // Act
    const city = await createImport(body, { ...claims.city, sub: 'one-person' }, headers);
    const department = await createImport(
      body,
      { ...claims.department('长安区人民法院'), sub: 'one-person' },
      headers,
    );
    // Assess
    expect(department.json.importId).not.toBe(city.json.importId);
  });

  it('records expire a day later on the table’s TTL attribute, which DynamoDB Local has enabled', async () => {
    // Prepare
    const before = Math.floor(Date.now() / 1000);
    await createImport({ source: 'court', fileName: '过期.csv' }, claims.city, {
      'Idempotency-Key': 'ttl-check',
    });
    // Act
    const records = await table.documentClient.send(
      new ScanCommand({
        TableName: table.tableName,
        FilterExpression: '#type = :type',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': 'idempotency' },
      }),
    );
    const client = localClient(table.endpoint);
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: table.tableName }));
    client.destroy();
    // Assess
    const record = records.Items?.find((item) => item.value?.fileName === '过期.csv');
    expect(record?.[TIME_TO_LIVE_ATTRIBUTE]).toBeGreaterThanOrEqual(before + 86_400);
    expect(record?.[TIME_TO_LIVE_ATTRIBUTE]).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 86_400);
    expect(ttl.TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: TIME_TO_LIVE_ATTRIBUTE,
    });
  });

  it('answers 400 in Chinese, naming the header, to a key longer than 200 characters', async () => {
    // Act
    const result = await createImport({ source: 'court', fileName: '名单.csv' }, claims.city, {
      'Idempotency-Key': 'k'.repeat(201),
    });
    // Assess
    expect(expectChineseProblem(result, 400, 'validation-failed').detail).toContain('请求头 idempotency-key');
  });
});

describe('file names of POST /imports', () => {
  it.each([
    ['a leading dot (the drop folder skips hidden files)', '.名单.csv', '文件名不能以“.”开头'],
    ['a leading dot after blanks', '  .名单.csv', '文件名不能以“.”开头'],
    ['a right-to-left override', '名单\u202Evsc.xlsx', '改变文字方向'],
    ['a left-to-right isolate', '\u2066名单.csv', '改变文字方向'],
    ['an Arabic letter mark', '名单\u061C.csv', '改变文字方向'],
    ['a right-to-left mark', '名单\u200F.csv', '改变文字方向'],
    ['a line feed', '名单\n.csv', '控制字符'],
    ['a C1 control', '名单\u0085.csv', '控制字符'],
    ['DEL', '名单\u007F.csv', '控制字符'],
  ])('refuses %s with a Chinese reason', async (_what, fileName, reason) => {
    // Act
    const result = await createImport({ source: 'court', fileName }, claims.city);
    // Assess
    const problem = expectChineseProblem(result, 400, 'validation-failed');
    expect(problem.detail).toContain('请求体 fileName');
    expect(problem.detail).toContain(reason);
  });
});

describe('GET /imports/{importId}/errors', () => {
  it('is named after the uploaded file: 名单.错误明细.csv, with an ASCII fallback', async () => {
    // Prepare
    const department = claims.department('新华区人民法院');
    const created = await createImport({ source: 'court', fileName: '11月失信名单.csv' }, department);
    const { importId, key } = created.json as { importId: string; key: string };
    const rows = [
      courtRow({
        name: '石家庄下载名公司',
        uscc: makeUscc(61),
        department: '',
        caseNo: '(2022)冀0105执61号',
      }),
      courtRow({ name: '石家庄下载名公司乙', uscc: '=1+1', department: '', caseNo: '(2022)冀0105执62号' }),
    ];
    const path = join(harness.root, key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, utf8Csv([[...COURT_HEADER], ...rows]));
    await harness.notify(key);
    // Act
    const result = await call({
      routeKey: 'GET /imports/{importId}/errors',
      path: `/imports/${importId}/errors`,
      pathParameters: { importId },
      claims: department,
    });
    // Assess
    expect(result.statusCode).toBe(200);
    const disposition = result.headers['content-disposition'] ?? '';
    expect(disposition).toBe(
      `attachment; filename="11.errors.csv"; filename*=UTF-8''${encodeURIComponent('11月失信名单.错误明细.csv')}`,
    );
    expect(disposition).not.toContain('.csv.csv');
  });
});

describe('problems are written in Chinese, codes stay English', () => {
  it('names the fields zod refused, in zod’s Chinese', async () => {
    // Act
    const limit = await listImports(claims.city, { limit: '0' });
    const body = await createImport({}, claims.city);
    const id = await call({
      routeKey: 'GET /imports/{importId}',
      path: '/imports/not-an-id',
      pathParameters: { importId: 'not-an-id' },
      claims: claims.city,
    });
    // Assess
    const limitProblem = expectChineseProblem(limit, 400, 'validation-failed');
    expect(limitProblem.title).toBe('请求有误');
    expect(limitProblem.detail).toBe('查询参数 limit：数值过小：期望 number >=1');
    expect(limitProblem.errors).toEqual([{ path: 'query.limit', message: '数值过小：期望 number >=1' }]);
    const bodyProblem = expectChineseProblem(body, 400, 'validation-failed');
    expect(bodyProblem.detail).toContain('请求体 source：');
    expect(bodyProblem.detail).toContain('请求体 fileName：');
    expect(expectChineseProblem(id, 400, 'validation-failed').detail).toContain('路径参数 importId：');
  });

  it('says what was not found, what may not be done, and who the caller is not', async () => {
    // Act
    const unknownImport = await call({
      routeKey: 'GET /imports/{importId}',
      path: '/imports/00000000-0000-4000-8000-000000000000',
      pathParameters: { importId: '00000000-0000-4000-8000-000000000000' },
      claims: claims.city,
    });
    const forbidden = await createImport(
      { source: 'push', fileName: '推送.csv' },
      claims.department('长安区人民法院'),
    );
    const noRole = await call({ routeKey: 'GET /imports', path: '/imports', claims: { sub: 'nobody' } });
    const notJson = await call({
      routeKey: 'POST /imports',
      path: '/imports',
      claims: claims.city,
      body: '{ not json',
    });
    // Assess
    expect(expectChineseProblem(unknownImport, 404, 'not-found').title).toBe('未找到');
    expectChineseProblem(forbidden, 403, 'forbidden');
    expectChineseProblem(noRole, 401, 'unauthorized');
    expectChineseProblem(notJson, 422, 'malformed-body');
  });
});
