/**
 * The monthly evaluation against DynamoDB Local: listings written through the store's own paths at
 * chosen times, so their flows land in chosen months; known figures per district; a rerun; a late exit
 * and late counts marking a month stale; a corrupted counter reported as drift; the schedule's month;
 * scope over the API.
 */
import { tmpdir } from 'node:os';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { planExitListing, planMoveSubject, planRecordListing } from '#domain/changes.ts';
import { DISTRICTS } from '#domain/district.ts';
import type { EvaluationSnapshot } from '#domain/evaluation.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { silentLogger } from '#shared/logger.ts';
import { readEvaluationWithStaleness } from '#storage/evaluation-run.ts';
import { putBenchmark, putEnterpriseCounts, readEvaluation } from '#storage/evaluation-store.ts';
import { keys } from '#storage/keys.ts';
import { changeSubject, changeSubjectWith, type StoreDeps } from '#storage/subject-store.ts';
import { createApiHandler } from '../../functions/api/create-handler.ts';
import { createEvaluateHandler } from '../../functions/evaluate/create-handler.ts';
import { createFileDropStore } from '../../local/adapters/file-drop-store.ts';
import { createTestTable } from '../support/dynamo.ts';
import { makeUscc } from '../support/files.ts';
import { claims, httpEvent, testContext } from '../support/http-events.ts';

const ACTOR: ChangedBy = {
  principal: 'test',
  role: 'city',
  cause: { kind: 'system', id: 'evaluation-test' },
};

let now = new Date('2026-01-10T02:00:00Z');
let deps: StoreDeps;
let evaluate: (event: unknown) => Promise<EvaluationSnapshot>;

async function list(serial: number, district: string, prefix = '91') {
  const uscc = makeUscc(serial, { prefix });
  const ref = { uscc, listType: 'court-debtor' as const, key: `(2025)冀执${serial}号` };
  await changeSubject(
    deps,
    uscc,
    ref,
    ACTOR,
    planRecordListing(
      { uscc, name: `石家庄测试${serial}有限公司`, district, districtSource: 'column' },
      { listType: ref.listType, key: ref.key, department: '长安区人民法院', source: 'test' },
      () => {},
    ),
  );
  return ref;
}

/** A confirmed exit whose flows go to `flowMonth` (the exit's effective month), as the exits path does. */
async function exit(ref: Awaited<ReturnType<typeof list>>, flowMonth?: string) {
  await changeSubjectWith(
    deps,
    ref.uscc,
    ACTOR,
    () => [{ ref, planner: planExitListing('performed') }],
    () => [],
    flowMonth === undefined ? {} : { flowMonth },
  );
}

function row(snapshot: EvaluationSnapshot, district: string) {
  return snapshot.districts.find((d) => d.district === district);
}

/** Every other unit 1 000 enterprises, so the city figure is known. */
const BASE_COUNTS = new Map(DISTRICTS.map((d) => [d.code, 1000]));

let listed: Awaited<ReturnType<typeof list>>[] = [];

beforeAll(async () => {
  const table = await createTestTable('evaluation');
  deps = { client: table.documentClient, tableName: table.tableName, clock: { now: () => now } };
  evaluate = createEvaluateHandler({
    store: deps,
    drop: createFileDropStore(tmpdir()),
    logger: silentLogger,
  });
  // January: 长安区 3 enterprises and a 12-prefixed institution, 桥西区 2, 高新区 1
  listed = [
    await list(1, '130102'),
    await list(2, '130102'),
    await list(3, '130102'),
    await list(4, '130102', '12'),
    await list(5, '130104'),
    await list(6, '130104'),
    await list(7, '130171'),
  ];
  // February: one more in 长安区, one exit in 桥西区, one moved from 长安区 to 新华区
  now = new Date('2026-02-10T02:00:00Z');
  listed.push(await list(8, '130102'));
  await exit(listed[4] as (typeof listed)[number]);
  await changeSubject(deps, makeUscc(3), undefined, ACTOR, planMoveSubject('130105', 'manual'));
  await putEnterpriseCounts(
    deps,
    '2026-01',
    new Map([...BASE_COUNTS, ['130102', 300], ['130104', 200], ['130171', 100]]),
    ACTOR,
  );
  await putBenchmark(deps, '2026-01', 0.004, ACTOR);
  now = new Date('2026-03-05T02:00:00Z');
});

describe('the evaluation of a month', () => {
  it('gives the known figures per district at the end of each month', async () => {
    // Act
    const january = await evaluate({ source: 'manual', month: '2026-01' });
    const february = await evaluate({ source: 'manual', month: '2026-02' });
    // Assess
    expect(row(january, '130102')).toMatchObject({
      numerator: 3,
      denominator: 300,
      ratio: 0.01,
      aboveTarget: true,
    });
    expect(row(january, '130104')).toMatchObject({ numerator: 2, denominator: 200, ratio: 0.01 });
    expect(row(january, '130171')).toMatchObject({ numerator: 1, denominator: 100, ratio: 0.01 });
    expect(row(january, '130105')).toMatchObject({ numerator: 0, ratio: 0, rank: 1 });
    expect(january.city).toMatchObject({ numerator: 6, denominator: 21 * 1000 + 600 });
    expect(row(february, '130102')).toMatchObject({
      numerator: 3,
      denominatorMonth: '2026-01',
      flows: { newlyListed: 1, exited: 0, movedIn: 0, movedOut: 1, net: 0 },
    });
    expect(row(february, '130104')).toMatchObject({
      numerator: 1,
      ratio: 0.005,
      flows: { exited: 1, net: -1 },
    });
    expect(row(february, '130105')).toMatchObject({ numerator: 1, ratio: 0.001, flows: { movedIn: 1 } });
    // 长安区 and 高新区 at 1%: equal ratios, 长安区 no change, 高新区 no change either: they share a rank
    expect(row(february, '130102')?.rank).toBe(row(february, '130171')?.rank);
    expect(row(february, '130104')?.rank).toBeLessThan(row(february, '130102')?.rank ?? 0);
    expect(february.city.flows).toMatchObject({ newlyListed: 1, exited: 1, net: 0 });
    expect(february.benchmark).toEqual({ month: '2026-01', value: 0.004 });
    expect(february.drift).toEqual([]);
  });

  it('gives the same figures on a rerun, and keeps the previous run in the history', async () => {
    // Prepare
    const first = (await readEvaluation(deps, '2026-02'))?.snapshot;
    now = new Date('2026-03-05T03:00:00Z');
    // Act
    await evaluate({ source: 'manual', month: '2026-02' });
    const stored = await readEvaluation(deps, '2026-02');
    // Assess
    expect(stored?.runs).toBe(2);
    expect(stored?.history).toHaveLength(1);
    expect(stored?.history[0]?.computedAt).toBe(first?.computedAt);
    expect(stored?.snapshot.districts).toEqual(first?.districts);
    expect(stored?.snapshot.city).toEqual(first?.city);
    expect(stored?.snapshot.computedAt).not.toBe(first?.computedAt);
  });

  it('is not stale after a new listing of a later month, and stale after a late exit in the month', async () => {
    // Prepare: a March listing changes the counters and March's flows alike
    now = new Date('2026-03-06T02:00:00Z');
    listed.push(await list(9, '130102'));
    const afterNewListing = await readEvaluationWithStaleness(deps, '2026-02');
    // Act: an exit confirmed in March whose effective date is in February
    await exit(listed[0] as (typeof listed)[number], '2026-02');
    const february = await readEvaluationWithStaleness(deps, '2026-02');
    const january = await readEvaluationWithStaleness(deps, '2026-01');
    // Assess
    expect(afterNewListing?.snapshot.stale).toBeUndefined();
    expect(february?.snapshot.stale?.reason).toContain('长安区失信企业数 3→2');
    expect(january?.snapshot.stale).toBeUndefined();
    const rerun = await evaluate({ source: 'manual', month: '2026-02' });
    expect(row(rerun, '130102')?.numerator).toBe(2);
    expect((await readEvaluationWithStaleness(deps, '2026-02'))?.snapshot.stale).toBeUndefined();
  });

  it('is stale after late enterprise counts of the month', async () => {
    // Act
    await putEnterpriseCounts(deps, '2026-02', new Map([['130102', 400]]), ACTOR);
    const february = await readEvaluationWithStaleness(deps, '2026-02');
    // Assess
    expect(february?.snapshot.stale?.reason).toContain('长安区法人企业数 300（2026-01）→400（2026-02）');
    expect((await readEvaluationWithStaleness(deps, '2026-01'))?.snapshot.stale).toBeUndefined();
  });

  it('reports a corrupted counter as drift, and leaves it as it is', async () => {
    // Prepare
    await deps.client.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: keys.currentCounter(0, '130104'),
        // the shard item may not exist yet: give it what the counter writes give every counter item
        UpdateExpression: 'SET district = :district, #type = :type ADD listed_91 :five',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':five': 5, ':district': '130104', ':type': 'counter' },
      }),
    );
    // Act
    const snapshot = await evaluate({ source: 'manual', month: '2026-02' });
    // Assess
    expect(snapshot.drift).toEqual([{ district: '130104', attribute: 'listed_91', stored: 6, recount: 1 }]);
    const again = await evaluate({ source: 'manual', month: '2026-02' });
    expect(again.drift).toEqual(snapshot.drift);
  });

  it('evaluates the month before the scheduled time in Asia/Shanghai', async () => {
    // 2026-02-28T18:00Z is 02:00 on 1 March in Shanghai: February
    const snapshot = await evaluate({ source: 'schedule', scheduledTime: '2026-02-28T18:00:00Z' });
    expect(snapshot.month).toBe('2026-02');
  });

  it('refuses a month that has not ended', async () => {
    await expect(evaluate({ source: 'manual', month: '2026-03' })).rejects.toMatchObject({ status: 400 });
  });
});

describe('the evaluation over the API', () => {
  type Result = { statusCode: number; body: string };
  let api: (event: unknown, context: unknown) => Promise<Result>;

  beforeAll(() => {
    const handler = createApiHandler({
      store: deps,
      drop: () => {
        throw new Error('no drop folder in this test');
      },
      queue: () => undefined,
    });
    api = (event, context) => handler(event as never, context as never) as Promise<Result>;
  });

  async function call(routeKey: string, path: string, who: Record<string, string>, extra = {}) {
    const month = path.split('/').at(-1) ?? '';
    const result = await api(
      httpEvent({ routeKey, path, claims: who, pathParameters: { month }, ...extra }),
      testContext,
    );
    return { status: result.statusCode, body: JSON.parse(result.body) };
  }

  it('lets the city run and read a month, a district office read the city figure and its own row', async () => {
    // Act
    const run = await call('POST /evaluations/{month}', '/evaluations/2026-01', claims.city);
    const city = await call('GET /evaluations/{month}', '/evaluations/2026-01', claims.city);
    const district = await call(
      'GET /evaluations/{month}',
      '/evaluations/2026-01',
      claims.district('130104'),
    );
    const months = await call('GET /evaluations', '/evaluations', claims.district('130104'));
    const refused = await call(
      'POST /evaluations/{month}',
      '/evaluations/2026-01',
      claims.district('130104'),
    );
    // Assess
    expect(run.status).toBe(200);
    expect(city.body.districts).toHaveLength(24);
    expect(city.body.runs).toBeGreaterThan(1);
    expect(district.status).toBe(200);
    expect(district.body.districts.map((d: { district: string }) => d.district)).toEqual(['130104']);
    expect(district.body.city.numerator).toBe(city.body.city.numerator);
    expect(district.body.ranking).toEqual({ best: [], worst: [] });
    expect(district.body.history).toBeUndefined();
    expect(months.body.months.map((m: { month: string }) => m.month)).toEqual(['2026-02', '2026-01']);
    expect(refused.status).toBe(403);
  });

  it('takes the enterprise counts and the benchmark from the city only, and validates them', async () => {
    // Act
    const counts = await call('PUT /enterprise-counts/{month}', '/enterprise-counts/2026-03', claims.city, {
      body: { counts: { '130102': 310, '130171': 120 }, reason: '统计局3月数' },
    });
    const badDistrict = await call(
      'PUT /enterprise-counts/{month}',
      '/enterprise-counts/2026-03',
      claims.city,
      {
        body: { counts: { '130100': 10 } },
      },
    );
    const byDistrict = await call(
      'PUT /enterprise-counts/{month}',
      '/enterprise-counts/2026-03',
      claims.district('130102'),
      { body: { counts: { '130102': 1 } } },
    );
    const benchmark = await call('PUT /benchmarks/{month}', '/benchmarks/2026-03', claims.city, {
      body: { value: 0.0085 },
    });
    const percent = await call('PUT /benchmarks/{month}', '/benchmarks/2026-03', claims.city, {
      body: { value: 0.85 * 100 },
    });
    // Assess
    expect(counts).toMatchObject({ status: 200, body: { month: '2026-03', counts: { '130102': 310 } } });
    expect(badDistrict.status).toBe(400);
    expect(byDistrict.status).toBe(403);
    expect(benchmark.status).toBe(200);
    expect(percent.status).toBe(400);
  });

  it('answers 404 for a month never evaluated and 400 for one not ended', async () => {
    expect((await call('GET /evaluations/{month}', '/evaluations/2025-06', claims.city)).status).toBe(404);
    expect((await call('POST /evaluations/{month}', '/evaluations/2026-03', claims.city)).status).toBe(400);
  });
});
