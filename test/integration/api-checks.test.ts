import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRecordListing } from '#domain/changes.ts';
import { shanghaiDate } from '#domain/model.ts';
import { DEFAULT_RULE_TABLE } from '#domain/rule-table.ts';
import { CONSTRAINT_MEASURES } from '#domain/triage-state.ts';
import { uscc18CheckChar } from '#domain/uscc.ts';
import { changeSubject, type StoreDeps } from '#storage/subject-store.ts';
import { retriageListing, triageActor } from '#storage/triage-store.ts';
import { apiRoutes, createApiHandler } from '../../functions/api/create-handler.ts';
import { seedCheckSubjects, usccOf } from '../support/checks.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import { claims, httpEvent, testContext } from '../support/http-events.ts';
import { allTrailEntries, type TrailReader, trailReader } from '../support/trail.ts';

type Result = { statusCode: number; headers: Record<string, string>; body: string };
type Json = Record<string, unknown>;
let handler: (event: unknown, context: unknown) => Promise<Result>;
let deps: StoreDeps;
let table: TestTable;
let trail: TrailReader;

const NOW = new Date('2026-06-01T02:00:00.000Z');
/** Listed by the tax office, triaged by the rules onto the constraint list (no registration status known). */
const CONSTRAINED = '914403001922038216';
/** The same organisation code (positions 9–17) under another registering category. */
const SAME_ORG_CODE = `93440300192203821${uscc18CheckChar('93440300192203821')}`;
/** Its own organisation code, known to the table through one subject only. */
const LONE = '91330100799655058B';
const LONE_ORG_CODE = '79965505-8';
const UNKNOWN = '91130000677356885K';
/** Its one listing awaits exit confirmation: still listed until the exit is confirmed. */
const EXIT_PENDING = usccOf(9_999);
const TAX_OFFICE = '国家税务总局石家庄市税务局';

async function call(input: Parameters<typeof httpEvent>[0]) {
  const result = await handler(httpEvent(input), testContext);
  return { ...result, json: JSON.parse(result.body) as Json };
}

function getCheck(code: string, tokenClaims: Record<string, string> = claims.consumer) {
  return call({
    routeKey: 'GET /checks/{uscc}',
    path: `/checks/${encodeURIComponent(code)}`,
    pathParameters: { uscc: code },
    claims: tokenClaims,
  });
}

function postChecks(codes: unknown, tokenClaims: Record<string, string> = claims.consumer) {
  return call({ routeKey: 'POST /checks', path: '/checks', body: { codes }, claims: tokenClaims });
}

/** Lists a subject through the store, as an import does, and triages the listing by the rules. */
async function listAndTriage(uscc: string, key: string) {
  const ref = { uscc, listType: 'tax-violation' as const, key };
  await changeSubject(
    deps,
    uscc,
    ref,
    { principal: 'seed', role: 'city', cause: { kind: 'system', id: 'seed' } },
    planRecordListing(
      { uscc, name: '石家庄某某商贸有限公司', district: '130102', districtSource: 'column' },
      { listType: 'tax-violation', key, department: TAX_OFFICE, listedAt: '2026-01-05', source: 'tax' },
      () => {},
    ),
  );
  await retriageListing(deps, ref, {
    rules: DEFAULT_RULE_TABLE,
    today: shanghaiDate(NOW),
    actor: triageActor({ kind: 'system', id: 'seed' }),
  });
}

beforeAll(async () => {
  table = await createTestTable('api-checks', { stream: true });
  deps = { client: table.documentClient, tableName: table.tableName, clock: { now: () => NOW } };
  handler = createApiHandler({
    store: deps,
    drop: () => {
      throw new Error('the check routes use no drop folder');
    },
    queue: () => undefined,
  }) as unknown as typeof handler;
  await listAndTriage(CONSTRAINED, '冀税稽罚〔2026〕1号');
  await listAndTriage(SAME_ORG_CODE, '冀税稽罚〔2026〕2号');
  await seedCheckSubjects(deps, { listed: [], unlisted: [LONE], exitPending: [EXIT_PENDING] });
  trail = trailReader(table);
  // the seeding's own entries, so that the tests below see only the checks'
  await trail.drain();
});

afterAll(async () => {
  await trail.stop();
});

describe('GET /checks/{uscc}', () => {
  it('answers a listed company with its listing, list and the constraint measures since when', async () => {
    // Act
    const result = await getCheck(CONSTRAINED);

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.json).toEqual({
      code: CONSTRAINED,
      uscc: CONSTRAINED,
      listed: true,
      listings: [
        {
          listingId: expect.any(String),
          uscc: CONSTRAINED,
          listType: 'tax-violation',
          listTypeLabel: '重大税收违法失信主体',
          department: TAX_OFFICE,
          listedAt: '2026-01-05',
          status: 'active',
          list: 'constrain',
          track: 'joint-punishment',
          measures: CONSTRAINT_MEASURES.map(({ code, label }) => ({
            code,
            label,
            since: '2026-06-01',
            decidedBy: 'rule:C1',
          })),
        },
      ],
    });
  });

  it('answers a code written full-width and in lower case like the code itself', async () => {
    const fullWidth = [...CONSTRAINED.toLowerCase()]
      .map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))
      .join('');
    const result = await getCheck(` ${fullWidth} `);
    expect(result.statusCode).toBe(200);
    expect(result.json).toMatchObject({ uscc: CONSTRAINED, listed: true });
  });

  it('answers an unknown company and one whose listings ended as not listed', async () => {
    for (const code of [UNKNOWN, LONE]) {
      const result = await getCheck(code);
      expect(result.statusCode).toBe(200);
      expect(result.json).toEqual({ code, uscc: code, listed: false, listings: [] });
    }
  });

  it('answers a listing that awaits exit confirmation as listed, with its status', async () => {
    const result = await getCheck(EXIT_PENDING);
    expect(result.json).toMatchObject({
      uscc: EXIT_PENDING,
      listed: true,
      listings: [{ status: 'exit-pending', list: 'constrain' }],
    });
  });

  it('matches an organisation code to its USCC', async () => {
    const result = await getCheck(LONE_ORG_CODE);
    expect(result.statusCode).toBe(200);
    expect(result.json).toMatchObject({ code: LONE_ORG_CODE, uscc: LONE, listed: false });
  });

  it('refuses a code that fails its check with a Chinese 400', async () => {
    const result = await getCheck('914403001922038217');
    expect(result.statusCode).toBe(400);
    expect(result.json).toMatchObject({ code: 'invalid-uscc', detail: expect.stringMatching(/第18位/) });
  });
});

describe('POST /checks', () => {
  it('answers every code in the order asked: listed, unknown, malformed, organisation codes', async () => {
    // Prepare
    const codes = [UNKNOWN, 'not a code', CONSTRAINED, LONE_ORG_CODE, '192203821', '130102198001011234'];

    // Act
    const result = await postChecks(codes);

    // Assess
    expect(result.statusCode).toBe(200);
    const results = result.json.results as Json[];
    expect(results.map((answer) => answer.code)).toEqual(codes);
    expect(results[0]).toEqual({ code: UNKNOWN, uscc: UNKNOWN, listed: false, listings: [] });
    expect(results[1]).toMatchObject({ listed: false, listings: [], error: { code: 'not-a-code' } });
    expect(results[2]).toMatchObject({ uscc: CONSTRAINED, listed: true });
    expect(results[3]).toMatchObject({ uscc: LONE, listed: false });
    // two subjects carry this organisation code: both listings, and the caller is asked for the USCC
    expect(results[4]).toMatchObject({
      listed: true,
      candidates: [CONSTRAINED, SAME_ORG_CODE],
      error: { code: 'ambiguous-org-code', message: expect.stringMatching(/统一社会信用代码/) },
    });
    expect(((results[4]?.listings ?? []) as Json[]).map((listing) => listing.uscc).sort()).toEqual(
      [CONSTRAINED, SAME_ORG_CODE].sort(),
    );
    expect(results[5]).toMatchObject({ listed: false, error: { code: 'person-id' } });
  });

  it('answers a batch of 1 000 codes, 300 of them listed, in order', async () => {
    // Prepare
    const listed = Array.from({ length: 300 }, (_, index) => usccOf(index));
    const unlisted = Array.from({ length: 200 }, (_, index) => usccOf(1_000 + index));
    const unknown = Array.from({ length: 500 }, (_, index) => usccOf(5_000 + index));
    await seedCheckSubjects(deps, { listed, unlisted });
    // interleaved, so that an answer out of order shows
    const codes = Array.from({ length: 1_000 }, (_, index) =>
      index % 10 < 3 ? listed[Math.floor(index / 10) * 3 + (index % 10)] : undefined,
    );
    let nextOther = 0;
    const others = [...unlisted, ...unknown];
    const batch = codes.map((code) => code ?? (others[nextOther++] as string));

    // Act
    const result = await postChecks(batch, claims.district('130104'));

    // Assess
    expect(result.statusCode).toBe(200);
    const results = result.json.results as Json[];
    expect(results).toHaveLength(1_000);
    expect(results.map((answer) => answer.uscc)).toEqual(batch);
    const listedSet = new Set(listed);
    for (const answer of results) {
      expect(answer.listed).toBe(listedSet.has(answer.uscc as string));
      if (answer.listed) expect((answer.listings as Json[])[0]).toMatchObject({ list: 'constrain' });
    }
  });

  it.each([
    ['no codes', []],
    ['more than 1 000 codes', Array.from({ length: 1_001 }, () => UNKNOWN)],
    ['codes that are not strings', [1, 2]],
  ])('refuses %s with a Chinese 400', async (_, codes) => {
    const result = await postChecks(codes);
    expect(result.statusCode).toBe(400);
    expect(result.json).toMatchObject({ code: 'validation-failed' });
    expect(String(result.json.detail)).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('scope', () => {
  it('lets the consumer role reach the two check routes and nothing else', async () => {
    // Prepare: every route the API serves behind a token, other than the checks
    const others = apiRoutes.filter((route) => route.roles !== 'public' && !route.path.startsWith('/checks'));
    expect(others.length).toBeGreaterThan(0);

    // Act
    const answers = await Promise.all(
      others.map(async (route) => {
        const result = await call({
          routeKey: `${route.method} ${route.path}`,
          path: route.path,
          claims: claims.consumer,
        });
        return [`${route.method} ${route.path}`, result.statusCode] as const;
      }),
    );

    // Assess
    expect(answers.filter(([, status]) => status !== 403)).toEqual([]);
    expect((await getCheck(CONSTRAINED)).statusCode).toBe(200);
    expect((await postChecks([CONSTRAINED])).statusCode).toBe(200);
  });

  it('lets the city, districts and departments check too, and no one without a token', async () => {
    for (const tokenClaims of [claims.city, claims.district('130104'), claims.department('某局')]) {
      expect((await getCheck(CONSTRAINED, tokenClaims)).json).toMatchObject({ listed: true });
    }
    const anonymous = await call({
      routeKey: 'GET /checks/{uscc}',
      path: `/checks/${CONSTRAINED}`,
      pathParameters: { uscc: CONSTRAINED },
    });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('the trail of checks', () => {
  it('records who asked about which codes, when, and what the answer said; one entry per check', async () => {
    // Prepare
    await trail.drain();
    const before = (await allTrailEntries(table)).length;

    // Act
    await postChecks([CONSTRAINED, UNKNOWN, '130102198001011234'], {
      sub: 'subsidy-system',
      role: 'consumer',
    });
    await getCheck(LONE_ORG_CODE, { sub: 'tender-system', role: 'consumer' });

    // Assess
    await trail.drain();
    const entries = await allTrailEntries(table);
    const checks = entries.filter((entry) => entry.itemType === 'check');
    expect(entries.length - before).toBe(2);
    const bySystem = new Map(
      checks.map((entry) => [(entry.changedBy as { principal: string }).principal, entry]),
    );
    const subsidy = bySystem.get('subsidy-system');
    expect(subsidy).toMatchObject({
      event: 'created',
      at: NOW.toISOString(),
      changedBy: { role: 'consumer', cause: { kind: 'request' } },
    });
    const changes = subsidy?.changes as Record<string, { after?: unknown }>;
    expect(changes.codes?.after).toEqual([
      { code: CONSTRAINED, uscc: CONSTRAINED, listed: true },
      { code: UNKNOWN, uscc: UNKNOWN, listed: false },
      // nothing of a natural person is kept
      { code: '（自然人身份证号码，未记录）', listed: false, error: 'person-id' },
    ]);
    expect(JSON.stringify(entries)).not.toContain('130102198001011234');
    expect((bySystem.get('tender-system')?.changes as Json | undefined)?.codes).toEqual({
      after: [{ code: '79965505-8', uscc: LONE, listed: false }],
    });
  });
});
