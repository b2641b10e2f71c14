import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '#domain/calendar-dates.ts';
import { planRecordListing, type RecordOutcome } from '#domain/changes.ts';
import { COUNTER, FLOW } from '#domain/counting.ts';
import { readCurrentCounters, readMonthlyFlows } from '#storage/counter-store.ts';
import { changeSubject, getListing, type StoreDeps } from '#storage/subject-store.ts';
import { expectCountersEqualRecount } from '../support/counters.ts';
import { createTestTable } from '../support/dynamo.ts';
import {
  COURT,
  type ExitsClient,
  exitRequest,
  exitsClient,
  type SeededListing,
  seedListing,
  TAX,
  TODAY,
} from '../support/exits.ts';
import { holdFirstSubjectRead } from '../support/held-read.ts';
import { claims } from '../support/http-events.ts';
import { type TrailReader, trailReader } from '../support/trail.ts';

const THIS_MONTH = TODAY.slice(0, 7);

let deps: StoreDeps;
let api: ExitsClient;
let trail: TrailReader;
let nextIndex = 1;

const seed = (options: Parameters<typeof seedListing>[2] = {}) => seedListing(deps, nextIndex++, options);

function submit(listing: SeededListing, tokenClaims = claims.department(COURT), overrides = {}) {
  return api.call('POST /exits', tokenClaims, {
    body: { listingId: listing.listingId, ...exitRequest(overrides) },
  });
}
const decide = (
  step: 'review' | 'confirm',
  exitId: string,
  tokenClaims: Record<string, string>,
  body: unknown,
) => api.call(`POST /exits/{exitId}/${step}`, tokenClaims, { exitId, body });
const approve = { decision: 'approve', comment: '材料齐全' };
const reject = { decision: 'reject', comment: '缺少注销登记通知书' };

/** A listing submitted by its court and approved by the district office of 130102 (or `district`). */
async function reviewedExit(district = '130102', effectiveDate = TODAY): Promise<string> {
  const listing = await seed({ district });
  const submitted = await submit(listing, claims.department(COURT), { effectiveDate });
  expect(submitted.statusCode).toBe(201);
  const reviewed = await decide('review', submitted.json.exitId, claims.district(district), approve);
  expect(reviewed.statusCode).toBe(200);
  return submitted.json.exitId;
}

async function activeListingsOf(district: string): Promise<number> {
  return (await readCurrentCounters(deps)).get(district)?.[COUNTER.activeListings] ?? 0;
}

beforeAll(async () => {
  const table = await createTestTable('exits', { stream: true });
  deps = { client: table.documentClient, tableName: table.tableName, clock: { now: () => new Date() } };
  api = exitsClient({ store: deps });
  trail = trailReader(table);
});

afterAll(async () => {
  await trail?.stop();
});

describe('the four-eyes path', () => {
  it('submits, reviews and confirms: the listing ends once, with its date and reason, and the counts move', async () => {
    // Prepare
    const listing = await seed({ district: '130104' });
    const before = await activeListingsOf('130104');

    // Act
    const submitted = await submit(listing);
    const pending = await getListing(deps, listing.ref, true);
    const countedWhilePending = await activeListingsOf('130104');
    const reviewed = await decide('review', submitted.json.exitId, claims.district('130104'), approve);
    const confirmed = await decide('confirm', submitted.json.exitId, claims.city, {
      decision: 'approve',
      comment: '',
    });
    const again = await decide('confirm', submitted.json.exitId, claims.city, approve);

    // Assess
    expect(submitted.statusCode).toBe(201);
    expect(submitted.json).toMatchObject({
      status: 'submitted',
      district: '130104',
      department: COURT,
      version: 1,
    });
    expect(pending).toMatchObject({
      status: 'exit-pending',
      exitId: submitted.json.exitId,
      exitStatus: 'submitted',
    });
    expect(countedWhilePending).toBe(before);
    expect(reviewed.json).toMatchObject({
      status: 'reviewed',
      rounds: [{ review: { decision: 'approve' } }],
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json.status).toBe('confirmed');
    expect(await getListing(deps, listing.ref, true)).toMatchObject({
      status: 'exited',
      exitedAt: TODAY,
      exitReason: 'deregistered',
      exitId: submitted.json.exitId,
      exitStatus: 'confirmed',
    });
    expect(await activeListingsOf('130104')).toBe(before - 1);
    expect(again.statusCode).toBe(409);
    expect(again.json).toMatchObject({ code: 'exit-not-reviewed', errors: { status: 'confirmed' } });
    await expectCountersEqualRecount(deps);
  });

  it('shows a submission to its department, its district office and the city, and to nobody else', async () => {
    // Prepare
    const submitted = await submit(await seed({ district: '130105' }));
    const view = (tokenClaims: Record<string, string>) =>
      api.call('GET /exits/{exitId}', tokenClaims, { exitId: submitted.json.exitId });

    // Act
    const seen = await Promise.all([
      view(claims.department(COURT)),
      view(claims.district('130105')),
      view(claims.city),
    ]);
    const unseen = await Promise.all([
      view(claims.department(TAX)),
      view(claims.department(COURT, '130102')),
      view(claims.district('130102')),
    ]);
    const consumer = await view(claims.consumer);

    // Assess
    for (const result of seen)
      expect(result.json).toMatchObject({ exitId: submitted.json.exitId, rounds: [{ round: 1 }] });
    for (const result of unseen) expect(result.statusCode).toBe(404);
    expect(consumer.statusCode).toBe(403);
  });
});

describe('refusals', () => {
  it('refuses a submission by another department or a department of another district (403)', async () => {
    // Prepare
    const listing = await seed();

    // Act
    const otherDepartment = await submit(listing, claims.department(TAX));
    const otherDistrict = await submit(listing, claims.department(COURT, '130104'));

    // Assess
    expect(otherDepartment.statusCode).toBe(403);
    expect(otherDistrict.statusCode).toBe(403);
    expect((await getListing(deps, listing.ref, true))?.status).toBe('active');
  });

  it('refuses a second open submission, a submission of an ended listing, and a review by another district', async () => {
    // Prepare
    const listing = await seed();
    const first = await submit(listing);

    // Act
    const duplicate = await submit(listing);
    const wrongDistrict = await decide('review', first.json.exitId, claims.district('130104'), approve);
    const confirmBeforeReview = await decide('confirm', first.json.exitId, claims.city, approve);
    const districtConfirms = await decide('confirm', first.json.exitId, claims.district('130102'), approve);
    await decide('review', first.json.exitId, claims.district('130102'), approve);
    const reviewTwice = await decide('review', first.json.exitId, claims.district('130102'), approve);
    await decide('confirm', first.json.exitId, claims.city, approve);
    const afterExit = await submit(listing);

    // Assess
    expect(duplicate).toMatchObject({ statusCode: 409, json: { code: 'exit-open' } });
    expect(wrongDistrict.statusCode).toBe(403);
    expect(confirmBeforeReview).toMatchObject({ statusCode: 409, json: { code: 'exit-not-reviewed' } });
    expect(districtConfirms.statusCode).toBe(403);
    expect(reviewTwice).toMatchObject({ statusCode: 409, json: { code: 'exit-not-submitted' } });
    expect(afterExit).toMatchObject({ statusCode: 409, json: { code: 'listing-exited' } });
  });

  it('refuses missing evidence, dates in the future or before the listing, and a rejection without comment (400)', async () => {
    // Prepare
    const listing = await seed({ listedAt: addDays(TODAY, -10) });

    // Act
    const noEvidence = await submit(listing, claims.department(COURT), { evidence: [] });
    const future = await submit(listing, claims.department(COURT), { effectiveDate: addDays(TODAY, 1) });
    const beforeListed = await submit(listing, claims.department(COURT), {
      effectiveDate: addDays(TODAY, -11),
    });
    const submitted = await submit(listing);
    const bareReject = await decide('review', submitted.json.exitId, claims.district('130102'), {
      decision: 'reject',
    });

    // Assess
    expect(noEvidence.statusCode).toBe(400);
    expect(noEvidence.json.detail).toContain('须提供登记机关注销、迁出或清算记录');
    expect(future.json.detail).toContain('退出日期不能晚于今天');
    expect(beforeListed.json.detail).toContain('退出日期不能早于列入日期');
    expect(submitted.statusCode).toBe(201);
    expect(bareReject.statusCode).toBe(400);
    expect(bareReject.json.detail).toContain('退回时须填写意见');
  });

  it('refuses self-review and self-confirmation by a principal holding two roles (403)', async () => {
    // Prepare: 张某 works for the court and, on another token, in the district office; 李某 reviews
    const listing = await seed();
    const zhang = { sub: 'zhang', department: COURT };
    const li = { sub: 'li', role: 'district', district: '130102' };
    const submitted = await submit(listing, { ...zhang, role: 'department' });
    const exitId = submitted.json.exitId;

    // Act
    const selfReview = await decide(
      'review',
      exitId,
      { ...zhang, role: 'district', district: '130102' },
      approve,
    );
    const review = await decide('review', exitId, li, approve);
    const submitterConfirms = await decide('confirm', exitId, { sub: 'zhang', role: 'city' }, approve);
    const reviewerConfirms = await decide('confirm', exitId, { sub: 'li', role: 'city' }, approve);
    const confirm = await decide('confirm', exitId, claims.city, approve);

    // Assess
    expect(selfReview.statusCode).toBe(403);
    expect(selfReview.json.detail).toBe('不能审核本人提交的退出申报');
    expect(review.statusCode).toBe(200);
    expect(submitterConfirms.statusCode).toBe(403);
    expect(reviewerConfirms).toMatchObject({
      statusCode: 403,
      json: { detail: '不能确认本人审核过的退出申报' },
    });
    expect(confirm.statusCode).toBe(200);
  });
});

describe('rejection, resubmission and withdrawal', () => {
  it('returns a rejected submission to the department, keeps every round, and confirms the corrected one', async () => {
    // Prepare
    const listing = await seed();
    const submitted = await submit(listing);
    const exitId = submitted.json.exitId;

    // Act
    const rejected = await decide('review', exitId, claims.district('130102'), reject);
    const pendingAfterReject = await getListing(deps, listing.ref, true);
    const corrected = exitRequest({
      evidence: [{ kind: 'registry-record', ref: '石市监注销字〔2026〕第13号' }],
      note: '补充注销登记通知书',
    });
    const resubmitted = await api.call('POST /exits/{exitId}/resubmit', claims.department(COURT), {
      exitId,
      body: corrected,
    });
    await decide('review', exitId, claims.district('130102'), approve);
    const cityRejects = await decide('confirm', exitId, claims.city, {
      decision: 'reject',
      comment: '撤销公示日期有误',
    });
    await api.call('POST /exits/{exitId}/resubmit', claims.department(COURT), { exitId, body: corrected });
    await decide('review', exitId, claims.district('130102'), approve);
    const confirmed = await decide('confirm', exitId, claims.city, approve);

    // Assess
    expect(rejected.json).toMatchObject({ status: 'returned', rounds: [{ review: reject }] });
    expect(pendingAfterReject).toMatchObject({ status: 'exit-pending', exitStatus: 'returned' });
    expect(resubmitted.json).toMatchObject({ status: 'submitted', rounds: [{ round: 1 }, { round: 2 }] });
    expect(cityRejects.json.status).toBe('returned');
    expect(confirmed.json.rounds).toMatchObject([
      { round: 1, review: { decision: 'reject' } },
      {
        round: 2,
        review: { decision: 'approve' },
        confirmation: { decision: 'reject', comment: '撤销公示日期有误' },
      },
      {
        round: 3,
        note: '补充注销登记通知书',
        confirmation: { decision: 'approve', principal: 'city-officer' },
      },
    ]);
    expect(confirmed.json.status).toBe('confirmed');
  });

  it('withdraws before the review: the listing is active again and takes a new submission', async () => {
    // Prepare
    const listing = await seed();
    const first = await submit(listing);

    // Act
    const otherDepartment = await api.call('POST /exits/{exitId}/withdraw', claims.department(TAX), {
      exitId: first.json.exitId,
    });
    const withdrawn = await api.call('POST /exits/{exitId}/withdraw', claims.department(COURT), {
      exitId: first.json.exitId,
      body: { comment: '申报有误' },
    });
    const active = await getListing(deps, listing.ref, true);
    const second = await submit(listing);
    await decide('review', second.json.exitId, claims.district('130102'), approve);
    const afterReview = await api.call('POST /exits/{exitId}/withdraw', claims.department(COURT), {
      exitId: second.json.exitId,
    });
    const resubmitWithdrawn = await api.call('POST /exits/{exitId}/resubmit', claims.department(COURT), {
      exitId: first.json.exitId,
      body: exitRequest(),
    });

    // Assess
    expect(otherDepartment.statusCode).toBe(403);
    expect(withdrawn.json).toMatchObject({
      status: 'withdrawn',
      rounds: [{ withdrawn: { principal: `dept-${COURT}` } }],
    });
    expect(active?.status).toBe('active');
    expect(active?.exitId).toBeUndefined();
    expect(second.statusCode).toBe(201);
    expect(afterReview).toMatchObject({ statusCode: 409, json: { code: 'exit-closed' } });
    expect(resubmitWithdrawn).toMatchObject({ statusCode: 409, json: { code: 'exit-not-returned' } });
    await expectCountersEqualRecount(deps);
  });

  it('takes one of ten concurrent submissions of one listing and refuses the rest', async () => {
    // Prepare
    const listing = await seed();

    // Act
    const results = await Promise.all(Array.from({ length: 10 }, () => submit(listing)));

    // Assess
    expect(results.filter((result) => result.statusCode === 201)).toHaveLength(1);
    expect(results.filter((result) => result.json.code === 'exit-open')).toHaveLength(9);
  });
});

describe('the trail', () => {
  it("shows submit, review and confirm in the subject's history, with who and why", async () => {
    // Prepare
    const listing = await seed();
    const submitted = await submit(listing, claims.department(COURT), { note: '已办理注销登记' });
    await decide('review', submitted.json.exitId, claims.district('130102'), approve);
    await decide('confirm', submitted.json.exitId, claims.city, { decision: 'approve', comment: '同意退出' });

    // Act
    const history = await trail.history(listing.uscc);

    // Assess
    const steps = history
      .filter((entry) => entry.itemType === 'listing' && entry.changes.exitStatus !== undefined)
      .map((entry) => ({ after: entry.changes.exitStatus?.after, by: entry.changedBy }))
      .reverse();
    expect(steps).toMatchObject([
      {
        after: 'submitted',
        by: { principal: `dept-${COURT}`, role: 'department', reason: '申报退出（已注销）：已办理注销登记' },
      },
      {
        after: 'reviewed',
        by: { principal: 'district-130102', role: 'district', reason: '区县信用办审核通过：材料齐全' },
      },
      {
        after: 'confirmed',
        by: { principal: 'city-officer', role: 'city', reason: '市信用办确认退出：同意退出' },
      },
    ]);
  });
});

describe('an exited listing that a later push still carries', () => {
  it('is reported as exited-reappeared and stays exited, the counts unmoved', async () => {
    // Prepare
    const listing = await seed();
    const exitId = (await submit(listing)).json.exitId;
    await decide('review', exitId, claims.district('130102'), approve);
    await decide('confirm', exitId, claims.city, approve);
    const counted = await activeListingsOf('130102');
    const outcomes: RecordOutcome[] = [];

    // Act: the court's next push carries the listing again
    await changeSubject(
      deps,
      listing.uscc,
      listing.ref,
      { principal: 'import-worker', role: 'system', cause: { kind: 'import', id: 'push-2' } },
      planRecordListing(
        { uscc: listing.uscc, name: '石家庄某某公司', district: '130102', districtSource: 'column' },
        { listType: listing.ref.listType, key: listing.ref.key, department: COURT, source: 'test' },
        (outcome) => outcomes.push(outcome),
      ),
    );

    // Assess
    expect(outcomes).toEqual(['exited-reappeared']);
    expect((await getListing(deps, listing.ref, true))?.status).toBe('exited');
    expect(await activeListingsOf('130102')).toBe(counted);
  });
});

describe('exactly once under concurrency', () => {
  it('gives one of 50 racing confirmations of one exit a 200 and the other 49 a 409', async () => {
    // Prepare
    const exitId = await reviewedExit('130108');
    const before = await activeListingsOf('130108');
    const flowsBefore = (await readMonthlyFlows(deps, THIS_MONTH)).get('130108')?.[FLOW.exited] ?? 0;

    // Act
    const results = await Promise.all(
      Array.from({ length: 50 }, () => decide('confirm', exitId, claims.city, approve)),
    );

    // Assess
    expect(results.filter((result) => result.statusCode === 200)).toHaveLength(1);
    expect(results.filter((result) => result.statusCode === 409)).toHaveLength(49);
    expect(await activeListingsOf('130108')).toBe(before - 1);
    expect((await readMonthlyFlows(deps, THIS_MONTH)).get('130108')?.[FLOW.exited]).toBe(flowsBefore + 1);
    await expectCountersEqualRecount(deps);
  });

  it('answers 409 to a confirmation whose reads straddle the winning one (subject after it, listing before)', async () => {
    // Prepare: the loser's read of the subject waits until the winner has committed; its listing read does not
    const exitId = await reviewedExit('130109');
    const { client, release } = holdFirstSubjectRead(deps.client);
    const loser = exitsClient({ store: { ...deps, client } });

    // Act
    const lost = loser.call('POST /exits/{exitId}/confirm', claims.city, { exitId, body: approve });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const won = await decide('confirm', exitId, claims.city, approve);
    release();

    // Assess
    expect(won.statusCode).toBe(200);
    expect(await lost).toMatchObject({ statusCode: 409, json: { code: 'exit-not-reviewed' } });
    await expectCountersEqualRecount(deps);
  });

  it('confirms 200 exits of four districts at once, each exactly once', { timeout: 240_000 }, async () => {
    // Prepare
    const districts = ['130181', '130183', '130184', '130185'];
    const exitIds: string[] = [];
    for (let batch = 0; batch < 10; batch++)
      exitIds.push(
        ...(await Promise.all(Array.from({ length: 20 }, (_, i) => reviewedExit(districts[i % 4])))),
      );
    const before = await readCurrentCounters(deps);

    // Act
    const results = await Promise.all(
      exitIds.map((exitId) => decide('confirm', exitId, claims.city, approve)),
    );

    // Assess
    expect(results.map((result) => result.statusCode)).toEqual(exitIds.map(() => 200));
    const after = await readCurrentCounters(deps);
    const flows = await readMonthlyFlows(deps, THIS_MONTH);
    for (const district of districts) {
      expect(after.get(district)?.[COUNTER.activeListings]).toBe(
        (before.get(district)?.[COUNTER.activeListings] ?? 0) - 50,
      );
      expect(flows.get(district)?.[FLOW.exited]).toBe(50);
    }
    await expectCountersEqualRecount(deps);
  });

  it("counts an exit in the flows of its effective date's month, not of the month it was confirmed", async () => {
    // Prepare: an exit that took effect 40 days ago, in an earlier month
    const effectiveDate = addDays(TODAY, -40);
    const month = effectiveDate.slice(0, 7);
    const exitId = await reviewedExit('130186', effectiveDate);

    // Act
    const confirmed = await decide('confirm', exitId, claims.city, approve);

    // Assess
    expect(confirmed.statusCode).toBe(200);
    expect((await readMonthlyFlows(deps, month)).get('130186')).toMatchObject({
      [FLOW.exited]: 1,
      [FLOW.exitedByReason('deregistered')]: 1,
    });
    expect((await readMonthlyFlows(deps, THIS_MONTH)).get('130186')?.[FLOW.exited] ?? 0).toBe(0);
  });
});
