/**
 * `GET /counts`: the triage counts per district read from the counters equal a recount from the
 * listings, before and after listings change; each scope sees what it may.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoreDeps } from '#storage/subject-store.ts';
import { createApiHandler } from '../../functions/api/create-handler.ts';
import { createTestTable } from '../support/dynamo.ts';
import { makeUscc } from '../support/files.ts';
import { claims, httpEvent, testContext } from '../support/http-events.ts';
import { type RecountedFigures, recountTriage } from '../support/triage-counts.ts';
import {
  changeRegistration,
  overrideListing,
  refOf,
  type SeededListing,
  seedListing,
  setPlan,
} from '../support/triage-seed.ts';

type Result = { statusCode: number; body: string };
type Figures = Omit<RecountedFigures, 'tracks'> & { tracks: Record<string, number> };
type DistrictFigures = Figures & { district: string; districtName: string };
type Counts = { districts: DistrictFigures[]; city?: Figures; code?: string };

let handler: (event: unknown, context: unknown) => Promise<Result>;
let deps: StoreDeps;

const NOW = new Date('2026-05-10T02:00:00Z');
const TODAY = '2026-05-10';
const COURT = '长安区人民法院';

function listing(serial: number, spec: Omit<SeededListing, 'uscc' | 'key' | 'name'>): SeededListing {
  return {
    uscc: makeUscc(serial),
    key: `(2025)冀执${serial}号`,
    name: `石家庄某某${serial}有限公司`,
    ...spec,
  };
}

const SEEDED: SeededListing[] = [
  listing(1, { district: '130102', listType: 'court-debtor', department: COURT, listedAt: '2025-06-01' }),
  listing(2, {
    district: '130102',
    listType: 'court-debtor',
    department: COURT,
    listedAt: '2025-09-15',
    registrationStatus: 'deregistered',
  }),
  listing(3, {
    district: '130102',
    listType: 'tax-violation',
    department: '国家税务总局石家庄市税务局',
    listedAt: '2025-03-01',
    flags: { lostContact: true },
    planDeadline: '2026-05-01',
  }),
  listing(4, {
    district: '130102',
    listType: 'market-violation',
    department: '石家庄市市场监督管理局',
    listedAt: '2026-01-10',
    override: { list: 'constrain', track: 'joint-punishment', reason: '拒不配合帮扶，转入约束' },
    planDeadline: '2026-06-30',
  }),
  listing(5, {
    district: '130102',
    listType: 'court-debtor',
    department: COURT,
    listedAt: '2024-12-01',
    unclassified: true,
  }),
  listing(6, {
    district: '130104',
    listType: 'court-debtor',
    department: '桥西区人民法院',
    listedAt: '2025-11-11',
    registrationStatus: 'revoked',
  }),
  listing(7, {
    district: '130104',
    listType: 'tax-violation',
    department: '国家税务总局石家庄市税务局',
    listedAt: '2025-07-07',
  }),
  listing(8, {
    district: 'UNASSIGNED',
    listType: 'procurement-violation',
    department: '石家庄市财政局',
    listedAt: '2025-05-05',
    endsAt: '2027-01-01',
    planDeadline: '2026-08-01',
  }),
  listing(9, {
    district: '130102',
    listType: 'court-debtor',
    department: COURT,
    listedAt: '2025-02-02',
    exited: true,
  }),
];

async function counts(tokenClaims: Record<string, string>) {
  const result = await handler(
    httpEvent({ routeKey: 'GET /counts', path: '/counts', claims: tokenClaims }),
    testContext,
  );
  return { statusCode: result.statusCode, json: JSON.parse(result.body) as Counts };
}

/** The answer's figures without the tracks no listing is on, to compare with a recount. */
function comparable(figures: Figures): Figures {
  return {
    ...figures,
    tracks: Object.fromEntries(Object.entries(figures.tracks).filter(([, count]) => count !== 0)),
  };
}

/** GET /counts for the city equals the recount, district by district, and its city total their sum. */
async function expectCountsEqualRecount() {
  const truth = await recountTriage(deps, TODAY);
  const answer = await counts(claims.city);
  expect(answer.statusCode).toBe(200);
  for (const entry of answer.json.districts) {
    const { district, districtName: _name, ...figures } = entry;
    const recounted = truth.get(district);
    expect(comparable(figures), district).toEqual(
      recounted ?? { ...comparable(figures), activeListings: 0, unclassified: 0, overridden: 0, overdue: 0 },
    );
    if (recounted === undefined) expect(figures.lists).toEqual({ exit: 0, assist: 0, constrain: 0 });
  }
  expect(answer.json.districts.map((entry) => entry.district)).toEqual(
    expect.arrayContaining([...truth.keys()]),
  );
  const total = [...truth.values()].reduce((sum, figures) => sum + figures.activeListings, 0);
  expect(answer.json.city?.activeListings).toBe(total);
  return answer.json;
}

beforeAll(async () => {
  const table = await createTestTable('api-counts');
  deps = { client: table.documentClient, tableName: table.tableName, clock: { now: () => NOW } };
  handler = createApiHandler({
    store: deps,
    drop: () => {
      throw new Error('the counts use no drop folder');
    },
    queue: () => undefined,
  }) as unknown as typeof handler;
  for (const spec of SEEDED) await seedListing(deps, spec, TODAY);
});

describe('GET /counts', () => {
  it('answers per district what a recount from the listings finds, and the city total', async () => {
    const answer = await expectCountsEqualRecount();
    const changan = answer.districts.find((entry) => entry.district === '130102');
    expect(changan).toEqual({
      district: '130102',
      districtName: '长安区',
      activeListings: 5,
      lists: { exit: 1, assist: 1, constrain: 2 },
      unclassified: 1,
      tracks: {
        direct: 1,
        expired: 0,
        fulfilled: 0,
        'urge-deregistration': 0,
        'bankruptcy-referral': 0,
        'repair-guidance': 1,
        'joint-punishment': 2,
      },
      overridden: 1,
      // 1 and 2 have no plan, 3's deadline passed, 5 is unclassified
      overdue: 4,
    });
    expect(answer.districts.find((entry) => entry.district === 'UNASSIGNED')).toMatchObject({
      districtName: '待指定区县',
      activeListings: 1,
      overdue: 0,
    });
    expect(answer.districts).toHaveLength(25);
    expect(answer.city).toMatchObject({
      activeListings: 8,
      lists: { exit: 2, assist: 3, constrain: 2 },
      unclassified: 1,
      overridden: 1,
      overdue: 6,
    });
  });

  it('still equals the recount after plans, an override and a triage change', async () => {
    const [first, , , fourth, , sixth] = SEEDED as [SeededListing, ...SeededListing[]];
    await setPlan(deps, refOf(first), '2026-07-01', TODAY);
    await setPlan(deps, refOf(sixth as SeededListing), '2026-04-30', TODAY);
    await overrideListing(
      deps,
      refOf(fourth as SeededListing),
      { list: 'assist', track: 'repair-guidance', reason: '已配合整改' },
      '石家庄市市场监督管理局',
      TODAY,
    );
    // the first one's subject is deregistered: the rule now puts it on the exit list
    await changeRegistration(deps, refOf(first), 'deregistered', TODAY);
    const answer = await expectCountsEqualRecount();
    expect(answer.districts.find((entry) => entry.district === '130102')).toMatchObject({
      lists: { exit: 2, assist: 1, constrain: 1 },
      tracks: expect.objectContaining({ direct: 2, 'repair-guidance': 1, 'joint-punishment': 1 }),
      overridden: 1,
      overdue: 3,
    });
  });

  it('shows a district office its own district only', async () => {
    const answer = await counts(claims.district('130104'));
    expect(answer.statusCode).toBe(200);
    expect(answer.json.city).toBeUndefined();
    expect(answer.json.districts).toEqual([
      expect.objectContaining({
        district: '130104',
        districtName: '桥西区',
        activeListings: 2,
        lists: { exit: 1, assist: 1, constrain: 0 },
      }),
    ]);
  });

  it('answers 403 to a department and to a consumer', async () => {
    expect((await counts(claims.department(COURT))).statusCode).toBe(403);
    expect((await counts(claims.consumer)).statusCode).toBe(403);
  });
});
