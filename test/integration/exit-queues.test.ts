import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExitSubmission } from '#domain/exits.ts';
import { exitItem } from '#storage/exit-store.ts';
import type { StoreDeps } from '#storage/subject-store.ts';
import { createExitsHandler } from '../../functions/exits/create-handler.ts';
import { createTestTable } from '../support/dynamo.ts';
import { putExits, seedExit } from '../support/exit-seed.ts';
import { claims, httpEvent, testContext } from '../support/http-events.ts';

type Result = { statusCode: number; headers: Record<string, string>; body: string };
type Row = Record<string, unknown> & { exitId: string; waitingDays: number; submittedAt: string };
let handler: (event: unknown, context: unknown) => Promise<Result>;
let store: StoreDeps;

const CHANG_AN = '130102';
const QIAO_XI = '130104';
const MARKET = '石家庄市市场监督管理局';
const TAX = '国家税务总局石家庄市税务局';
/** 10:00 on 2026-05-20 in Asia/Shanghai. */
const NOW = new Date('2026-05-20T02:00:00.000Z');

const seeded: Record<string, ExitSubmission> = {};

async function listExits(query: Record<string, string>, tokenClaims: Record<string, string>) {
  const result = await handler(
    httpEvent({ routeKey: 'GET /exits', path: '/exits', query, claims: tokenClaims }),
    testContext,
  );
  const json = JSON.parse(result.body) as { items?: Row[]; cursor?: string; code?: string };
  return { status: result.statusCode, json, ids: (json.items ?? []).map((row) => row.exitId) };
}

/** Every page of a view, by cursor. */
async function allPages(query: Record<string, string>, tokenClaims: Record<string, string>) {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await listExits({ ...query, ...(cursor === undefined ? {} : { cursor }) }, tokenClaims);
    expect(page.status).toBe(200);
    ids.push(...page.ids);
    cursor = page.json.cursor;
    pages++;
  } while (cursor !== undefined && pages < 50);
  return ids;
}

const ids = (...names: string[]) => names.map((name) => seeded[name]?.exitId);

beforeAll(async () => {
  const table = await createTestTable('exit-queues');
  store = { client: table.documentClient, tableName: table.tableName, clock: { now: () => NOW } };
  handler = createExitsHandler({ store }) as unknown as typeof handler;
  const exits: Record<string, Parameters<typeof seedExit>[0]> = {
    // Shanghai 2026-05-17 23:59: three days before the 20th
    caSubmittedLate: {
      district: CHANG_AN,
      department: MARKET,
      status: 'submitted',
      submittedAt: '2026-05-17T15:59:00.000Z',
    },
    // Shanghai 2026-05-18 00:00: two days
    caSubmittedMidnight: {
      district: CHANG_AN,
      department: TAX,
      status: 'submitted',
      submittedAt: '2026-05-17T16:00:00.000Z',
      reason: 'credit-repaired',
    },
    // Shanghai 2026-04-30 23:30: April, though UTC says the 30th 15:30 as well
    caSubmittedApril: {
      district: CHANG_AN,
      department: MARKET,
      status: 'submitted',
      submittedAt: '2026-04-30T15:30:00.000Z',
    },
    // Shanghai 2026-05-01 00:30: May, though UTC still says April
    caSubmittedMayFirst: {
      district: CHANG_AN,
      department: MARKET,
      status: 'submitted',
      submittedAt: '2026-04-30T16:30:00.000Z',
      earlierRounds: 1,
    },
    qxSubmitted: {
      district: QIAO_XI,
      department: MARKET,
      status: 'submitted',
      submittedAt: '2026-05-10T02:00:00.000Z',
    },
    caReviewed: {
      district: CHANG_AN,
      department: MARKET,
      status: 'reviewed',
      submittedAt: '2026-05-12T02:00:00.000Z',
    },
    qxReviewed: {
      district: QIAO_XI,
      department: TAX,
      status: 'reviewed',
      submittedAt: '2026-05-02T02:00:00.000Z',
    },
    caConfirmed: {
      district: CHANG_AN,
      department: MARKET,
      status: 'confirmed',
      submittedAt: '2026-03-02T02:00:00.000Z',
    },
    caReturned: {
      district: CHANG_AN,
      department: MARKET,
      status: 'returned',
      submittedAt: '2026-05-15T02:00:00.000Z',
    },
    qxWithdrawn: {
      district: QIAO_XI,
      department: MARKET,
      status: 'withdrawn',
      submittedAt: '2026-05-16T02:00:00.000Z',
    },
  };
  for (const [name, input] of Object.entries(exits)) seeded[name] = seedExit(input);
  await putExits(store, Object.values(seeded));
});

describe('GET /exits: each office its own queue by default', () => {
  it('shows a district office the submissions of its district waiting for review, oldest first', async () => {
    // Act
    const result = await listExits({}, claims.district(CHANG_AN));
    // Assess
    expect(result.status).toBe(200);
    expect(result.ids).toEqual(
      ids('caSubmittedApril', 'caSubmittedMayFirst', 'caSubmittedLate', 'caSubmittedMidnight'),
    );
  });

  it('counts the days waited in Asia/Shanghai from the current round, whole days', async () => {
    const result = await listExits({}, claims.district(CHANG_AN));
    const byId = new Map((result.json.items ?? []).map((row) => [row.exitId, row]));
    expect(byId.get(seeded.caSubmittedLate?.exitId ?? '')?.waitingDays).toBe(3);
    expect(byId.get(seeded.caSubmittedMidnight?.exitId ?? '')?.waitingDays).toBe(2);
    expect(byId.get(seeded.caSubmittedApril?.exitId ?? '')?.waitingDays).toBe(20);
    const resubmitted = byId.get(seeded.caSubmittedMayFirst?.exitId ?? '');
    expect(resubmitted).toMatchObject({ round: 2, waitingDays: 19, submittedAt: '2026-04-30T16:30:00.000Z' });
    expect(byId.get(seeded.caSubmittedMidnight?.exitId ?? '')).toMatchObject({
      districtName: '长安区',
      department: TAX,
      status: 'submitted',
      statusLabel: '待区县审核',
      reason: 'credit-repaired',
      reasonLabel: '信用修复',
      listTypeLabel: '市场监管严重违法失信',
      subjectName: '石家庄某某商贸有限公司',
    });
  });

  it('shows the city the reviewed submissions of every district waiting for confirmation', async () => {
    const result = await listExits({}, claims.city);
    expect(result.ids).toEqual(ids('qxReviewed', 'caReviewed'));
  });

  it('shows a department its own submissions in every status, in every district', async () => {
    const result = await listExits({}, claims.department(TAX));
    expect(result.ids).toEqual(ids('qxReviewed', 'caSubmittedMidnight'));
    const market = await listExits({}, claims.department(MARKET));
    expect(market.ids).toEqual(
      ids(
        'caConfirmed',
        'caSubmittedApril',
        'caSubmittedMayFirst',
        'qxSubmitted',
        'caReviewed',
        'caReturned',
        'qxWithdrawn',
        'caSubmittedLate',
      ),
    );
  });

  it("keeps a department token that carries a district to that district's submissions", async () => {
    const result = await listExits({}, claims.department(MARKET, QIAO_XI));
    expect(result.ids).toEqual(ids('qxSubmitted', 'qxWithdrawn'));
  });
});

describe('GET /exits: filters inside the scope', () => {
  it('filters by status, district, department, reason and month of submission', async () => {
    expect((await listExits({ status: 'confirmed' }, claims.city)).ids).toEqual(ids('caConfirmed'));
    expect((await listExits({ status: 'submitted', district: QIAO_XI }, claims.city)).ids).toEqual(
      ids('qxSubmitted'),
    );
    expect((await listExits({ status: 'submitted', department: TAX }, claims.city)).ids).toEqual(
      ids('caSubmittedMidnight'),
    );
    expect((await listExits({ reason: 'credit-repaired' }, claims.district(CHANG_AN))).ids).toEqual(
      ids('caSubmittedMidnight'),
    );
    expect((await listExits({ status: 'returned' }, claims.district(CHANG_AN))).ids).toEqual(
      ids('caReturned'),
    );
  });

  it('takes the month of submission in Asia/Shanghai, at both ends', async () => {
    const april = await listExits({ month: '2026-04' }, claims.district(CHANG_AN));
    expect(april.ids).toEqual(ids('caSubmittedApril'));
    const may = await listExits({ month: '2026-05' }, claims.district(CHANG_AN));
    expect(may.ids).toEqual(ids('caSubmittedMayFirst', 'caSubmittedLate', 'caSubmittedMidnight'));
    expect((await listExits({ month: '2026-06' }, claims.district(CHANG_AN))).ids).toEqual([]);
  });

  it('refuses a filter outside the caller scope with 403', async () => {
    expect((await listExits({ district: QIAO_XI }, claims.district(CHANG_AN))).status).toBe(403);
    expect((await listExits({ department: TAX }, claims.department(MARKET))).status).toBe(403);
    expect((await listExits({ district: CHANG_AN }, claims.department(MARKET, QIAO_XI))).status).toBe(403);
    expect((await listExits({}, claims.consumer)).status).toBe(403);
  });

  it('refuses a filter that is none with a Chinese message', async () => {
    const result = await listExits({ month: '2026-13' }, claims.city);
    expect(result.status).toBe(400);
    expect(JSON.stringify(result.json)).toContain('月份（month）应为 yyyy-mm');
  });
});

describe('GET /exits: pages', () => {
  it('pages through several statuses with signed cursors, each row once and in order', async () => {
    // Act
    const paged = await allPages({ limit: '2' }, claims.department(MARKET));
    // Assess
    const whole = await listExits({ limit: '200' }, claims.department(MARKET));
    expect(paged).toEqual(whole.ids);
    expect(paged).toHaveLength(8);
  });

  it('pages a month filter across partitions', async () => {
    const paged = await allPages({ limit: '1', month: '2026-05' }, claims.department(MARKET));
    expect(paged).toEqual(
      ids('caSubmittedMayFirst', 'qxSubmitted', 'caReviewed', 'caReturned', 'qxWithdrawn', 'caSubmittedLate'),
    );
  });

  it('refuses a cursor altered, or issued to another scope or query', async () => {
    const first = await listExits({ limit: '1' }, claims.district(CHANG_AN));
    const cursor = first.json.cursor as string;
    expect(cursor).toBeDefined();
    expect((await listExits({ limit: '1', cursor }, claims.district(QIAO_XI))).status).toBe(400);
    expect(
      (await listExits({ limit: '1', cursor, status: 'returned' }, claims.district(CHANG_AN))).status,
    ).toBe(400);
    const altered = `${cursor.slice(0, 3)}${cursor[3] === 'A' ? 'B' : 'A'}${cursor.slice(4)}`;
    const refused = await listExits({ limit: '1', cursor: altered }, claims.district(CHANG_AN));
    expect(refused.status).toBe(400);
    expect(refused.json.code).toBe('invalid-cursor');
  });
});

describe('GET /exits: a submission moves between queues with its status', () => {
  it("leaves the district's queue and joins the city's when reviewed", async () => {
    // Prepare
    const exit = seedExit({
      district: QIAO_XI,
      department: TAX,
      status: 'submitted',
      submittedAt: '2026-05-19T02:00:00.000Z',
    });
    await putExits(store, [exit]);
    expect((await listExits({}, claims.district(QIAO_XI))).ids).toContain(exit.exitId);
    // Act: the workflow rewrites the item with the keys of its new status
    const reviewed = seedExit({
      district: QIAO_XI,
      department: TAX,
      status: 'reviewed',
      submittedAt: '2026-05-19T02:00:00.000Z',
    });
    const actor = {
      principal: 'district-130104',
      role: 'district',
      cause: { kind: 'request' as const, id: 'r' },
    };
    await store.client.send(
      new PutCommand({
        TableName: store.tableName,
        Item: exitItem({ ...reviewed, exitId: exit.exitId }, 2, actor),
      }),
    );
    // Assess
    expect((await listExits({}, claims.district(QIAO_XI))).ids).not.toContain(exit.exitId);
    expect((await listExits({}, claims.city)).ids).toContain(exit.exitId);
  });
});
