/**
 * The listing routes through the API handler with real HTTP API v2 events on DynamoDB Local: the
 * designating department's override and re-triage, plans, actions, and the subject page and trail that
 * show them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths } from '#domain/calendar-dates.ts';
import { planExitListing, planRegistryUpdate } from '#domain/changes.ts';
import { DEFAULT_RULE_TABLE } from '#domain/rule-table.ts';
import type { ListingRef } from '#domain/subject-writes.ts';
import { readCurrentCounters } from '#storage/counter-store.ts';
import { encodeListingId } from '#storage/keys.ts';
import { changeSubject, type StoreDeps } from '#storage/subject-store.ts';
import { retriageListing, triageActor } from '#storage/triage-store.ts';
import { createApiHandler } from '../../functions/api/create-handler.ts';
import { createTestTable } from '../support/dynamo.ts';
import { COURT, SEEDER, seedListing, TAX, TODAY, usccOf } from '../support/exits.ts';
import { claims, httpEvent, testContext } from '../support/http-events.ts';
import { type TrailReader, trailReader } from '../support/trail.ts';

type Result = { statusCode: number; body: string };
type Json = Record<string, unknown> & {
  code?: string;
  detail?: string;
  classification?: Record<string, unknown>;
  plan?: Record<string, unknown>;
  tally?: Record<string, unknown>;
};
let handler: (event: unknown, context: unknown) => Promise<Result>;
let deps: StoreDeps;
let trail: TrailReader;

/** A listed, active and reachable subject (rule A1 once triaged) with one listing. */
function seed(index: number, options: Omit<Parameters<typeof seedListing>[2], 'registrationStatus'> = {}) {
  return seedListing(deps, index, { ...options, registrationStatus: 'active' });
}

function retriage(ref: ListingRef) {
  return retriageListing(deps, ref, {
    rules: DEFAULT_RULE_TABLE,
    today: TODAY,
    actor: triageActor({ kind: 'system', id: 'test' }),
  });
}

async function call(
  routeKey: string,
  listingId: string,
  tokenClaims: Record<string, string>,
  body?: unknown,
): Promise<{ statusCode: number; json: Json }> {
  const path = routeKey.split(' ')[1]?.replace('{listingId}', listingId) ?? '';
  const result = await handler(
    httpEvent({ routeKey, path, pathParameters: { listingId }, claims: tokenClaims, body }),
    testContext,
  );
  return { statusCode: result.statusCode, json: JSON.parse(result.body) as Json };
}

const override = (listingId: string, tokenClaims: Record<string, string>, body: unknown) =>
  call('PUT /listings/{listingId}/classification', listingId, tokenClaims, body);
const setPlan = (listingId: string, tokenClaims: Record<string, string>, body: unknown) =>
  call('PUT /listings/{listingId}/plan', listingId, tokenClaims, body);
const recordAction = (listingId: string, tokenClaims: Record<string, string>, body: unknown) =>
  call('POST /listings/{listingId}/actions', listingId, tokenClaims, body);

async function countsOf(district: string): Promise<Record<string, number>> {
  return (await readCurrentCounters(deps)).get(district) ?? {};
}

beforeAll(async () => {
  const table = await createTestTable('api-listings', { stream: true });
  deps = { client: table.documentClient, tableName: table.tableName, clock: { now: () => new Date() } };
  handler = createApiHandler({
    store: deps,
    drop: () => {
      throw new Error('the listing routes use no drop folder');
    },
    queue: () => undefined,
  }) as unknown as typeof handler;
  trail = trailReader(table);
});

afterAll(async () => {
  await trail?.stop();
});

describe('PUT /listings/{listingId}/classification', () => {
  it("classifies an untriaged listing first, then keeps the department's override beside the rule's answer", async () => {
    // Prepare
    const { listingId, uscc } = await seed(1, { district: '130104' });
    const reason = '多次约谈拒不配合，列入约束清单';

    // Act
    const result = await override(listingId, claims.department(COURT), { list: 'constrain', reason });

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.json.classification).toMatchObject({
      list: 'assist',
      track: 'repair-guidance',
      ruleId: 'A1',
      override: {
        list: 'constrain',
        track: 'joint-punishment',
        reason,
        by: `dept-${COURT}`,
        department: COURT,
      },
      measures: expect.arrayContaining([
        expect.objectContaining({ code: 'key-supervision', since: TODAY, decidedBy: `department:${COURT}` }),
      ]),
    });
    expect(result.json.tally).toMatchObject({ list: 'constrain', overridden: true, overdue: true });
    expect(await countsOf('130104')).toMatchObject({
      triage_constrain: 1,
      'track_joint-punishment': 1,
      triageOverridden: 1,
      planOverdue: 1,
    });
    const entry = (await trail.history(uscc)).find(
      (change) => change.itemType === 'listing' && change.changes.classification !== undefined,
    );
    expect(entry?.changedBy).toMatchObject({
      principal: `dept-${COURT}`,
      reason,
      cause: { kind: 'request' },
    });
  });

  it('a later re-triage records the rule’s new answer and keeps the override', async () => {
    // Prepare
    const { listingId, uscc, ref } = await seed(2);
    await retriage(ref);
    await override(listingId, claims.department(COURT), {
      list: 'exit',
      track: 'bankruptcy-referral',
      reason: '已无可供执行财产',
    });

    // Act: the registry revokes the licence (rule E4), then triage looks again
    await changeSubject(
      deps,
      uscc,
      undefined,
      SEEDER,
      planRegistryUpdate({ registrationStatus: 'revoked', flags: {} }, () => {}),
    );
    const outcome = await retriage(ref);

    // Assess
    expect(outcome.outcome).toBe('changed');
    const classification = outcome.outcome === 'missing' ? undefined : outcome.listing.classification;
    expect(classification).toMatchObject({
      list: 'exit',
      track: 'urge-deregistration',
      ruleId: 'E4',
      override: { list: 'exit', track: 'bankruptcy-referral', reason: '已无可供执行财产' },
    });
    expect(outcome.outcome === 'missing' ? undefined : outcome.listing.tally).toMatchObject({
      list: 'exit',
      track: 'bankruptcy-referral',
      overridden: true,
    });
  });

  it('refuses anyone but the designating department with 403, in Chinese', async () => {
    // Prepare
    const { listingId } = await seed(3);
    const body = { list: 'exit', reason: '企业已注销' };

    // Act
    const otherRoles = await Promise.all([
      override(listingId, claims.city, body),
      override(listingId, claims.district('130102'), body),
      override(listingId, claims.consumer, body),
    ]);
    const otherDepartments = await Promise.all([
      override(listingId, claims.department(TAX), body),
      override(listingId, claims.department(COURT, '130104'), body),
    ]);

    // Assess
    for (const result of otherRoles) {
      expect(result.statusCode).toBe(403);
      expect(result.json.detail).toMatch(/角色无权执行此操作$/);
    }
    for (const result of otherDepartments) {
      expect(result.statusCode).toBe(403);
      expect(result.json.detail).toBe('只有该名单记录的认定部门可以调整其分类');
    }
    expect((await override(listingId, claims.department(COURT, '130102'), body)).statusCode).toBe(200);
  });

  it('refuses a blank reason and a track of another list (400), an unknown listing (404), an exited one (409)', async () => {
    // Prepare
    const { listingId, uscc, ref } = await seed(4);

    // Act
    const blank = await override(listingId, claims.department(COURT), { list: 'exit', reason: ' ' });
    const track = await override(listingId, claims.department(COURT), {
      list: 'assist',
      track: 'joint-punishment',
      reason: '理由',
    });
    const unknown = await override(
      encodeListingId(usccOf(999), 'court-debtor', 'x'),
      claims.department(COURT),
      {
        list: 'exit',
        reason: '理由',
      },
    );
    const garbage = await override('not-an-id', claims.department(COURT), { list: 'exit', reason: '理由' });
    await changeSubject(deps, uscc, ref, SEEDER, planExitListing('test'));
    const exited = await override(listingId, claims.department(COURT), { list: 'exit', reason: '理由' });

    // Assess
    expect(blank.statusCode).toBe(400);
    expect(blank.json.detail).toContain('理由（reason）不能为空');
    expect(track.statusCode).toBe(400);
    expect(track.json.detail).toContain('路径 joint-punishment 不属于帮扶清单');
    expect(unknown.statusCode).toBe(404);
    expect(garbage.statusCode).toBe(404);
    expect(exited.statusCode).toBe(409);
    expect(exited.json).toMatchObject({ code: 'listing-exited', detail: '该名单记录已退出，不能再调整分类' });
  });
});

describe('PUT /listings/{listingId}/plan', () => {
  const plan = (deadline = addDays(TODAY, 30)) => ({
    unit: '长安区人民法院执行局',
    person: '执行局副局长',
    measures: ['pairing', 'urge-performance'],
    note: '每月回访一次',
    deadline,
  });

  it('answers 409 while the listing is unclassified', async () => {
    // Prepare
    const { listingId } = await seed(10);

    // Act
    const result = await setPlan(listingId, claims.department(COURT), plan());

    // Assess
    expect(result.statusCode).toBe(409);
    expect(result.json).toMatchObject({
      code: 'listing-unclassified',
      detail: '该名单记录尚未分类，请先完成分类再制定计划',
    });
  });

  it('is set by the designating department or the district office; the overdue count follows', async () => {
    // Prepare
    const { listingId, ref } = await seed(11, { district: '130105' });
    await retriage(ref);
    const overdueBefore = (await countsOf('130105')).planOverdue;

    // Act
    const byDepartment = await setPlan(listingId, claims.department(COURT), plan());
    const afterDepartment = (await countsOf('130105')).planOverdue;
    const byDistrict = await setPlan(listingId, claims.district('130105'), {
      ...plan(TODAY),
      person: '区信用办联络员',
    });

    // Assess
    expect(overdueBefore).toBe(1);
    expect(byDepartment.statusCode).toBe(200);
    expect(byDepartment.json.plan).toMatchObject({ ...plan(), setAt: expect.any(String) });
    expect(byDepartment.json.tally).toMatchObject({ list: 'assist', overdue: false });
    expect(afterDepartment).toBe(0);
    expect(byDistrict.statusCode).toBe(200);
    expect(byDistrict.json.plan).toMatchObject({ person: '区信用办联络员', deadline: TODAY });
  });

  it('refuses other callers (403), a person given by ID or phone number, a measure of another list and a past deadline (400)', async () => {
    // Prepare
    const { listingId, ref } = await seed(12);
    await retriage(ref);

    // Act
    const refused = await Promise.all([
      setPlan(listingId, claims.city, plan()),
      setPlan(listingId, claims.district('130104'), plan()),
      setPlan(listingId, claims.department(TAX), plan()),
    ]);
    const phone = await setPlan(listingId, claims.department(COURT), {
      ...plan(),
      person: '联络员 138-1234-5678',
    });
    const id = await setPlan(listingId, claims.department(COURT), {
      ...plan(),
      person: '130102199003071234',
    });
    const foreign = await setPlan(listingId, claims.department(COURT), {
      ...plan(),
      measures: ['pairing', 'joint-punishment'],
    });
    const past = await setPlan(listingId, claims.department(COURT), plan(addDays(TODAY, -1)));

    // Assess
    expect(refused.map((result) => result.statusCode)).toEqual([403, 403, 403]);
    for (const result of refused.slice(1))
      expect(result.json.detail).toBe('只有该名单记录的认定部门或所在区县信用办可以制定整治计划');
    expect(phone.statusCode).toBe(400);
    expect(phone.json.detail).toContain('责任人疑似填写了电话号码');
    expect(id.json.detail).toContain('责任人疑似填写了身份证号码');
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json.detail).toContain('措施 joint-punishment 不适用于帮扶清单');
    expect(past.statusCode).toBe(400);
    expect(past.json.detail).toContain(`完成时限 ${addDays(TODAY, -1)} 早于今天`);
  });

  it('follows the override: the measures are those of the effective list', async () => {
    // Prepare
    const { listingId } = await seed(13);
    await override(listingId, claims.department(COURT), { list: 'constrain', reason: '拒不履行' });

    // Act
    const result = await setPlan(listingId, claims.department(COURT), {
      ...plan(),
      measures: ['joint-punishment', 'key-supervision'],
    });

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.json.plan).toMatchObject({ measures: ['joint-punishment', 'key-supervision'] });
  });
});

describe('POST /listings/{listingId}/actions', () => {
  it('records each kind (201) by the department or the district office, refuses others', async () => {
    // Prepare
    const { listingId } = await seed(20);
    const bodies = [
      { kind: 'pairing', partner: { type: 'township-street-office', name: '长安区建北街道办事处' } },
      { kind: 'credit-warning', date: TODAY, channel: 'letter' },
      {
        kind: 'interview',
        date: TODAY,
        participants: ['信用科科长', '企业联络员'],
        outcome: '企业承诺月底前履行',
      },
      { kind: 'repair-guidance', date: TODAY, content: '指导通过信用中国网站提交修复申请' },
    ];

    // Act
    const recorded = [];
    for (const body of bodies) recorded.push(await recordAction(listingId, claims.department(COURT), body));
    const byDistrict = await recordAction(listingId, claims.district('130102'), bodies[1]);
    const refused = await Promise.all([
      recordAction(listingId, claims.city, bodies[1]),
      recordAction(listingId, claims.district('130104'), bodies[1]),
      recordAction(listingId, claims.department(TAX), bodies[1]),
    ]);

    // Assess
    expect(recorded.map((result) => result.statusCode)).toEqual([201, 201, 201, 201]);
    expect(recorded[2]?.json).toMatchObject({
      listingId,
      kind: 'interview',
      fields: { date: TODAY, participants: ['信用科科长', '企业联络员'], outcome: '企业承诺月底前履行' },
      changedBy: { principal: `dept-${COURT}`, cause: { kind: 'request' } },
    });
    expect(byDistrict.statusCode).toBe(201);
    expect(refused.map((result) => result.statusCode)).toEqual([403, 403, 403]);
    for (const result of refused.slice(1))
      expect(result.json.detail).toBe('只有该名单记录的认定部门或所在区县信用办可以登记帮扶与惩戒行动');
  });

  it('answers a repair application with the earliest eligible date of the list’s minimum period', async () => {
    // Prepare: a tax violation may leave six months after listing
    const listedAt = addDays(TODAY, -30);
    const { listingId } = await seed(21, { listType: 'tax-violation', department: TAX, listedAt });

    // Act
    const result = await recordAction(listingId, claims.department(TAX), {
      kind: 'repair-application',
      pledgeReceivedOn: TODAY,
    });

    // Assess
    expect(result.statusCode).toBe(201);
    expect(result.json).toMatchObject({
      kind: 'repair-application',
      fields: { pledgeReceivedOn: TODAY },
      earliestEligibleDate: addMonths(listedAt, 6),
      eligibilityBasis: expect.stringContaining('最短6个月'),
    });
  });

  it('refuses an unknown kind, a future date and a participant named by phone (400, Chinese)', async () => {
    // Prepare
    const { listingId } = await seed(22);

    // Act
    const kind = await recordAction(listingId, claims.department(COURT), { kind: 'visit' });
    const future = await recordAction(listingId, claims.department(COURT), {
      kind: 'credit-warning',
      date: addDays(TODAY, 1),
      channel: 'sms',
    });
    const phone = await recordAction(listingId, claims.department(COURT), {
      kind: 'interview',
      date: TODAY,
      participants: ['13812345678'],
      outcome: '未到场',
    });

    // Assess
    expect(kind.statusCode).toBe(400);
    expect(kind.json.detail).toContain('行动类型（kind）须为');
    expect(future.statusCode).toBe(400);
    expect(future.json.detail).toContain('晚于今天');
    expect(phone.json.detail).toContain('参加人员疑似填写了电话号码');
  });
});

describe('GET /subjects/{uscc} shows the plan, the actions and their trail', () => {
  it("returns each listing's override, plan and actions, and the action's trail entry in the history", async () => {
    // Prepare
    const { listingId, uscc } = await seed(30);
    await override(listingId, claims.department(COURT), { list: 'constrain', reason: '拒不履行' });
    await setPlan(listingId, claims.district('130102'), {
      unit: '长安区信用办',
      person: '联络员',
      measures: ['key-supervision'],
      deadline: addDays(TODAY, 10),
    });
    const action = await recordAction(listingId, claims.department(COURT), {
      kind: 'credit-warning',
      date: TODAY,
      channel: 'phone',
    });
    await trail.drain();

    // Act
    const asCity = await handler(
      httpEvent({
        routeKey: 'GET /subjects/{uscc}',
        path: `/subjects/${uscc}`,
        pathParameters: { uscc },
        claims: claims.city,
      }),
      testContext,
    );
    const asDepartment = await handler(
      httpEvent({
        routeKey: 'GET /subjects/{uscc}',
        path: `/subjects/${uscc}`,
        pathParameters: { uscc },
        claims: claims.department(COURT),
      }),
      testContext,
    );

    // Assess
    const body = JSON.parse(asCity.body) as { listings: Json[]; history: Json[] };
    expect(body.listings[0]).toMatchObject({
      listingId,
      classification: { ruleId: 'A1', override: { list: 'constrain' }, measures: expect.any(Array) },
      plan: { unit: '长安区信用办', person: '联络员', measures: ['key-supervision'] },
      actions: [{ actionId: action.json.actionId, kind: 'credit-warning', fields: { channel: 'phone' } }],
    });
    const actionEntry = body.history.find((entry) => entry.itemType === 'action');
    expect(actionEntry).toMatchObject({
      event: 'created',
      changedBy: { principal: `dept-${COURT}` },
      changes: { kind: { after: 'credit-warning' }, fields: { after: { date: TODAY, channel: 'phone' } } },
    });
    const departmentHistory = (JSON.parse(asDepartment.body) as { history: Json[] }).history;
    expect(departmentHistory.map((entry) => entry.itemType)).toContain('action');
    expect(departmentHistory.map((entry) => entry.itemType)).not.toContain('subject');
  });
});
