/**
 * Triage kept current by itself: the classify handler on the table's stream (read from DynamoDB Local's
 * Streams API as Lambda's event source mapping would) re-triages a listing after an import, a registry
 * update and a district move; a second pass writes nothing; the daily run touches only the listings due;
 * a rule-table change and a run on request re-triage their scope; the counts equal a recount.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { planMoveSubject, planRecordListing, planRegistryUpdate } from '#domain/changes.ts';
import { COUNTER } from '#domain/counting.ts';
import { type Listing, shanghaiDate } from '#domain/model.ts';
import { DEFAULT_RULE_TABLE } from '#domain/rule-table.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { TRIAGE_COUNTER } from '#domain/triage-state.ts';
import { readCurrentCounters } from '#storage/counter-store.ts';
import { ITEM_TYPES, keys } from '#storage/keys.ts';
import { changeSubject, getListing, type StoreDeps } from '#storage/subject-store.ts';
import { readTriageJob } from '#storage/triage-job-store.ts';
import { retriageListing, triageActor } from '#storage/triage-store.ts';
import { createApiHandler } from '../../functions/api/create-handler.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import { COURT_HEADER, courtRows, dropImportId, makeUscc, utf8Csv } from '../support/files.ts';
import { claims, httpEvent, testContext } from '../support/http-events.ts';
import { createImportHarness } from '../support/imports.ts';
import { type TriageReader, triageReader } from '../support/triage.ts';
import { recountTriage } from '../support/triage-counts.ts';

const clerk: ChangedBy = {
  principal: 'local:department:长安区人民法院',
  role: 'department',
  department: '长安区人民法院',
  cause: { kind: 'import', id: 'import-1' },
};
const COURT = '长安区人民法院';

/** 2026-11-30 10:00 in Asia/Shanghai. */
let now = new Date('2026-11-30T02:00:00Z');
const clock = { now: () => now };

let table: TestTable;
let deps: StoreDeps;
let triage: TriageReader;

function ref(uscc: string, key: string) {
  return { uscc, listType: 'court-debtor' as const, key };
}

/** A court listing of a subject in 长安区 that is trading (status active) unless told otherwise. */
async function list(uscc: string, key: string, facts: Partial<Listing> = {}) {
  await changeSubject(
    deps,
    uscc,
    ref(uscc, key),
    clerk,
    planRecordListing(
      { uscc, name: `石家庄测试商贸有限公司${uscc.slice(-4)}`, district: '130102', districtSource: 'column' },
      { listType: 'court-debtor', key, department: COURT, source: 'court', listedAt: '2026-01-05', ...facts },
      () => undefined,
    ),
  );
  await changeSubject(
    deps,
    uscc,
    undefined,
    clerk,
    planRegistryUpdate({ registrationStatus: 'active', flags: {} }, () => undefined),
  );
}

async function listing(uscc: string, key: string) {
  return (await getListing(deps, ref(uscc, key), true)) as Listing & { version: number };
}

/** The stored triage counters of every district equal a recount from the listings themselves. */
async function expectCountsEqualRecount() {
  const stored = await readCurrentCounters(deps);
  const recounted = await recountTriage(deps, shanghaiDate(clock.now()));
  for (const district of new Set([...stored.keys(), ...recounted.keys()])) {
    const figures = recounted.get(district);
    const want: Record<string, number> = {};
    if (figures !== undefined) {
      for (const [list, count] of Object.entries(figures.lists)) want[`triage_${list}`] = count;
      for (const [track, count] of Object.entries(figures.tracks)) want[TRIAGE_COUNTER.track(track)] = count;
      want[TRIAGE_COUNTER.overridden] = figures.overridden;
      // the counter holds the classified listings overdue; the unclassified have no tally yet
      want[TRIAGE_COUNTER.overdue] = figures.overdue - figures.unclassified;
    }
    const got = Object.fromEntries(
      Object.entries(stored.get(district) ?? {}).filter(
        ([name]) => name.startsWith('triage') || name.startsWith('track_') || name === TRIAGE_COUNTER.overdue,
      ),
    );
    const nonZero = (counts: Record<string, number>) =>
      Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));
    expect(nonZero(got), `district ${district}`).toEqual(nonZero(want));
  }
}

beforeAll(async () => {
  table = await createTestTable('triage', { stream: true });
  deps = { client: table.documentClient, tableName: table.tableName, clock };
  triage = triageReader(table, clock);
});

describe('triage from the stream', () => {
  it('classifies new listings with the rule, the reason and the measures, and writes nothing twice', async () => {
    // Prepare
    const trading = makeUscc(101);
    const revoked = makeUscc(102);
    await list(trading, '(2026)冀0102执101号');
    await list(revoked, '(2026)冀0102执102号');
    await changeSubject(
      deps,
      revoked,
      undefined,
      clerk,
      planRegistryUpdate({ registrationStatus: 'revoked', flags: {} }, () => undefined),
    );
    // Act
    await triage.drain();
    // Assess
    const assisted = await listing(trading, '(2026)冀0102执101号');
    expect(assisted.classification).toMatchObject({
      list: 'assist',
      track: 'repair-guidance',
      ruleId: 'A1',
      ruleTableVersion: DEFAULT_RULE_TABLE.version,
      asOf: '2026-11-30',
    });
    expect(assisted.classification?.reason).toContain('A1');
    expect(assisted.tally).toEqual({
      district: '130102',
      list: 'assist',
      track: 'repair-guidance',
      overridden: false,
      overdue: true,
    });
    const urged = await listing(revoked, '(2026)冀0102执102号');
    expect(urged.classification).toMatchObject({ list: 'exit', track: 'urge-deregistration', ruleId: 'E4' });
    expect(urged.classification?.reason).toMatch(/吊销/);
    await expectCountsEqualRecount();

    // triage again over the same facts, as a run would: nothing is written
    const versions = [assisted.version, urged.version];
    const run = {
      rules: DEFAULT_RULE_TABLE,
      today: '2026-11-30',
      actor: triageActor({ kind: 'system', id: 'again' }),
    };
    const outcomes = [
      await retriageListing(deps, ref(trading, '(2026)冀0102执101号'), run),
      await retriageListing(deps, ref(revoked, '(2026)冀0102执102号'), run),
    ];
    expect(outcomes.map(({ outcome }) => outcome)).toEqual(['unchanged', 'unchanged']);
    await triage.drain();
    const again = [
      await listing(trading, '(2026)冀0102执101号'),
      await listing(revoked, '(2026)冀0102执102号'),
    ];
    expect(again.map((item) => item.version)).toEqual(versions);
  });

  it('triages what an import wrote, through the real worker, with the import as the cause', async () => {
    // Prepare: a table of its own (a court push is diffed against every court listing of the table)
    const own = await createTestTable('triage-import', { stream: true });
    const ownTriage = triageReader(own, clock);
    const harness = createImportHarness(own, { now: clock.now });
    const key = harness.drop(
      'court',
      '法院名单-分类.csv',
      utf8Csv([[...COURT_HEADER], ...courtRows(3, 150)]),
    );
    // Act
    await harness.notify(key);
    await ownTriage.drain();
    await ownTriage.stop();
    // Assess: court rows carry no registration status: nothing matches before C1
    for (let serial = 150; serial < 153; serial++) {
      const ref = {
        uscc: makeUscc(serial),
        listType: 'court-debtor' as const,
        key: `(2022)冀0102执${serial}号`,
      };
      const written = (await getListing(ownTriage.deps, ref, true)) as Listing;
      expect(written.classification).toMatchObject({ list: 'constrain', ruleId: 'C1', asOf: '2026-11-30' });
      expect((written as unknown as { changedBy: ChangedBy }).changedBy).toMatchObject({
        principal: 'system:triage',
        cause: { kind: 'import', id: dropImportId(key) },
      });
    }
    const counts = (await readCurrentCounters(ownTriage.deps)).get('130102');
    expect(counts?.[TRIAGE_COUNTER.list('constrain')]).toBe(3);
    expect(counts?.[COUNTER.activeListings]).toBe(3);
  });

  it('re-triages every listing of a subject whose registry facts change, constraint measures following', async () => {
    // Prepare: a subject that lost contact goes on the constraint list with its measures
    const uscc = makeUscc(201);
    await list(uscc, '(2026)冀0102执201号');
    await list(uscc, '(2026)冀0102执202号');
    await changeSubject(
      deps,
      uscc,
      undefined,
      clerk,
      planRegistryUpdate({ registrationStatus: 'active', flags: { lostContact: true } }, () => undefined),
    );
    await triage.drain();
    const constrained = await listing(uscc, '(2026)冀0102执201号');
    // court-debtor and lost contact: referred for bankruptcy review (E5) rather than punished
    expect(constrained.classification).toMatchObject({ list: 'exit', ruleId: 'E5' });
    // Act: the registry says it was deregistered
    await changeSubject(
      deps,
      uscc,
      undefined,
      { ...clerk, cause: { kind: 'import', id: 'registry-1' } },
      planRegistryUpdate(
        { registrationStatus: 'deregistered', flags: { lostContact: true } },
        () => undefined,
      ),
    );
    await triage.drain();
    // Assess: both listings, each recording why
    for (const key of ['(2026)冀0102执201号', '(2026)冀0102执202号']) {
      const after = await listing(uscc, key);
      expect(after.classification).toMatchObject({ list: 'exit', track: 'direct', ruleId: 'E1' });
      expect(after.classification?.reason).toContain('注销');
      expect((after as unknown as { changedBy: ChangedBy }).changedBy).toMatchObject({
        principal: 'system:triage',
        cause: { kind: 'import', id: 'registry-1' },
      });
    }
    await expectCountsEqualRecount();
  });

  it('moves the triage counts with a subject that moves district', async () => {
    // Prepare
    const uscc = makeUscc(301);
    await list(uscc, '(2026)冀0102执301号');
    await triage.drain();
    // Act
    await changeSubject(deps, uscc, undefined, clerk, planMoveSubject('130104', 'manual'));
    await triage.drain();
    // Assess
    const moved = await listing(uscc, '(2026)冀0102执301号');
    expect(moved.tally?.district).toBe('130104');
    const counters = await readCurrentCounters(deps);
    expect(counters.get('130104')?.[TRIAGE_COUNTER.list('assist')]).toBe(1);
    await expectCountsEqualRecount();
  });

  it('keeps constraint measures in force from the day the listing went on the constraint list', async () => {
    // Prepare: status unknown and not reachable: nothing matches before C1
    const uscc = makeUscc(401);
    await list(uscc, '(2026)冀0102执401号');
    await changeSubject(
      deps,
      uscc,
      undefined,
      clerk,
      planRegistryUpdate({ registrationStatus: 'suspended', flags: {} }, () => undefined),
    );
    // Act
    await triage.drain();
    // Assess
    const constrained = await listing(uscc, '(2026)冀0102执401号');
    expect(constrained.classification).toMatchObject({ list: 'constrain', ruleId: 'C1' });
    expect(constrained.classification?.measures).toHaveLength(6);
    for (const measure of constrained.classification?.measures ?? [])
      expect(measure).toMatchObject({ since: '2026-11-30', decidedBy: 'rule:C1' });
  });
});

describe('re-triage runs', () => {
  it('the daily run re-triages only the listings due, once however often the schedule fires', async () => {
    // Prepare: a listing whose two-year term ends on 2026-12-01, and one listed this year
    const ending = makeUscc(501);
    const recent = makeUscc(502);
    await list(ending, '(2024)冀0102执501号', { listedAt: '2024-12-01', reason: '违反财产报告制度' });
    await list(recent, '(2026)冀0102执502号', { listedAt: '2026-06-01', reason: '违反财产报告制度' });
    await triage.drain();
    const before = await listing(ending, '(2024)冀0102执501号');
    expect(before.classification).toMatchObject({ list: 'assist', nextReviewDate: '2026-12-01' });
    expect(before.dueOn).toBe('2026-12-01');
    const recentVersion = (await listing(recent, '(2026)冀0102执502号')).version;
    // Act: the schedule fires for 2026-12-01 01:00 in Shanghai, twice
    now = new Date('2026-11-30T17:00:05Z');
    const event = { source: 'schedule', scheduledTime: '2026-11-30T17:00:00Z' };
    await triage.handler(event);
    await triage.handler(event);
    await triage.drain();
    // Assess
    const after = await listing(ending, '(2024)冀0102执501号');
    expect(after.classification).toMatchObject({
      list: 'exit',
      track: 'expired',
      ruleId: 'E2',
      asOf: '2026-12-01',
    });
    expect((await listing(recent, '(2026)冀0102执502号')).version).toBe(recentVersion);
    const job = await readTriageJob(deps, 'daily-2026-12-01');
    expect(job).toMatchObject({ status: 'succeeded', counts: { listings: 1, changed: 1, failed: 0 } });
    now = new Date('2026-11-30T02:00:00Z');
  });

  it('a rule-table change re-triages every active listing under the new version', async () => {
    // Act
    const ruleTable = { ...DEFAULT_RULE_TABLE, version: 'test-2' };
    await deps.client.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: {
          ...keys.campaign('current'),
          type: ITEM_TYPES.campaign,
          ruleTable,
          changedBy: { principal: 'city-officer', role: 'city', cause: { kind: 'request', id: 'req-rules' } },
        },
      }),
    );
    await triage.drain();
    // Assess
    const job = await readTriageJob(deps, 'rules-test-2');
    expect(job?.status).toBe('succeeded');
    expect(job?.counts.failed).toBe(0);
    const active = (await listing(makeUscc(101), '(2026)冀0102执101号')).classification;
    expect(active?.ruleTableVersion).toBe('test-2');
    await expectCountsEqualRecount();
  });

  it('POST /classifications runs a district on request and shows its counts', async () => {
    // Prepare
    const api = createApiHandler({
      store: deps,
      drop: () => {
        throw new Error('no drop folder');
      },
      queue: () => undefined,
    }) as unknown as (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;
    const call = async (input: Parameters<typeof httpEvent>[0]) => {
      const result = await api(httpEvent(input), testContext);
      return { status: result.statusCode, json: JSON.parse(result.body) as Record<string, unknown> };
    };
    // Act
    const started = await call({
      routeKey: 'POST /classifications',
      path: '/classifications',
      claims: claims.district('130102'),
      body: { scope: 'district', asOf: '2026-11-30' },
    });
    const refused = await call({
      routeKey: 'POST /classifications',
      path: '/classifications',
      claims: claims.district('130102'),
      body: { scope: 'district', district: '130104' },
    });
    await triage.drain();
    const jobId = String(started.json.jobId);
    const done = await call({
      routeKey: 'GET /classifications/{jobId}',
      path: `/classifications/${jobId}`,
      pathParameters: { jobId },
      claims: claims.district('130102'),
    });
    const hidden = await call({
      routeKey: 'GET /classifications/{jobId}',
      path: `/classifications/${jobId}`,
      pathParameters: { jobId },
      claims: claims.district('130104'),
    });
    // Assess
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({ status: 'queued', scope: { kind: 'district', district: '130102' } });
    expect(refused.status).toBe(403);
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ status: 'succeeded', asOf: '2026-11-30' });
    const counts = done.json.counts as { listings: number; changed: number; unchanged: number };
    expect(counts.listings).toBeGreaterThan(0);
    expect(counts.changed + counts.unchanged).toBe(counts.listings);
    expect(hidden.status).toBe(404);
  });
});
