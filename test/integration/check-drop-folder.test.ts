/**
 * A file of codes dropped in `incoming/check/`, carried as the local runtime carries every drop: the
 * drop watcher announces it as an S3 notification on the file queue, the queue hands it to the import
 * worker's handler as an SQS event, and the worker answers it instead of importing it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_RESULT_HEADERS } from '#shared/check-result-files.ts';
import { createImportHandler } from '../../functions/import/create-handler.ts';
import { createDropWatcher } from '../../local/drop-watcher.ts';
import { createImportQueue } from '../../local/queue.ts';
import { seedCheckSubjects, usccOf } from '../support/checks.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import { createImportHarness, type ImportHarness } from '../support/imports.ts';
import { allTrailEntries, type TrailReader, trailReader } from '../support/trail.ts';
import { xlsxBytes } from '../unit/parse/support.ts';

const LISTED = usccOf(1);
const ENDED = usccOf(2);
const UNKNOWN = usccOf(3);
/** LISTED's organisation code (positions 9–17), written with its dash. */
const LISTED_ORG = `${LISTED.slice(8, 16)}-${LISTED.charAt(16)}`;

let table: TestTable;
let harness: ImportHarness;
let trail: TrailReader;

/** Drops files into `incoming/check/` and runs the local watcher and queue until all is handled. */
async function dropAndRun(files: Record<string, string | Uint8Array>): Promise<void> {
  const folder = join(harness.root, 'incoming', 'check');
  await mkdir(folder, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(join(folder, name), content);
  const queue = createImportQueue({
    queueDir: await mkdtemp(join(tmpdir(), 'check-queue-')),
    handler: createImportHandler(harness.deps),
    pollIntervalMs: 5,
  });
  const watcher = createDropWatcher({
    dropDir: harness.root,
    bucketName: 'local-dropbox',
    enqueue: (body) => queue.enqueue(body),
  });
  queue.start();
  // a file is announced once its size held still across two polls
  await watcher.pollOnce();
  await watcher.pollOnce();
  await queue.idle();
  await queue.stop();
}

/** The one file under `folder/<id>/` of the drop folder with this name. */
function archived(folder: string, name: string): string | undefined {
  const root = join(harness.root, folder, 'check');
  if (!existsSync(root)) return undefined;
  const ids = readdirSync(root).filter((id) => existsSync(join(root, id, name)));
  return ids.length === 1 ? join(root, ids[0] as string, name) : undefined;
}

function outgoing(name: string): string {
  return join(harness.root, 'outgoing', 'check', name);
}

beforeAll(async () => {
  table = await createTestTable('check-drop', { stream: true });
  harness = createImportHarness(table);
  await seedCheckSubjects(harness.deps.store, { listed: [LISTED], unlisted: [ENDED] });
  trail = trailReader(table);
  await trail.drain();
});

afterAll(async () => {
  await trail.stop();
});

describe('a file of codes in incoming/check/', () => {
  it('answers a CSV in outgoing/check/ as CSV (BOM, Chinese headers, formulas neutralised) and XLSX', async () => {
    // Prepare
    const csv = [
      '统一社会信用代码',
      LISTED,
      '=HYPERLINK("http://example.test")',
      '',
      UNKNOWN.toLowerCase(),
      LISTED_ORG,
      ENDED,
    ].join('\r\n');

    // Act
    await dropAndRun({ '企业名单.csv': csv });

    // Assess: the CSV, row by row in the file's order
    const text = readFileSync(outgoing('企业名单-结果.csv'), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(CHECK_RESULT_HEADERS.join(','));
    const cells = lines.slice(1).map((line) => line.split(','));
    expect(cells.map((row) => [row[1], row[4]])).toEqual([
      ['2', '已列入'],
      ['3', '无法核查'],
      ['5', '未列入'],
      ['6', '已列入'],
      ['7', '未列入'],
    ]);
    expect(cells[0]).toEqual(
      expect.arrayContaining([LISTED, '重大税收违法失信主体', '国家税务总局石家庄市税务局', '约束清单']),
    );
    expect(cells[0]?.[9]).toContain('限制财政资金补贴和项目支持（自2026-05-01起）');
    expect(cells[0]?.[10]).toBe('分类规则 C1');
    expect(lines[2]).toMatch(/^,3,"'=HYPERLINK\(""http:\/\/example.test""\)"/);
    expect(cells[3]?.[3]).toBe(LISTED);

    // the XLSX holds the same rows
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(outgoing('企业名单-结果.xlsx')) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.name).toBe('核查结果');
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...CHECK_RESULT_HEADERS]);
    expect(sheet.getRow(2).getCell(5).text).toBe('已列入');
    expect(sheet.getRow(3).getCell(3).text).toBe(`'=HYPERLINK("http://example.test")`);
    expect(sheet.rowCount).toBe(6);

    // the file is archived, and nothing of it was imported
    expect(archived('processed', '企业名单.csv')).toBeDefined();
    expect(existsSync(join(harness.root, 'incoming', 'check', '企业名单.csv'))).toBe(false);
  });

  it('reads an XLSX under a title row with the header 代码, and records the check for the trail', async () => {
    // Prepare
    await trail.drain();
    const before = (await allTrailEntries(table)).length;
    const xlsx = await xlsxBytes((workbook) => {
      const sheet = workbook.addWorksheet('补贴申请');
      sheet.addRow(['2026年第二季度补贴申请企业']);
      sheet.addRow(['序号', '代码', '企业名称']);
      sheet.addRow([1, LISTED, '甲公司']);
      sheet.addRow([2, UNKNOWN, '乙公司']);
    });

    // Act
    await dropAndRun({ '补贴申请.xlsx': xlsx });

    // Assess
    const lines = readFileSync(outgoing('补贴申请-结果.csv'), 'utf8').trimEnd().split('\r\n');
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 5))).toEqual([
      ['补贴申请', '3', LISTED, LISTED, '已列入'],
      ['补贴申请', '4', UNKNOWN, UNKNOWN, '未列入'],
    ]);
    await trail.drain();
    const entries = await allTrailEntries(table);
    // one check of two codes: one entry
    expect(entries.length - before).toBe(1);
    const check = entries.find((entry) =>
      String((entry.changes as Record<string, { after?: unknown }>).fileKey?.after).endsWith('补贴申请.xlsx'),
    );
    expect(check).toMatchObject({
      event: 'created',
      changedBy: { principal: 'drop-folder', cause: { kind: 'request' } },
      changes: {
        channel: { after: 'drop-folder' },
        codes: {
          after: [
            { code: LISTED, uscc: LISTED, listed: true },
            { code: UNKNOWN, uscc: UNKNOWN, listed: false },
          ],
        },
      },
    });
  });

  it('sets aside a file without a code header, with a report in Chinese, and answers nothing', async () => {
    // Act
    await dropAndRun({ '名单.csv': `企业名称\r\n甲公司\r\n` });

    // Assess
    const setAside = archived('rejected', '名单.csv');
    expect(setAside).toBeDefined();
    expect(readFileSync(`${setAside}.错误报告.txt`, 'utf8')).toMatch(/未核查[\s\S]*统一社会信用代码/);
    expect(existsSync(outgoing('名单-结果.csv'))).toBe(false);
  });
});
