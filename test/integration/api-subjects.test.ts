import { beforeAll, describe, expect, it } from 'vitest';
import { planRecordListing } from '#domain/changes.ts';
import { changeSubject, type StoreDeps } from '#storage/subject-store.ts';
import { createApiHandler } from '../../functions/api/create-handler.ts';
import { createTestTable } from '../support/dynamo.ts';
import { claims, httpEvent, testContext } from '../support/http-events.ts';
import { trailReader } from '../support/trail.ts';

type Result = { statusCode: number; headers: Record<string, string>; body: string };
let handler: (event: unknown, context: unknown) => Promise<Result>;
let deps: StoreDeps;

const LISTED = '914403001922038216';
const OTHER_DISTRICT = '91330100799655058B';

async function call(input: Parameters<typeof httpEvent>[0]) {
  const result = await handler(httpEvent(input), testContext);
  return { ...result, json: JSON.parse(result.body) as Record<string, unknown> };
}

function getSubject(uscc: string, tokenClaims?: Record<string, string>) {
  return call({
    routeKey: 'GET /subjects/{uscc}',
    path: `/subjects/${uscc}`,
    pathParameters: { uscc },
    ...(tokenClaims === undefined ? {} : { claims: tokenClaims }),
  });
}

beforeAll(async () => {
  const table = await createTestTable('api-subjects', { stream: true });
  deps = { client: table.documentClient, tableName: table.tableName, clock: { now: () => new Date() } };
  handler = createApiHandler({
    store: deps,
    drop: () => {
      throw new Error('the subject routes use no drop folder');
    },
    queue: () => undefined,
  }) as unknown as typeof handler;
  const actor = { principal: 'seed', role: 'city', cause: { kind: 'system', id: 'seed' } } as const;
  for (const [uscc, district, department] of [
    [LISTED, '130102', '长安区人民法院'],
    [OTHER_DISTRICT, '130104', '国家税务总局石家庄市桥西区税务局'],
  ] as const) {
    await changeSubject(
      deps,
      uscc,
      { uscc, listType: 'court-debtor', key: '(2022)冀0102执1号' },
      actor,
      planRecordListing(
        { uscc, name: '石家庄某某商贸有限公司', district, districtSource: 'column' },
        { listType: 'court-debtor', key: '(2022)冀0102执1号', department, source: 'test' },
        () => {},
      ),
    );
  }
  const trail = trailReader(table);
  await trail.drain();
  await trail.stop();
});

describe('GET /health and /openapi.json', () => {
  it('answers ok without a token', async () => {
    const result = await call({ routeKey: 'GET /health', path: '/health' });
    expect(result.statusCode).toBe(200);
    expect(result.json).toEqual({ status: 'ok', database: 'ok' });
  });

  it('publishes an OpenAPI 3.1 document that names the subject route and its problems', async () => {
    const result = await call({ routeKey: 'GET /openapi.json', path: '/openapi.json' });
    expect(result.statusCode).toBe(200);
    expect(result.json.openapi).toBe('3.1.0');
    const paths = result.json.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    expect(Object.keys(paths['/subjects/{uscc}']?.get?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404']),
    );
  });
});

describe('GET /subjects/{uscc}', () => {
  it('returns the subject with its listings and history to the city', async () => {
    const result = await getSubject(LISTED, claims.city);
    expect(result.statusCode).toBe(200);
    const body = result.json as {
      subject: { uscc: string; listed: boolean; districtName: string };
      listings: unknown[];
      history: unknown[];
    };
    expect(body.subject.uscc).toBe(LISTED);
    expect(body.subject.listed).toBe(true);
    expect(body.subject.districtName).toBe('长安区');
    expect(body.listings).toHaveLength(1);
    // the trail: the subject and its listing created, newest first, each with who and why
    expect(body.history).toEqual([
      expect.objectContaining({
        event: 'created',
        changedBy: expect.objectContaining({ principal: 'seed' }),
      }),
      expect.objectContaining({
        event: 'created',
        changedBy: expect.objectContaining({ principal: 'seed' }),
      }),
    ]);
    expect(body.history.map((entry) => (entry as { itemType: string }).itemType).sort()).toEqual([
      'listing',
      'subject',
    ]);
  });

  it('pages the history with a signed cursor, and refuses a cursor it did not issue', async () => {
    const first = await call({
      routeKey: 'GET /subjects/{uscc}',
      path: `/subjects/${LISTED}`,
      pathParameters: { uscc: LISTED },
      query: { historyLimit: '1' },
      claims: claims.city,
    });
    const cursor = first.json.historyCursor as string;
    expect((first.json.history as unknown[]).length).toBe(1);
    expect(cursor).toEqual(expect.any(String));
    const second = await call({
      routeKey: 'GET /subjects/{uscc}',
      path: `/subjects/${LISTED}`,
      pathParameters: { uscc: LISTED },
      query: { historyLimit: '1', historyCursor: cursor },
      claims: claims.city,
    });
    expect((second.json.history as { entryId: string }[])[0]?.entryId).not.toBe(
      (first.json.history as { entryId: string }[])[0]?.entryId,
    );
    const forged = await call({
      routeKey: 'GET /subjects/{uscc}',
      path: `/subjects/${LISTED}`,
      pathParameters: { uscc: LISTED },
      query: { historyCursor: `${cursor.slice(0, -2)}xx` },
      claims: claims.city,
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.json.code).toBe('invalid-cursor');
  });

  it("shows a department the history of its own listings only, not the subject's other changes", async () => {
    const result = await getSubject(LISTED, claims.department('长安区人民法院'));
    const history = result.json.history as { itemType: string }[];
    expect(history.map((entry) => entry.itemType)).toEqual(['listing']);
  });

  it('normalises a full-width, lower-case code before looking it up', async () => {
    const result = await getSubject('９１４４０３００１９２２０３８２１６', claims.city);
    expect(result.statusCode).toBe(200);
  });

  it('answers 400 with a stable code for a code that fails the check', async () => {
    const result = await getSubject('914403001922038217', claims.city);
    expect(result.statusCode).toBe(400);
    expect(result.headers['content-type']).toBe('application/problem+json');
    expect(result.json.code).toBe('invalid-uscc');
  });

  it('answers 404 for a valid code nobody listed', async () => {
    const result = await getSubject('91130000677356885K', claims.city);
    expect(result.statusCode).toBe(404);
    expect(result.json.code).toBe('not-found');
  });

  it('answers 401 without a role in the claims', async () => {
    const result = await getSubject(LISTED);
    expect(result.statusCode).toBe(401);
    expect(result.json.code).toBe('unauthorized');
  });

  it('shows a district only its own subjects', async () => {
    expect((await getSubject(LISTED, claims.district('130102'))).statusCode).toBe(200);
    expect((await getSubject(OTHER_DISTRICT, claims.district('130102'))).statusCode).toBe(404);
  });

  it('shows a department only subjects it designated', async () => {
    expect((await getSubject(LISTED, claims.department('长安区人民法院'))).statusCode).toBe(200);
    expect((await getSubject(OTHER_DISTRICT, claims.department('长安区人民法院'))).statusCode).toBe(404);
    expect((await getSubject(LISTED, claims.department('长安区人民法院', '130104'))).statusCode).toBe(404);
  });

  it('refuses consumers, who may only run checks', async () => {
    const result = await getSubject(LISTED, claims.consumer);
    expect(result.statusCode).toBe(403);
    expect(result.json.code).toBe('forbidden');
  });

  it('answers 501 for a published route another function serves (a misrouted request)', async () => {
    const result = await call({ routeKey: 'GET /exits', path: '/exits', claims: claims.city });
    expect(result.statusCode).toBe(501);
  });
});

describe('GET /trail', () => {
  const month = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
  })
    .format(new Date())
    .slice(0, 7);

  function trail(query: Record<string, string>, tokenClaims: Record<string, string>) {
    return call({
      routeKey: 'GET /trail',
      path: '/trail',
      query: query,
      claims: tokenClaims,
    });
  }

  it("gives the city the month's changes, oldest first, with who and why", async () => {
    const result = await trail({ month }, claims.city);
    expect(result.statusCode).toBe(200);
    const items = result.json.items as { at: string; changedBy: { principal: string } }[];
    expect(items).toHaveLength(4);
    expect(items.map((item) => item.at)).toEqual(items.map((item) => item.at).sort());
    for (const item of items) expect(item.changedBy.principal).toBe('seed');
  });

  it('pages the month through every shard without losing or repeating an entry', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await trail(
        { month, limit: '1', ...(cursor === undefined ? {} : { cursor }) },
        claims.city,
      );
      expect(page.statusCode).toBe(200);
      seen.push(...(page.json.items as { entryId: string }[]).map((item) => item.entryId));
      cursor = page.json.cursor as string | undefined;
    } while (cursor !== undefined);
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
  });

  it('is for the city only, and wants a real month', async () => {
    expect((await trail({ month }, claims.district('130102'))).statusCode).toBe(403);
    expect((await trail({ month }, claims.department('长安区人民法院'))).statusCode).toBe(403);
    const bad = await trail({ month: '2026-13' }, claims.city);
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('月份');
  });
});
