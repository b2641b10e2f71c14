/**
 * `GET /subjects`: the listing views through the handler with real HTTP API v2 events, on listings
 * written and triaged by the store's own paths: filters, scopes, signed cursor pages, and the 台账 as
 * CSV and XLSX.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeListingId } from '#storage/keys.ts';
import { allListings } from '#storage/listing-query.ts';
import type { StoreDeps } from '#storage/subject-store.ts';
import { createApiHandler } from '../../functions/api/create-handler.ts';
import { createTestTable } from '../support/dynamo.ts';
import { makeUscc } from '../support/files.ts';
import { claims, httpEvent, testContext } from '../support/http-events.ts';
import { type SeededListing, seedListing } from '../support/triage-seed.ts';

type Result = {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
};
type Row = Record<string, unknown> & { uscc: string; listingId: string };
let handler: (event: unknown, context: unknown) => Promise<Result>;
let deps: StoreDeps;

/** 10:00 in Shanghai on 2026-05-10. */
const NOW = new Date('2026-05-10T02:00:00Z');
const TODAY = '2026-05-10';

const COURT = '长安区人民法院';
const TAX = '国家税务总局石家庄市税务局';
const MARKET = '石家庄市市场监督管理局';
const EVIL_NAME = '=HYPERLINK("http://example.test","点我")';

function listing(serial: number, spec: Omit<SeededListing, 'uscc' | 'key' | 'name'> & { name?: string }) {
  return {
    uscc: makeUscc(serial),
    key: `(2025)冀执${serial}号`,
    name: `石家庄某某${serial}有限公司`,
    ...spec,
  };
}

/** 长安区 has five active listings (A–E) and one exited (I); 桥西区 two; one subject is unassigned. */
const SEEDED = {
  A: listing(1, {
    district: '130102',
    listType: 'court-debtor',
    department: COURT,
    listedAt: '2025-06-01',
    planDeadline: '2026-06-30',
  }),
  B: listing(2, {
    district: '130102',
    listType: 'court-debtor',
    department: COURT,
    listedAt: '2025-09-15',
    registrationStatus: 'deregistered',
  }),
  C: listing(3, {
    name: EVIL_NAME,
    district: '130102',
    listType: 'tax-violation',
    department: TAX,
    listedAt: '2025-03-01',
    flags: { lostContact: true },
    planDeadline: '2026-05-01',
  }),
  D: listing(4, {
    district: '130102',
    listType: 'market-violation',
    department: MARKET,
    listedAt: '2026-01-10',
    override: { list: 'constrain', track: 'joint-punishment', reason: '拒不配合帮扶，转入约束' },
    planDeadline: TODAY,
  }),
  E: listing(5, {
    district: '130102',
    listType: 'court-debtor',
    department: COURT,
    listedAt: '2024-12-01',
    unclassified: true,
  }),
  F: listing(6, {
    district: '130104',
    listType: 'court-debtor',
    department: '桥西区人民法院',
    listedAt: '2025-11-11',
  }),
  G: listing(7, {
    district: '130104',
    listType: 'tax-violation',
    department: TAX,
    listedAt: '2025-07-07',
    planDeadline: '2026-12-31',
  }),
  H: listing(8, {
    district: 'UNASSIGNED',
    listType: 'procurement-violation',
    department: '石家庄市财政局',
    listedAt: '2025-05-05',
    endsAt: '2027-01-01',
    planDeadline: '2026-08-01',
  }),
  I: listing(9, {
    district: '130102',
    listType: 'court-debtor',
    department: COURT,
    listedAt: '2025-02-02',
    exited: true,
  }),
} satisfies Record<string, SeededListing>;

type Name = keyof typeof SEEDED;
const NAME_OF = new Map(Object.entries(SEEDED).map(([name, spec]) => [spec.uscc, name as Name]));

async function call(
  query: Record<string, string>,
  /** `null`: no token at all. */
  tokenClaims: Record<string, string> | null = claims.city,
) {
  const result = await handler(
    httpEvent({
      routeKey: 'GET /subjects',
      path: '/subjects',
      query,
      ...(tokenClaims === null ? {} : { claims: tokenClaims }),
    }),
    testContext,
  );
  const json =
    result.headers['content-type']?.startsWith('application/') && !result.isBase64Encoded
      ? JSON.parse(result.body)
      : undefined;
  return { ...result, json: json as { items: Row[]; cursor?: string; code?: string; detail?: string } };
}

/** The seeded names of a page's rows, in the order given. */
function names(rows: readonly Row[]): Name[] {
  return rows.map((row) => NAME_OF.get(row.uscc) as Name);
}

/** Every row of a view, page by page, with the pages' sizes. */
async function allPages(query: Record<string, string>, tokenClaims = claims.city) {
  const rows: Row[] = [];
  const sizes: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await call({ ...query, ...(cursor === undefined ? {} : { cursor }) }, tokenClaims);
    expect(page.statusCode).toBe(200);
    rows.push(...page.json.items);
    sizes.push(page.json.items.length);
    cursor = page.json.cursor;
  } while (cursor !== undefined);
  return { rows, sizes };
}

beforeAll(async () => {
  const table = await createTestTable('api-listing-views');
  deps = { client: table.documentClient, tableName: table.tableName, clock: { now: () => NOW } };
  handler = createApiHandler({
    store: deps,
    drop: () => {
      throw new Error('the listing views use no drop folder');
    },
    queue: () => undefined,
  }) as unknown as typeof handler;
  for (const spec of Object.values(SEEDED)) await seedListing(deps, spec, TODAY);
});

describe('GET /subjects: filters', () => {
  it('shows the city every active listing, district by district, and no exited one', async () => {
    const { rows } = await allPages({});
    // 长安区, 桥西区, then the unassigned; inside a district by list, list type and code
    expect(names(rows)).toEqual(['A', 'D', 'C', 'B', 'E', 'F', 'G', 'H']);
  });

  it.each([
    [{ district: '130102', list: 'assist' }, ['A']],
    [{ district: '130102', list: 'constrain' }, ['C', 'D']],
    [{ district: '130102', list: 'exit' }, ['B']],
    [{ list: 'unclassified' }, ['E']],
    [{ district: '130102', listType: 'court-debtor' }, ['A', 'B', 'E']],
    [{ list: 'assist', listType: 'court-debtor' }, ['A', 'F']],
    [{ track: 'joint-punishment' }, ['C', 'D']],
    [{ track: 'repair-guidance' }, ['A', 'F', 'G', 'H']],
    [{ overdue: 'true' }, ['B', 'C', 'E', 'F']],
    [{ overdue: 'false' }, ['A', 'D', 'G', 'H']],
    [{ department: COURT }, ['A', 'B', 'E']],
    [{ department: ` ${TAX} `, district: '130104' }, ['G']],
    [{ department: COURT, listedFrom: '2025-01-01', listedTo: '2025-12-31' }, ['A', 'B']],
    [{ department: COURT, list: 'unclassified' }, ['E']],
    [{ department: TAX, overdue: 'true' }, ['C']],
    [{ district: '130102', listedFrom: '2025-06-01' }, ['A', 'B', 'D']],
    [{ listedTo: '2025-05-31' }, ['C', 'E', 'H']],
    [{ district: 'UNASSIGNED' }, ['H']],
  ])('filters %o to %o', async (query, expected) => {
    const { rows } = await allPages(query);
    expect(names(rows).sort()).toEqual(expected);
  });

  it('gives each row what a clerk reads: name, district, list, track, reasons, plan, overdue, listing id', async () => {
    const { rows } = await allPages({ district: '130102', list: 'constrain' });
    const c = rows.find((row) => NAME_OF.get(row.uscc) === 'C');
    const d = rows.find((row) => NAME_OF.get(row.uscc) === 'D');
    expect(c).toMatchObject({
      uscc: SEEDED.C.uscc,
      name: EVIL_NAME,
      district: '130102',
      districtName: '长安区',
      listType: 'tax-violation',
      listTypeLabel: '重大税收违法失信主体',
      department: TAX,
      listedAt: '2025-03-01',
      status: 'active',
      statusLabel: '在列',
      list: 'constrain',
      listLabel: '约束清单',
      track: 'joint-punishment',
      trackLabel: '联合惩戒',
      overridden: false,
      reason: expect.stringContaining('C1'),
      planDeadline: '2026-05-01',
      overdue: true,
    });
    expect(decodeListingId(c?.listingId ?? '')).toEqual({
      uscc: SEEDED.C.uscc,
      listType: 'tax-violation',
      key: SEEDED.C.key,
    });
    // overridden to the constraint list; a deadline of today is not overdue yet
    expect(d).toMatchObject({
      list: 'constrain',
      overridden: true,
      overrideReason: '拒不配合帮扶，转入约束',
      reason: expect.stringContaining('A1'),
      planDeadline: TODAY,
      overdue: false,
    });
  });

  it('refuses a value it does not know, in Chinese', async () => {
    for (const query of [
      { list: 'later' },
      { district: '130100' },
      { listedFrom: '2025-13-01' },
      { overdue: 'yes' },
    ] as Record<string, string>[]) {
      const result = await call(query);
      expect(result.statusCode, JSON.stringify(query)).toBe(400);
      expect(result.json.code).toBe('validation-failed');
    }
    const reversed = await call({ listedFrom: '2025-12-01', listedTo: '2025-01-01' });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json.detail).toContain('不能晚于');
  });
});

describe('GET /subjects?overdue=true and GET /counts', () => {
  it('lists in each district as many overdue listings as GET /counts counts there', async () => {
    const result = await handler(
      httpEvent({ routeKey: 'GET /counts', path: '/counts', claims: claims.city }),
      testContext,
    );
    const counted = JSON.parse(result.body) as { districts: { district: string; overdue: number }[] };
    for (const district of ['130102', '130104', 'UNASSIGNED']) {
      const { rows } = await allPages({ district, overdue: 'true' });
      expect(rows.length, district).toBe(
        counted.districts.find((entry) => entry.district === district)?.overdue,
      );
    }
  });
});

describe('GET /subjects: scopes', () => {
  it("shows a district office its own district's listings only", async () => {
    const { rows } = await allPages({}, claims.district('130102'));
    expect(names(rows).sort()).toEqual(['A', 'B', 'C', 'D', 'E']);
    const own = await allPages({ district: '130102', department: COURT }, claims.district('130102'));
    expect(names(own.rows).sort()).toEqual(['A', 'B', 'E']);
  });

  it("answers 403 to a district office asking for another district's listings", async () => {
    const result = await call({ district: '130104' }, claims.district('130102'));
    expect(result.statusCode).toBe(403);
    expect(result.json.code).toBe('out-of-scope');
  });

  it('shows a department the listings it designated, in its district when its token names one', async () => {
    const court = await allPages({}, claims.department(COURT));
    expect(names(court.rows).sort()).toEqual(['A', 'B', 'E']);
    const taxInQiaoxi = await allPages({}, claims.department(TAX, '130104'));
    expect(names(taxInQiaoxi.rows)).toEqual(['G']);
  });

  it("answers 403 to a department asking for another department's listings, or another district's", async () => {
    const other = await call({ department: TAX }, claims.department(COURT));
    expect(other.statusCode).toBe(403);
    const elsewhere = await call({ district: '130102' }, claims.department(TAX, '130104'));
    expect(elsewhere.statusCode).toBe(403);
  });

  it('answers 403 to a consumer and 401 without a token', async () => {
    expect((await call({}, claims.consumer)).statusCode).toBe(403);
    expect((await call({}, null)).statusCode).toBe(401);
  });
});

describe('GET /subjects: cursor pages', () => {
  it('pages five rows two at a time: 2, 2, 1, each row once', async () => {
    const { rows, sizes } = await allPages({ district: '130102', limit: '2' });
    expect(sizes).toEqual([2, 2, 1]);
    expect(names(rows).sort()).toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  it('walks the districts inside the cursor: the city in pages of three holds every row once', async () => {
    const { rows, sizes } = await allPages({ limit: '3' });
    expect(sizes).toEqual([3, 3, 2]);
    expect(names(rows).sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']);
  });

  it('pages a filtered department view', async () => {
    const { rows, sizes } = await allPages({ department: COURT, limit: '2' });
    expect(sizes).toEqual([2, 1]);
    expect(names(rows).sort()).toEqual(['A', 'B', 'E']);
  });

  it('refuses an altered cursor, one for other filters and one of another scope', async () => {
    const first = await call({ district: '130102', limit: '2' });
    const cursor = first.json.cursor as string;
    const altered = await call({ district: '130102', limit: '2', cursor: `${cursor.slice(0, -2)}xx` });
    expect(altered.statusCode).toBe(400);
    expect(altered.json.code).toBe('invalid-cursor');
    const otherFilter = await call({ district: '130102', list: 'assist', cursor });
    expect(otherFilter.json.code).toBe('invalid-cursor');
    const otherScope = await call({ district: '130102', cursor }, claims.district('130102'));
    expect(otherScope.json.code).toBe('invalid-cursor');
  });
});

describe('GET /subjects?format=csv|xlsx: the 台账', () => {
  const HEADERS = [
    '序号',
    '统一社会信用代码',
    '主体名称',
    '所属区县',
    '区县代码',
    '名单类型',
    '认定部门',
    '列入日期',
    '名单状态',
    '所在清单',
    '处置路径',
    '是否部门调整',
    '分类理由',
    '调整理由',
    '计划完成期限',
    '是否逾期',
    '记录编号',
  ];

  it('gives the rows as CSV in UTF-8 with a BOM, Chinese headers, a formula-like name neutralised', async () => {
    const result = await call({ district: '130102', format: 'csv', limit: '1' });
    expect(result.statusCode).toBe(200);
    expect(result.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(result.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent(`三类清单台账-长安区-${TODAY}.csv`)}`,
    );
    expect(result.headers['content-disposition']).toContain(`filename="ledger-130102-${TODAY}.csv"`);
    expect(result.body.startsWith('\uFEFF')).toBe(true);
    const lines = result.body
      .slice(1)
      .split('\r\n')
      .filter((line) => line !== '');
    expect(lines[0]).toBe(HEADERS.join(','));
    // every row, whatever the page size: limit and cursor do not apply to a file
    expect(lines).toHaveLength(1 + 5);
    const evil = lines.find((line) => line.includes(SEEDED.C.uscc)) ?? '';
    expect(evil).toContain(`"'=HYPERLINK(""http://example.test"",""点我"")"`);
    expect(evil).toContain(',长安区,130102,重大税收违法失信主体,');
    expect(evil).toContain(',约束清单,联合惩戒,否,');
    expect(evil).toContain(',2026-05-01,是,');
  });

  it('gives the same rows as an XLSX workbook exceljs opens, the formula-like name as text', async () => {
    const result = await call({ district: '130102', format: 'xlsx' });
    expect(result.statusCode).toBe(200);
    expect(result.isBase64Encoded).toBe(true);
    expect(result.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(result.headers['content-disposition']).toContain(
      encodeURIComponent(`三类清单台账-长安区-${TODAY}.xlsx`),
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(result.body, 'base64') as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.name).toBe('台账');
    const values = (row: number) => ((sheet?.getRow(row).values as unknown[]) ?? []).slice(1);
    expect(values(1)).toEqual(HEADERS);
    expect(sheet?.rowCount).toBe(1 + 5);
    const usccs = [2, 3, 4, 5, 6].map((row) => values(row)[1]);
    expect([...usccs].sort()).toEqual(
      ['A', 'B', 'C', 'D', 'E'].map((name) => SEEDED[name as Name].uscc).sort(),
    );
    const evilRow = [2, 3, 4, 5, 6].find((row) => values(row)[1] === SEEDED.C.uscc) ?? 0;
    const nameCell = sheet?.getRow(evilRow).getCell(3);
    expect(nameCell?.type).toBe(ExcelJS.ValueType.String);
    expect(nameCell?.value).toBe(`'${EVIL_NAME}`);
    expect(values(evilRow)[0]).toBe(usccs.indexOf(SEEDED.C.uscc) + 1);
  });

  it("keeps to the caller's scope: a department's ledger holds its own listings", async () => {
    const result = await call({ format: 'csv' }, claims.department(COURT));
    const lines = result.body
      .slice(1)
      .split('\r\n')
      .filter((line) => line !== '');
    expect(lines).toHaveLength(1 + 3);
    expect(result.headers['content-disposition']).toContain(
      encodeURIComponent(`三类清单台账-全市-${COURT}-${TODAY}.csv`),
    );
  });

  it('says when a view holds more rows than the cap, instead of handing out part of it', async () => {
    const query = { source: { kind: 'districts', districts: ['130102'] }, filter: {}, today: TODAY } as const;
    expect((await allListings(deps, query, 5)).complete).toBe(true);
    const capped = await allListings(deps, query, 4);
    expect(capped).toMatchObject({ complete: false });
    expect(capped.listings).toHaveLength(4);
  });
});

describe('GET /openapi.json', () => {
  it('describes GET /subjects with its filters and its three answers: JSON, CSV and XLSX', async () => {
    const result = await handler(
      httpEvent({ routeKey: 'GET /openapi.json', path: '/openapi.json' }),
      testContext,
    );
    const document = JSON.parse(result.body) as {
      paths: Record<
        string,
        {
          get: {
            parameters: { name: string }[];
            responses: Record<string, { content: Record<string, unknown> }>;
          };
        }
      >;
    };
    const operation = document.paths['/subjects']?.get;
    expect(operation?.parameters.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining([
        'district',
        'list',
        'listType',
        'track',
        'department',
        'overdue',
        'listedFrom',
        'listedTo',
        'format',
      ]),
    );
    expect(Object.keys(operation?.responses['200']?.content ?? {})).toEqual([
      'application/json',
      'text/csv',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
  });
});
