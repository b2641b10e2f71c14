/**
 * Workbooks that expand far beyond their size are refused while they are read: the inflated size of
 * each part, of the shared strings and of the whole archive, and a cell or row past a CSV record's
 * bound.
 */
import { describe, expect, it } from 'vitest';
import { XLSX_LIMITS, type XlsxLimits } from '../../../functions/import/parse/limits.ts';
import { readXlsxRows } from '../../../functions/import/parse/xlsx-rows.ts';
import { bombWorkbook } from '../../support/xlsx-bomb.ts';
import { chunksOf, collect, readAll, rejectionOf, xlsxBytes } from './support.ts';

async function* buffers(bytes: Uint8Array): AsyncGenerator<Buffer> {
  for await (const chunk of chunksOf(bytes, 65_536)) yield Buffer.from(chunk);
}

function readWithLimits(bytes: Uint8Array, limits: Partial<XlsxLimits>) {
  return collect(readXlsxRows(buffers(bytes), { ...XLSX_LIMITS, ...limits }));
}

/** A workbook of `rows` rows of distinct text, so that both its worksheet and its shared strings grow. */
function listWorkbook(rows: number): Promise<Buffer> {
  return xlsxBytes((workbook) => {
    const sheet = workbook.addWorksheet('名单');
    sheet.addRow(['企业名称', '统一社会信用代码']);
    for (let row = 1; row <= rows; row++) sheet.addRow([`石家庄测试商贸有限公司${row}`, `案号${row}`]);
  });
}

describe('readSheetRows on a workbook that expands past its limits', () => {
  it('reads the crafted workbook when its one value is small', async () => {
    // Prepare
    const file = await bombWorkbook({ kind: 'shared-string', bytes: 1000 });
    // Act
    const rows = await readAll(file);
    // Assess
    expect(rows.map((row) => row.cells[0]?.length)).toEqual([4, 1000]);
  });

  it.each(['shared-string', 'inline-cell'] as const)(
    'refuses a 20 MB %s in a file of a few kilobytes, while reading it',
    async (kind) => {
      // Prepare
      const file = await bombWorkbook({ kind, bytes: 20_000_000 });
      expect(file.length).toBeLessThan(100_000);
      // Act
      const error = await rejectionOf(readAll(file));
      // Assess
      expect(error.reason).toBe('too-large');
      expect(error.message).toBe('Excel 文件中有单元格或文本的内容超过 1 MB 的上限，请检查后重新上传');
    },
  );

  it('refuses a row whose cells all show one long shared string', async () => {
    // Prepare: each cell is under the cell limit, the row is over a CSV record's
    const long = 'a'.repeat(300_000);
    const file = await xlsxBytes((workbook) => {
      const sheet = workbook.addWorksheet('名单');
      sheet.addRow(['企业名称', '备注1', '备注2', '备注3']);
      sheet.addRow([long, long, long, long]);
    });
    // Act
    const error = await rejectionOf(readAll(file));
    // Assess
    expect(error.reason).toBe('too-large');
    expect(error.message).toMatch(/工作表“名单”第 2 行的内容超过 1 MB/);
  });

  it.each<[string, Partial<XlsxLimits>, RegExp]>([
    ['the shared strings', { sharedStringsBytes: 20_000 }, /xl\/sharedStrings\.xml 解压后超过/],
    ['a worksheet', { worksheetBytes: 20_000 }, /xl\/worksheets\/sheet1\.xml 解压后超过/],
    ['the styles', { otherPartBytes: 1_000 }, /xl\/styles\.xml 解压后超过/],
    ['the whole archive', { workbookBytes: 40_000 }, /Excel 文件解压后超过/],
  ])('refuses a workbook when %s inflate past the limit', async (_what, limits, message) => {
    // Prepare
    const file = await listWorkbook(2_000);
    expect((await readWithLimits(file, {})).length).toBe(2_001);
    // Act
    const error = await rejectionOf(readWithLimits(file, limits));
    // Assess
    expect(error.reason).toBe('too-large');
    expect(error.message).toMatch(message);
  });
});
