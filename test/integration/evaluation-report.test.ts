/**
 * The evaluation's report files against DynamoDB Local and a drop folder on disk: the evaluate function
 * writes the three files and the manifest under reports/<month>/; GET /evaluations/{month}/report serves
 * the stored file to the city, a district office its own rendering, a stale month rendered again with
 * the banner, a month rerun by a path that wrote no files rendered from the new snapshot, 404 for a
 * month never evaluated, 403 for a department.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { planExitListing, planRecordListing } from '#domain/changes.ts';
import { DISTRICTS } from '#domain/district.ts';
import type { EvaluationSnapshot } from '#domain/evaluation.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { createReportWriter } from '#shared/evaluation-report/report-files.ts';
import { silentLogger } from '#shared/logger.ts';
import type { DropStore } from '#shared/object-store.ts';
import { reportContextReader } from '#storage/evaluation-report-context.ts';
import { putEnterpriseCounts } from '#storage/evaluation-store.ts';
import { changeSubject, changeSubjectWith, type StoreDeps } from '#storage/subject-store.ts';
import { createApiHandler } from '../../functions/api/create-handler.ts';
import { createEvaluateHandler } from '../../functions/evaluate/create-handler.ts';
import { createFileDropStore } from '../../local/adapters/file-drop-store.ts';
import { createTestTable } from '../support/dynamo.ts';
import { makeUscc } from '../support/files.ts';
import { claims, httpEvent, testContext } from '../support/http-events.ts';

const ACTOR: ChangedBy = { principal: 'test', role: 'city', cause: { kind: 'system', id: 'report-test' } };

let now = new Date('2026-01-10T02:00:00Z');
let deps: StoreDeps;
let folder: string;
let drop: DropStore;
let evaluate: (event: unknown) => Promise<EvaluationSnapshot>;
let api: (event: unknown, context: unknown) => Promise<Result>;
type Result = {
  statusCode: number;
  body: string;
  headers?: Record<string, string>;
  isBase64Encoded?: boolean;
};

async function list(serial: number, district: string) {
  const uscc = makeUscc(serial, { prefix: '91' });
  const ref = { uscc, listType: 'court-debtor' as const, key: `(2025)冀执${serial}号` };
  await changeSubject(
    deps,
    uscc,
    ref,
    ACTOR,
    planRecordListing(
      { uscc, name: `石家庄报告${serial}有限公司`, district, districtSource: 'column' },
      { listType: ref.listType, key: ref.key, department: '长安区人民法院', source: 'test' },
      () => {},
    ),
  );
  return ref;
}

function report(month: string, format: string, who: Record<string, string> = claims.city) {
  return api(
    httpEvent({
      routeKey: 'GET /evaluations/{month}/report',
      path: `/evaluations/${month}/report`,
      pathParameters: { month },
      query: { format },
      claims: who,
    }),
    testContext,
  );
}

const stored = (name: string) => readFile(join(folder, 'reports', '2026-01', name), 'utf8');

let first: Awaited<ReturnType<typeof list>>;

beforeAll(async () => {
  const table = await createTestTable('evaluation-report');
  deps = { client: table.documentClient, tableName: table.tableName, clock: { now: () => now } };
  folder = await mkdtemp(join(tmpdir(), 'reports-'));
  drop = createFileDropStore(folder);
  evaluate = createEvaluateHandler({
    store: deps,
    drop,
    logger: silentLogger,
    writeReports: createReportWriter(drop, reportContextReader(deps)),
  });
  const handler = createApiHandler({ store: deps, drop: () => drop, queue: () => undefined });
  api = (event, context) => handler(event as never, context as never) as Promise<Result>;
  first = await list(1, '130102');
  await list(2, '130102');
  await list(3, '130104');
  await putEnterpriseCounts(
    deps,
    '2026-01',
    new Map([...DISTRICTS.map((d) => [d.code, 1000] as const), ['130102', 200], ['130104', 400]]),
    ACTOR,
  );
  now = new Date('2026-02-10T02:00:00Z');
  await evaluate({ source: 'manual', month: '2026-01' });
});

describe('the report files of a month', () => {
  it('are written under reports/<month>/ by the evaluation, with the manifest of the run', async () => {
    // Act
    const csv = await stored('评价报告-2026-01.csv');
    const html = await stored('评价报告-2026-01.html');
    const manifest = JSON.parse(await stored('manifest.json'));
    // Assess
    expect(csv.startsWith('\uFEFF区县,代码,列入企业数,法人企业数')).toBe(true);
    expect(csv).toContain('长安区,130102,2,200,2026-01,1.0000%,24,');
    expect(html).toContain('data-district="130104"');
    expect(manifest).toMatchObject({ month: '2026-01', computedAt: '2026-02-10T02:00:00.000Z' });
    expect(manifest.files).toHaveLength(3);
  });

  it('are served to the city as stored, with their types and Chinese file names', async () => {
    // Act
    const csv = await report('2026-01', 'csv');
    const xlsx = await report('2026-01', 'xlsx');
    const html = await report('2026-01', 'html');
    // Assess
    expect(csv.statusCode).toBe(200);
    expect(csv.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers?.['content-disposition']).toBe(
      `attachment; filename="evaluation-report-2026-01.csv"; filename*=UTF-8''${encodeURIComponent('评价报告-2026-01.csv')}`,
    );
    expect(csv.body).toBe(await stored('评价报告-2026-01.csv'));
    expect(xlsx.isBase64Encoded).toBe(true);
    expect(xlsx.headers?.['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(xlsx.body, 'base64') as never);
    expect(workbook.getWorksheet('评价报告')?.getRow(2).getCell(6).numFmt).toBe('0.00%');
    expect(html.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(html.headers?.['content-disposition']).toMatch(/^inline; /);
    expect(html.headers?.['content-security-policy']).toContain("default-src 'none'");
    expect(html.body).toBe(await stored('评价报告-2026-01.html'));
  });

  it('shows a district office the city figure and its own row only', async () => {
    // Act
    const csv = await report('2026-01', 'csv', claims.district('130104'));
    const html = await report('2026-01', 'html', claims.district('130104'));
    // Assess
    expect(csv.statusCode).toBe(200);
    expect(csv.headers?.['content-disposition']).toContain(encodeURIComponent('评价报告-2026-01-桥西区.csv'));
    const names = csv.body
      .split('\r\n')
      .filter((line) => line !== '')
      .map((line) => line.split(',')[0]);
    expect(names).toEqual(['\uFEFF区县', '全市', '桥西区']);
    expect(html.body).toContain('（桥西区）');
    expect(html.body).not.toContain('长安区');
  });

  it('answers 404 in Chinese for a month never evaluated, 403 to a department, 400 to a bad format', async () => {
    // Act
    const missing = await report('2025-12', 'html');
    const department = await report('2026-01', 'csv', claims.department('长安区人民法院', '130102'));
    const badFormat = await report('2026-01', 'pdf');
    // Assess
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body).detail).toContain('2025-12 尚未评估，没有评价报告');
    expect(department.statusCode).toBe(403);
    expect(badFormat.statusCode).toBe(400);
    expect(JSON.parse(badFormat.body).detail).toContain('格式（format）须为 csv、xlsx 或 html');
  });

  it('says stale after a late exit in the month, and after a rerun that wrote no files shows the new figures', async () => {
    // Prepare: an exit confirmed in February whose effective month is January
    await changeSubjectWith(
      deps,
      first.uscc,
      ACTOR,
      () => [{ ref: first, planner: planExitListing('performed') }],
      () => [],
      { flowMonth: '2026-01' },
    );
    // Act
    const stale = await report('2026-01', 'html');
    now = new Date('2026-02-10T03:00:00Z');
    const rerun = await api(
      httpEvent({
        routeKey: 'POST /evaluations/{month}',
        path: '/evaluations/2026-01',
        pathParameters: { month: '2026-01' },
        claims: claims.city,
      }),
      testContext,
    );
    const afterRerun = await report('2026-01', 'csv');
    // Assess
    expect(stale.body).toContain('本报告已过期');
    expect(stale.body).not.toBe(await stored('评价报告-2026-01.html'));
    expect(rerun.statusCode).toBe(200);
    expect(afterRerun.body).toContain('长安区,130102,1,200,2026-01,0.5000%');
    expect(await stored('评价报告-2026-01.csv')).toContain('长安区,130102,2,200');
  });
});
