/**
 * `POST /exits/bulk` through the exits handler with real HTTP API v2 events on DynamoDB Local: a
 * department's direct exits (rule E1) submitted in one request, prefilled from the registry's facts,
 * each reported; listings that are not its direct exits, or not its own, are left as they were.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { planRegistryUpdate, type RegistryFacts } from '#domain/changes.ts';
import { DEFAULT_RULE_TABLE } from '#domain/rule-table.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { editListing } from '#storage/listing-edit.ts';
import { changeSubject, getListing, type StoreDeps } from '#storage/subject-store.ts';
import { retriageListing, triageActor } from '#storage/triage-store.ts';
import { expectCountersEqualRecount } from '../support/counters.ts';
import { createTestTable } from '../support/dynamo.ts';
import {
  type ExitJson,
  type ExitsClient,
  exitRequest,
  exitsClient,
  type SeededListing,
  seedListing,
  TODAY,
} from '../support/exits.ts';
import { claims } from '../support/http-events.ts';

const REGISTRY_IMPORT: ChangedBy = {
  principal: 'import-worker',
  role: 'system',
  cause: { kind: 'import', id: 'registry-2026-05' },
};
const SEEDER: ChangedBy = { principal: 'seed', role: 'city', cause: { kind: 'system', id: 'seed' } };
const REVOKED = { system: '中国执行信息公开网', date: TODAY };

let deps: StoreDeps;
let api: ExitsClient;
let nextIndex = 1;

interface BulkResult {
  listingId: string;
  exitId?: string;
  status: number;
  code?: string;
  detail?: string;
}
type BulkJson = ExitJson & { results: BulkResult[]; submitted: number; failed: number };

/** A listing of `department` whose subject the registry says `facts` of, triaged as of today. */
async function seed(department: string, facts: RegistryFacts, district = '130102'): Promise<SeededListing> {
  const listing = await seedListing(deps, nextIndex++, { department, district });
  // from a trading subject, so that the registry import is the one that sets `facts`
  await changeSubject(
    deps,
    listing.uscc,
    undefined,
    SEEDER,
    planRegistryUpdate(trading, () => {}),
  );
  await changeSubject(
    deps,
    listing.uscc,
    undefined,
    REGISTRY_IMPORT,
    planRegistryUpdate(facts, () => {}),
  );
  await retriageListing(deps, listing.ref, {
    rules: DEFAULT_RULE_TABLE,
    today: TODAY,
    actor: triageActor({ kind: 'system', id: 'seed' }),
  });
  return listing;
}

const deregistered: RegistryFacts = { registrationStatus: 'deregistered', flags: {} };
const movedOut: RegistryFacts = { registrationStatus: 'moved-out', movedTo: '天津市', flags: {} };
const liquidating: RegistryFacts = { registrationStatus: 'liquidating', flags: {} };
const trading: RegistryFacts = { registrationStatus: 'active', flags: {} };
const bankrupt: RegistryFacts = { registrationStatus: 'active', flags: { bankruptcy: true } };

async function bulk(department: string, body: Record<string, unknown>, district?: string) {
  const answer = await api.call('POST /exits/bulk', claims.department(department, district), { body });
  return { statusCode: answer.statusCode, json: answer.json as BulkJson };
}

async function listingOf(seeded: SeededListing) {
  return getListing(deps, seeded.ref, true);
}

beforeAll(async () => {
  const table = await createTestTable('exits-bulk', { stream: false });
  deps = { client: table.documentClient, tableName: table.tableName, clock: { now: () => new Date() } };
  api = exitsClient({ store: deps });
});

describe('the direct exits of a department', () => {
  it('submits every E1 listing of the department, prefilled from the registry, and reports the one it cannot', async () => {
    // Prepare
    const court = '新华区人民法院';
    const gone = await seed(court, deregistered);
    const moved = await seed(court, movedOut, '130104');
    const liquidated = await seed(court, liquidating);
    const bankruptcy = await seed(court, bankrupt);
    const stillTrading = await seed(court, trading);
    const overridden = await seed(court, deregistered);
    await editListing(deps, overridden.ref, REGISTRY_IMPORT, TODAY, ({ listing }) => ({
      ...listing,
      classification: {
        ...(listing.classification ?? expect.fail('seeded listings are classified')),
        override: {
          list: 'constrain',
          track: 'joint-punishment',
          reason: '注销前仍有未执行财产',
          by: 'dept-新华区人民法院',
          department: court,
          at: new Date().toISOString(),
        },
      },
    }));
    const pending = await seed(court, deregistered);
    const opened = await api.call('POST /exits', claims.department(court), {
      body: { listingId: pending.listingId, ...exitRequest() },
    });
    expect(opened.statusCode).toBe(201);
    const otherDepartment = await seed('国家税务总局石家庄市新华区税务局', deregistered);

    // Act
    const answer = await bulk(court, { publicationRevoked: REVOKED, note: '批量退出' });

    // Assess: the four on the direct track, in listed order, three submitted and the bankrupt one refused
    expect(answer.statusCode).toBe(200);
    const byId = new Map(answer.json.results.map((result) => [result.listingId, result]));
    expect([...byId.keys()].sort()).toEqual(
      [gone, moved, liquidated, bankruptcy].map((listing) => listing.listingId).sort(),
    );
    expect(answer.json).toMatchObject({ submitted: 3, failed: 1 });
    expect(byId.get(bankruptcy.listingId)).toMatchObject({ status: 400, code: 'validation-failed' });
    expect(byId.get(bankruptcy.listingId)?.detail).toContain('法院裁定书');
    const reasons = new Map([
      [gone.listingId, 'deregistered'],
      [moved.listingId, 'moved-out'],
      [liquidated.listingId, 'liquidation'],
    ]);
    for (const [listingId, reason] of reasons) {
      const result = byId.get(listingId);
      expect(result?.status).toBe(201);
      const exit = await api.call('GET /exits/{exitId}', claims.city, { exitId: result?.exitId ?? '' });
      expect(exit.json.status).toBe('submitted');
      expect(exit.json.rounds[0]).toMatchObject({
        reason,
        effectiveDate: TODAY,
        publicationRevoked: REVOKED,
        note: '批量退出',
        evidence: [{ kind: 'registry-record', ref: expect.stringContaining('导入批次 registry-2026-05') }],
      });
    }
    const movedExit = await api.call('GET /exits/{exitId}', claims.city, {
      exitId: byId.get(moved.listingId)?.exitId ?? '',
    });
    expect(movedExit.json.rounds[0]?.evidence).toEqual([
      {
        kind: 'registry-record',
        ref: '登记机关记录：登记状态“迁出（迁往天津市）”，导入批次 registry-2026-05',
      },
    ]);
    expect(movedExit.json.district).toBe('130104');
    // every submitted listing pending; the rest as they were
    for (const listing of [gone, moved, liquidated])
      expect((await listingOf(listing))?.status).toBe('exit-pending');
    for (const listing of [bankruptcy, stillTrading, overridden, otherDepartment])
      expect(await listingOf(listing)).toMatchObject({ status: 'active' });
    expect((await listingOf(otherDepartment))?.exitId).toBeUndefined();
    expect(await listingOf(pending)).toMatchObject({ status: 'exit-pending', exitId: opened.json.exitId });
    await expectCountersEqualRecount(deps);

    // a second request finds nothing left but the refused one
    const again = await bulk(court, { publicationRevoked: REVOKED });
    expect(again.json.results.map((result) => result.listingId)).toEqual([bankruptcy.listingId]);
  });

  it('reports each listing it was given that it cannot submit, beside those it submits, in the order given', async () => {
    // Prepare
    const court = '裕华区人民法院';
    const good = await seed(court, deregistered);
    const notDirect = await seed(court, trading);
    const pending = await seed(court, deregistered);
    await api.call('POST /exits', claims.department(court), {
      body: { listingId: pending.listingId, ...exitRequest() },
    });
    const someoneElses = await seed('桥西区人民法院', deregistered);
    const bankruptcy = await seed(court, bankrupt);
    const ids = [
      notDirect.listingId,
      good.listingId,
      pending.listingId,
      someoneElses.listingId,
      'bm90LWEtbGlzdGluZw',
      bankruptcy.listingId,
    ];

    // Act
    const answer = await bulk(court, {
      listingIds: ids,
      publicationRevoked: REVOKED,
      evidence: [{ kind: 'court-ruling', ref: '(2026)冀01破5号' }],
    });

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(answer.json.results.map(({ listingId, status, code }) => ({ listingId, status, code }))).toEqual([
      { listingId: notDirect.listingId, status: 409, code: 'not-direct-exit' },
      { listingId: good.listingId, status: 201, code: undefined },
      { listingId: pending.listingId, status: 409, code: 'exit-open' },
      { listingId: someoneElses.listingId, status: 403, code: 'forbidden' },
      { listingId: 'bm90LWEtbGlzdGluZw', status: 404, code: 'not-found' },
      { listingId: bankruptcy.listingId, status: 201, code: undefined },
    ]);
    expect(answer.json).toMatchObject({ submitted: 2, failed: 4 });
    for (const result of answer.json.results.filter((result) => result.status !== 201))
      expect(result.detail).toMatch(/[\u4e00-\u9fff]/);
    // the court ruling given stands for the bankrupt subject; the registry record joins it for the other
    const goodExit = await api.call('GET /exits/{exitId}', claims.city, {
      exitId: answer.json.results[1]?.exitId ?? '',
    });
    expect(goodExit.json.rounds[0]?.evidence).toEqual([
      { kind: 'court-ruling', ref: '(2026)冀01破5号' },
      { kind: 'registry-record', ref: '登记机关记录：登记状态“注销”，导入批次 registry-2026-05' },
    ]);
    const bankruptExit = await api.call('GET /exits/{exitId}', claims.city, {
      exitId: answer.json.results[5]?.exitId ?? '',
    });
    expect(bankruptExit.json.rounds[0]).toMatchObject({
      reason: 'bankruptcy',
      evidence: [{ kind: 'court-ruling', ref: '(2026)冀01破5号' }],
    });
    expect(await listingOf(someoneElses)).toMatchObject({ status: 'active' });
    await expectCountersEqualRecount(deps);
  });

  it('keeps to one district when asked, or when the token names one', async () => {
    // Prepare
    const court = '长安区人民法院执行局';
    const here = await seed(court, deregistered, '130102');
    const there = await seed(court, deregistered, '130104');

    // Act
    const answer = await bulk(court, { district: '130104', publicationRevoked: REVOKED });
    const refused = await bulk(court, { district: '130102', publicationRevoked: REVOKED }, '130104');
    const tokenOfThere = await bulk(
      court,
      { listingIds: [here.listingId], publicationRevoked: REVOKED },
      '130104',
    );

    // Assess
    expect(answer.json.results.map((result) => [result.listingId, result.status])).toEqual([
      [there.listingId, 201],
    ]);
    expect(await listingOf(here)).toMatchObject({ status: 'active' });
    expect(refused.statusCode).toBe(403);
    expect(tokenOfThere.json.results[0]).toMatchObject({ status: 403 });
  });
});

describe('refusals of the whole request', () => {
  it('refuses more than 500 listings, a missing publication revocation, a future date and another role', async () => {
    const ids = Array.from({ length: 501 }, (_, index) => `listing-${index}`);
    const tooMany = await bulk('新华区人民法院', { listingIds: ids, publicationRevoked: REVOKED });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json.detail).toContain('500');
    const noRevocation = await bulk('新华区人民法院', {});
    expect(noRevocation.statusCode).toBe(400);
    expect(noRevocation.json.detail).toContain('publicationRevoked');
    const future = await bulk('新华区人民法院', { publicationRevoked: REVOKED, effectiveDate: '2999-01-01' });
    expect(future.statusCode).toBe(400);
    expect(future.json.detail).toContain('退出日期不能晚于今天');
    const byDistrict = await api.call('POST /exits/bulk', claims.district('130102'), {
      body: { publicationRevoked: REVOKED },
    });
    expect(byDistrict.statusCode).toBe(403);
  });
});
