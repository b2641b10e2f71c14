/**
 * Hostile and broken files (docs/files.md, A bad file): each is rejected whole, moved to `rejected/` with a
 * report beside it, and nothing else is written: no subject, listing, counter, row error, chunk or
 * content hash. Also what a file with a header and no rows does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCurrentCounters } from '#storage/counter-store.ts';
import type { ImportSettings } from '../../functions/import/worker.ts';
import { getImport } from '../../functions/storage/import-store.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import {
  COURT_HEADER,
  courtRows,
  dropImportId,
  itemsOfType,
  ole2File,
  pseudoRandomBytes,
  scanTable,
  utf8Csv,
  xlsxFile,
  zipFile,
} from '../support/files.ts';
import { createImportHarness } from '../support/imports.ts';
import { bombWorkbook } from '../support/xlsx-bomb.ts';

/** Item types an import may leave behind for a file it rejected: its receipt, nothing else. */
const DOMAIN_TYPES = [
  'subject',
  'listing',
  'audit',
  'counter',
  'flow',
  'enterprise-count',
  'import-error',
  'import-chunk',
  'import-hash',
];

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable('import-rejected');
});

/**
 * A file that starts as a good UTF-8 list and turns into GBK far past the bytes the detector reads (the
 * first read of the drop folder's stream, 64 KB): the change is found while the file is scanned.
 */
function encodingChangesLate(): Buffer {
  const good = utf8Csv([[...COURT_HEADER], ...courtRows(1200)]);
  const late = iconv.encode(
    '石家庄后段公司,91130102000000019M,长安区,长安区人民法院,(2022)冀0102执999号,2022-11-03\r\n',
    'gbk',
  );
  return Buffer.concat([good, late]);
}

async function truncatedWorkbook(): Promise<Buffer> {
  const whole = await xlsxFile([{ name: 'Sheet1', rows: [[...COURT_HEADER], ...courtRows(200)] }]);
  return whole.subarray(0, Math.floor(whole.length / 2));
}

describe('files rejected whole', () => {
  it.each<{
    what: string;
    source?: string;
    fileName: string;
    content: () => Buffer | Promise<Buffer>;
    reason: string;
    message: RegExp;
    settings?: Partial<ImportSettings>;
  }>([
    {
      what: 'an empty file',
      fileName: '空文件.csv',
      content: () => Buffer.alloc(0),
      reason: 'empty',
      message: /文件为空/,
    },
    {
      what: 'a BOM and nothing else',
      fileName: '只有BOM.csv',
      content: () => Buffer.from([0xef, 0xbb, 0xbf]),
      reason: 'empty',
      message: /文件为空/,
    },
    {
      what: 'random bytes',
      fileName: '乱码.csv',
      content: () => pseudoRandomBytes(4096, 7),
      reason: 'not-a-spreadsheet',
      message: /无法识别的文件格式/,
    },
    {
      what: 'a ZIP that is not a workbook',
      fileName: '压缩包.xlsx',
      content: () => zipFile([{ name: '名单.txt', content: '这不是工作簿' }]),
      reason: 'not-a-spreadsheet',
      message: /不是 Excel 工作簿/,
    },
    {
      what: 'a workbook cut in half',
      fileName: '损坏.xlsx',
      content: truncatedWorkbook,
      reason: 'not-a-spreadsheet',
      message: /Excel/,
    },
    {
      what: 'an old .xls (OLE2) file',
      fileName: '名单.xls',
      content: ole2File,
      reason: 'not-a-spreadsheet',
      message: /旧版 Excel（\.xls）/,
    },
    {
      what: 'a UTF-16 text',
      fileName: 'unicode.csv',
      content: () =>
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(COURT_HEADER.join('\t'), 'utf16le')]),
      reason: 'encoding',
      message: /UTF-16/,
    },
    {
      what: 'a file with no recognisable header',
      fileName: '无表头.csv',
      content: () =>
        utf8Csv([
          ['编号', '备注'],
          ['1', '甲'],
          ['2', '乙'],
        ]),
      reason: 'no-header',
      message: /未在前 20 行找到表头/,
    },
    {
      what: 'a file whose encoding changes after 100 KB',
      fileName: '混合编码.csv',
      content: encodingChangesLate,
      reason: 'encoding',
      message: /同一种编码/,
    },
    {
      what: 'a file over the size limit',
      fileName: '太大.csv',
      content: () => utf8Csv([[...COURT_HEADER], ...courtRows(50)]),
      reason: 'too-large',
      message: /上限/,
      settings: { maxBytes: 2048 },
    },
    {
      what: 'a file over the row limit',
      fileName: '太多行.csv',
      content: () => utf8Csv([[...COURT_HEADER], ...courtRows(50)]),
      reason: 'too-many-rows',
      message: /行的上限/,
      settings: { maxRows: 20 },
    },
    {
      what: 'a 300 KB workbook whose one shared string expands to 300 MB',
      fileName: '共享文本炸弹.xlsx',
      content: () => bombWorkbook({ kind: 'shared-string', bytes: 300_000_000 }),
      reason: 'too-large',
      message: /单元格或文本的内容超过 1 MB 的上限/,
    },
    {
      what: 'a workbook whose one inline cell expands to 30 MB',
      fileName: '单元格炸弹.xlsx',
      content: () => bombWorkbook({ kind: 'inline-cell', bytes: 30_000_000 }),
      reason: 'too-large',
      message: /单元格或文本的内容超过 1 MB 的上限/,
    },
    {
      what: 'a file in a folder that is no source',
      source: 'finance',
      fileName: '名单.csv',
      content: () => utf8Csv([[...COURT_HEADER], ...courtRows(3)]),
      reason: 'unknown-source',
      message: /未知的数据来源目录“finance”/,
    },
  ])('rejects $what, with a report beside it and nothing else written', async (input) => {
    // Prepare
    const harness = createImportHarness(
      table,
      input.settings === undefined ? {} : { settings: input.settings },
    );
    const source = input.source ?? 'court';
    const key = harness.drop(source, input.fileName, await input.content());
    const importId = dropImportId(key);
    // Act
    await harness.notify(key);
    // Assess
    const receipt = await getImport(harness.deps.store, importId);
    expect(receipt).toMatchObject({ status: 'rejected', rejectReason: input.reason });
    expect(receipt?.rejectMessage).toMatch(input.message);
    const rejectedKey = `rejected/${source}/${importId}/${input.fileName}`;
    expect(receipt?.key).toBe(rejectedKey);
    expect(existsSync(join(harness.root, key))).toBe(false);
    expect(existsSync(join(harness.root, rejectedKey))).toBe(true);
    const report = readFileSync(join(harness.root, `${rejectedKey}.错误报告.txt`), 'utf8');
    expect(report).toContain(input.fileName);
    expect(report).toContain('整份文件未导入');
    expect(report).toContain(receipt?.rejectMessage);
    const ofThisImport = (await scanTable(harness.deps.store)).filter(
      (item) => item.PK === `IMPORT#${importId}`,
    );
    expect(ofThisImport.map((item) => item.SK)).toEqual(['META']);
    expect(await itemsOfType(harness.deps.store, ...DOMAIN_TYPES)).toEqual([]);
  });

  it('ignores a notification for a key outside incoming/', async () => {
    // Prepare
    const harness = createImportHarness(table);
    const before = await scanTable(harness.deps.store);
    // Act
    await harness.notify('processed/court/somewhere/名单.csv');
    // Assess
    expect(await scanTable(harness.deps.store)).toEqual(before);
  });
});

const PUSH_HEADER = [
  '主体名称',
  '统一社会信用代码',
  '所属区县',
  '名单类型',
  '认定部门',
  '文书号',
  '认定日期',
];

describe('a file with a header and no data rows', () => {
  it.each<{ what: string; source: string; fileName: string; content: () => Buffer | Promise<Buffer> }>([
    {
      what: 'a court list, header only',
      source: 'court',
      fileName: '只有表头.csv',
      content: () => utf8Csv([[...COURT_HEADER]]),
    },
    {
      what: 'a push, header only',
      source: 'push',
      fileName: '推送只有表头.csv',
      content: () => utf8Csv([PUSH_HEADER]),
    },
    {
      what: 'a court list whose rows are all blank',
      source: 'court',
      fileName: '空行.csv',
      content: () => utf8Csv([[...COURT_HEADER], ['', '', '', '', '', ''], ['  ', '', '　', '', '', ''], []]),
    },
    {
      what: 'a workbook with a title, a header and blank rows',
      source: 'court',
      fileName: '只有表头.xlsx',
      content: () =>
        xlsxFile([
          { name: '失信名单', rows: [['失信被执行人名单'], null, [...COURT_HEADER], null, ['', ' ']] },
        ]),
    },
  ])(
    'rejects $what as having no data rows, before any diff or hold, when its list holds active listings',
    async (input) => {
      // Prepare: the list (and every list, for the push) holds three active listings
      const harness = createImportHarness(await createTestTable('import-header-only'));
      await harness.notify(harness.drop('court', '名单.csv', utf8Csv([[...COURT_HEADER], ...courtRows(3)])));
      const listingsBefore = await itemsOfType(harness.deps.store, 'listing');
      const countersBefore = await readCurrentCounters(harness.deps.store);
      const key = harness.drop(input.source, input.fileName, await input.content());
      const importId = dropImportId(key);
      // Act
      await harness.notify(key);
      // Assess
      const receipt = await getImport(harness.deps.store, importId);
      expect(receipt).toMatchObject({ status: 'rejected', rejectReason: 'no-data-rows' });
      expect(receipt?.rejectMessage).toMatch(/文件只有表头，没有数据行/);
      expect(receipt?.diff).toBeUndefined();
      expect(receipt?.heldMessage).toBeUndefined();
      const rejectedKey = `rejected/${input.source}/${importId}/${input.fileName}`;
      expect(existsSync(join(harness.root, rejectedKey))).toBe(true);
      expect(readFileSync(join(harness.root, `${rejectedKey}.错误报告.txt`), 'utf8')).toContain(
        '文件只有表头',
      );
      expect(await itemsOfType(harness.deps.store, 'listing')).toEqual(listingsBefore);
      expect(await readCurrentCounters(harness.deps.store)).toEqual(countersBefore);
      const ofThisImport = (await scanTable(harness.deps.store)).filter(
        (item) => item.PK === `IMPORT#${importId}`,
      );
      expect(ofThisImport.map((item) => item.SK)).toEqual(['META']);
    },
  );
});
