import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { reportOrder } from '#domain/exit-report.ts';
import type { ExitSubmission } from '#domain/exits.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { createExitReport, EmptyExitReportError, exitsForBatch } from '#storage/exit-report-store.ts';
import { keys } from '#storage/keys.ts';
import type { StoreDeps } from '#storage/subject-store.ts';
import { createExitsHandler } from '../../functions/exits/create-handler.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import { putExits, type SeedExit, seedExit } from '../support/exit-seed.ts';
import { claims, httpEvent, testContext } from '../support/http-events.ts';
import { allTrailEntries, trailReader } from '../support/trail.ts';

type Result = {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
};
let handler: (event: unknown, context: unknown) => Promise<Result>;
let store: StoreDeps;
let table: TestTable;

const CHANG_AN = '130102';
const QIAO_XI = '130104';
const MARKET = '石家庄市市场监督管理局';
const NOW = new Date('2026-05-20T02:00:00.000Z');

async function call(routeKey: string, input: Partial<Parameters<typeof httpEvent>[0]> = {}) {
  const [, path = '/'] = routeKey.split(' ');
  const result = await handler(httpEvent({ routeKey, path, claims: claims.city, ...input }), testContext);
  const json =
    result.headers['content-type']?.startsWith('application/') && !result.isBase64Encoded
      ? (JSON.parse(result.body) as Record<string, unknown>)
      : {};
  return { ...result, json };
}

const postReport = (tokenClaims: Record<string, string> = claims.city) =>
  call('POST /exit-reports', { claims: tokenClaims });

const getReport = (reportId: string, query?: Record<string, string>) =>
  call('GET /exit-reports/{reportId}', {
    path: `/exit-reports/${reportId}`,
    pathParameters: { reportId },
    ...(query === undefined ? {} : { query }),
  });

function confirmed(count: number, overrides: Partial<SeedExit> = {}): ExitSubmission[] {
  return Array.from({ length: count }, (_, index) =>
    seedExit({
      district: index % 2 === 0 ? CHANG_AN : QIAO_XI,
      department: MARKET,
      status: 'confirmed',
      submittedAt: new Date(Date.parse('2026-05-01T02:00:00.000Z') + index * 60_000).toISOString(),
      ...overrides,
    }),
  );
}

async function reportLines(reportId: string): Promise<string[]> {
  const result = await getReport(reportId);
  expect(result.statusCode).toBe(200);
  return (result.json.lines as { exitId: string }[]).map((line) => line.exitId);
}

async function storedReportId(exitId: string): Promise<unknown> {
  const item = await store.client.send(
    new GetCommand({ TableName: store.tableName, Key: keys.exit(exitId) }),
  );
  return item.Item?.reportId;
}

beforeEach(async () => {
  table = await createTestTable('exit-reports');
  store = { client: table.documentClient, tableName: table.tableName, clock: { now: () => NOW } };
  handler = createExitsHandler({ store }) as unknown as typeof handler;
});

describe('POST /exit-reports', () => {
  it('makes batch 1 of every confirmed exit not yet reported, and marks each exit with it', async () => {
    // Prepare
    const done = confirmed(3);
    const open = seedExit({
      district: CHANG_AN,
      department: MARKET,
      status: 'reviewed',
      submittedAt: '2026-05-02T02:00:00.000Z',
    });
    await putExits(store, [...done, open]);
    // Act
    const result = await postReport();
    // Assess
    expect(result.statusCode).toBe(201);
    expect(result.json).toMatchObject({ reportId: '1', reportNumber: 1, exitCount: 3 });
    expect((await reportLines('1')).sort()).toEqual(done.map((exit) => exit.exitId).sort());
    for (const exit of done) expect(await storedReportId(exit.exitId)).toBe('1');
    expect(await storedReportId(open.exitId)).toBeUndefined();
  });

  it('refuses a batch with nothing new (409, in Chinese) without using up a number', async () => {
    // Prepare
    await putExits(store, confirmed(2));
    expect((await postReport()).statusCode).toBe(201);
    // Act
    const empty = await postReport();
    // Assess
    expect(empty.statusCode).toBe(409);
    expect(empty.json.code).toBe('exit-report-empty');
    expect(String(empty.json.detail)).toContain('没有可报送的退出');
    await putExits(store, confirmed(1));
    const next = await postReport();
    expect(next.json).toMatchObject({ reportId: '2', exitCount: 1 });
  });

  it('refuses an empty table the same way, and anyone but the city', async () => {
    expect((await postReport()).json.code).toBe('exit-report-empty');
    await putExits(store, confirmed(1));
    expect((await postReport(claims.district(CHANG_AN))).statusCode).toBe(403);
    expect((await postReport(claims.department(MARKET))).statusCode).toBe(403);
    expect((await call('GET /exit-reports', { claims: claims.district(CHANG_AN) })).statusCode).toBe(403);
  });

  it('puts every exit in exactly one batch, numbered without gaps, under concurrent POSTs', async () => {
    const all: ExitSubmission[] = [];
    const made: string[] = [];
    for (let round = 0; round < 4; round++) {
      // Prepare: more exits confirmed between the rounds
      const added = confirmed(30);
      all.push(...added);
      await putExits(store, added);
      // Act: two (then three, four, five) cities press the button at the same moment
      const results = await Promise.all(Array.from({ length: round + 2 }, () => postReport()));
      // Assess
      const codes = results.map((result) => (result.statusCode === 201 ? 'made' : String(result.json.code)));
      for (const code of codes) expect(['made', 'exit-report-empty', 'exit-report-busy']).toContain(code);
      made.push(
        ...results
          .filter((result) => result.statusCode === 201)
          .map((result) => String(result.json.reportId)),
      );
      // a batch refused as busy while another took everything is made up by the next press
      const again = await postReport();
      if (again.statusCode === 201) made.push(String(again.json.reportId));
      else expect(again.json.code).toBe('exit-report-empty');
    }
    expect(made.map(Number).sort((a, b) => a - b)).toEqual(made.map((_, index) => index + 1));
    const lines = (await Promise.all(made.map((reportId) => reportLines(reportId)))).flat();
    expect(lines).toHaveLength(all.length);
    expect(new Set(lines).size).toBe(all.length);
    const list = await call('GET /exit-reports', { query: { limit: '100' } });
    expect((list.json.items as { reportId: string }[]).map((report) => report.reportId)).toEqual(
      [...made].sort((a, b) => Number(b) - Number(a)),
    );
  });

  it('answers 409 busy while another batch is being built, and takes over a lease that expired', async () => {
    // Prepare: a build that died after marking one exit as batch 1
    const [orphan, waiting] = confirmed(2);
    await putExits(store, [{ ...(orphan as ExitSubmission), reportId: '1' }, waiting as ExitSubmission]);
    const lease = (until: string) =>
      store.client.send(
        new PutCommand({
          TableName: store.tableName,
          Item: {
            ...keys.exitReportSequence(),
            type: 'exit-report-sequence',
            lease: 'dead',
            leaseUntil: until,
          },
        }),
      );
    await lease('2026-05-20T02:01:00.000Z');
    // Act / Assess: the lease lives
    const busy = await postReport();
    expect(busy.statusCode).toBe(409);
    expect(busy.json.code).toBe('exit-report-busy');
    expect(String(busy.json.detail)).toContain('请稍后再试');
    // Act / Assess: the lease expired; batch 1 takes in what the dead build had marked
    await lease('2026-05-20T01:59:00.000Z');
    const made = await postReport();
    expect(made.json).toMatchObject({ reportId: '1', exitCount: 2 });
    expect((await reportLines('1')).sort()).toEqual([orphan?.exitId, waiting?.exitId].sort());
  });

  it('never takes an exit that a batch already holds, whatever the index still says', async () => {
    // Prepare: the exit's item says batch 7 (the index may lag behind it)
    const [exit] = confirmed(1);
    await putExits(store, [exit as ExitSubmission]);
    await store.client.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: keys.exit(exit?.exitId ?? ''),
        UpdateExpression: 'SET reportId = :r',
        ExpressionAttributeValues: { ':r': '7' },
      }),
    );
    // Act
    const result = await postReport();
    // Assess
    expect(result.json.code).toBe('exit-report-empty');
  });

  it('takes at most the cap in one batch, the oldest confirmations first; the rest go into the next', async () => {
    // Prepare: 120 confirmed exits, stored in a shuffled order
    const all = confirmed(120);
    await putExits(store, [...all].reverse());
    const actor: ChangedBy = { principal: 'city', role: 'city', cause: { kind: 'request', id: 'capped' } };
    // Act
    const reports = [
      await createExitReport(store, actor, 50),
      await createExitReport(store, actor, 50),
      await createExitReport(store, actor, 50),
    ];
    // Assess
    expect(reports.map((report) => report.exitCount)).toEqual([50, 50, 20]);
    const inOrder = [...all].sort(reportOrder).map((exit) => exit.exitId);
    const stored = await Promise.all(inOrder.map((exitId) => storedReportId(exitId)));
    expect(stored).toEqual(inOrder.map((_, index) => String(Math.floor(index / 50) + 1)));
    await expect(createExitReport(store, actor, 50)).rejects.toBeInstanceOf(EmptyExitReportError);
  });
});

describe('exitsForBatch', () => {
  it('keeps what a dead build of the same number marked, then the oldest, up to the cap', () => {
    const [first, second, third, marked] = confirmed(4);
    const waiting = [third, marked && { ...marked, reportId: '3' }, first, second] as ExitSubmission[];
    expect(exitsForBatch(waiting, '3', 2).map((exit) => exit.exitId)).toEqual([
      marked?.exitId,
      first?.exitId,
    ]);
    expect(exitsForBatch(waiting, '4', 2).map((exit) => exit.exitId)).toEqual([
      first?.exitId,
      second?.exitId,
    ]);
  });
});

describe('GET /exit-reports/{reportId}', () => {
  async function seedOneBatch() {
    const exits = [
      seedExit({
        district: CHANG_AN,
        department: MARKET,
        status: 'confirmed',
        submittedAt: '2026-05-01T02:00:00.000Z',
        uscc: '91130102MA0AAAAA1X',
        subjectName: '=HYPERLINK("http://evil.example","点击")',
        revokedSystem: '+信用河北',
        reason: 'deregistered',
      }),
      seedExit({
        district: QIAO_XI,
        department: '-某部门',
        status: 'confirmed',
        submittedAt: '2026-05-01T03:00:00.000Z',
        uscc: '91130104MA0BBBBB2Y',
        subjectName: '石家庄市桥西区某某商店, "分店"',
        reason: 'credit-repaired',
        listType: 'tax-violation',
      }),
    ];
    await putExits(store, exits);
    expect((await postReport()).statusCode).toBe(201);
    return exits;
  }

  it('gives the batch as CSV: BOM, the 信用中国 columns in Chinese, formula-like cells neutralised', async () => {
    // Prepare
    await seedOneBatch();
    // Act
    const result = await getReport('1', { format: 'csv' });
    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(result.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('信用中国退出报送-第1批-2026-05-20.csv')}`,
    );
    expect(result.headers['content-disposition']).toContain('filename="exit-report-1-2026-05-20.csv"');
    expect(result.body.startsWith('\uFEFF')).toBe(true);
    const lines = result.body.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      '序号,主体名称,统一社会信用代码,所属区县,名单类型,认定部门,列入日期,退出日期,退出原因,撤销公示系统,撤销公示日期,审核单位',
    );
    expect(lines[1]).toBe(
      `1,"'=HYPERLINK(""http://evil.example"",""点击"")",91130102MA0AAAAA1X,长安区,市场监管严重违法失信,${MARKET},2022-11-03,2026-04-30,已注销,'+信用河北,2026-05-01,长安区信用办`,
    );
    expect(lines[2]).toBe(
      `2,"石家庄市桥西区某某商店, ""分店""",91130104MA0BBBBB2Y,桥西区,重大税收违法失信主体,'-某部门,2022-11-03,2026-04-30,信用修复,信用河北网站,2026-05-01,桥西区信用办`,
    );
    expect(lines[3]).toBe('');
  });

  it('gives the same lines as an XLSX workbook, the formula-like name as text', async () => {
    await seedOneBatch();
    const result = await getReport('1', { format: 'xlsx' });
    expect(result.statusCode).toBe(200);
    expect(result.isBase64Encoded).toBe(true);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(result.body, 'base64') as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.name).toBe('第1批');
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      '序号',
      '主体名称',
      '统一社会信用代码',
      '所属区县',
      '名单类型',
      '认定部门',
      '列入日期',
      '退出日期',
      '退出原因',
      '撤销公示系统',
      '撤销公示日期',
      '审核单位',
    ]);
    expect(sheet.getRow(2).getCell(2).value).toBe(`'=HYPERLINK("http://evil.example","点击")`);
    expect(sheet.getRow(3).getCell(12).value).toBe('桥西区信用办');
  });

  it('gives JSON by default, and 404 for a batch that does not exist', async () => {
    const exits = await seedOneBatch();
    const result = await getReport('1');
    expect(result.json.report).toMatchObject({
      reportId: '1',
      exitCount: 2,
      createdBy: { principal: 'city-officer', role: 'city' },
    });
    expect(result.json.lines).toEqual([
      expect.objectContaining({
        position: 1,
        exitId: exits[0]?.exitId,
        reviewedBy: '长安区信用办',
        reasonLabel: '已注销',
      }),
      expect.objectContaining({
        position: 2,
        exitId: exits[1]?.exitId,
        reviewedBy: '桥西区信用办',
        districtName: '桥西区',
      }),
    ]);
    expect((await getReport('2')).statusCode).toBe(404);
    expect((await getReport('x')).statusCode).toBe(400);
  });
});

describe('the trail of a batch', () => {
  it('records who made the batch and, on each exit, the batch it went into', async () => {
    // Prepare
    table = await createTestTable('exit-reports-trail', { stream: true });
    store = { client: table.documentClient, tableName: table.tableName, clock: { now: () => NOW } };
    handler = createExitsHandler({ store }) as unknown as typeof handler;
    const [exit] = confirmed(1);
    await putExits(store, [exit as ExitSubmission]);
    // Act
    expect((await postReport()).statusCode).toBe(201);
    const reader = trailReader(table);
    await reader.drain();
    await reader.stop();
    // Assess
    const entries = await allTrailEntries(table);
    const report = entries.find((entry) => entry.itemType === 'exit-report');
    expect(report).toMatchObject({ changedBy: { principal: 'city-officer', role: 'city' } });
    const marked = entries.filter(
      (entry) => entry.itemType === 'exit' && JSON.stringify(entry.changes ?? entry).includes('reportId'),
    );
    expect(marked).toHaveLength(1);
  });
});
