import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { readSheetRows } from '../../../functions/import/parse/rows.ts';
import { chunksOf, DEFAULT_LIMITS, readAll, rejectionOf, xlsxBytes } from './support.ts';

const HEADER = ['企业名称', '统一社会信用代码', '列入日期', '备注'];

/** A court list as offices send it: a merged title, blank rows, then the header on row 4. */
async function courtListWorkbook(): Promise<Buffer> {
  return xlsxBytes((workbook) => {
    const list = workbook.addWorksheet('失信名单');
    list.mergeCells('A1:D1');
    list.getCell('A1').value = '石家庄市失信被执行人名单（2022年11月）';
    list.getRow(4).values = HEADER;
    list.getRow(5).values = [
      '甲公司',
      '91130102MA0CXXXX1X',
      new Date(Date.UTC(2022, 10, 3)),
      { formula: 'A5&"（分）"', result: '甲公司（分）' },
    ];
    list.getRow(6).values = [
      { richText: [{ text: '乙' }, { text: '商贸', font: { bold: true } }, { text: '公司' }] },
      { text: '914403001922038216', hyperlink: 'https://www.gsxt.gov.cn' },
      44868,
      { formula: 'DATE(2022,11,3)', result: 44868 },
    ];
    list.getCell('D6').numFmt = 'yyyy"年"m"月"d"日"';
    list.getRow(7).values = [true, Number('914403001922038216'), 0.1 + 0.2, { error: '#N/A' }];
    list.getCell('F7').style = { font: { bold: true } };
    list.getRow(8).values = ['丙公司', { formula: 'SUM(1,2)' }, 1234567890123, 'x'];
    workbook.addWorksheet('说明');
    workbook.addWorksheet('续表').addRows([HEADER, ['丁公司', '91330100799655058B', '2022/11/4']]);
  });
}

describe('readSheetRows on XLSX', () => {
  it('reads every sheet in order, with Excel row numbers', async () => {
    // Act
    const rows = await readAll(await courtListWorkbook());
    // Assess
    expect(rows.map((row) => [row.sheet, row.line])).toEqual([
      ['失信名单', 1],
      ['失信名单', 4],
      ['失信名单', 5],
      ['失信名单', 6],
      ['失信名单', 7],
      ['失信名单', 8],
      ['续表', 1],
      ['续表', 2],
    ]);
  });

  it('turns each cell into the text the user sees', async () => {
    // Act
    const rows = await readAll(await courtListWorkbook());
    // Assess
    const cells = rows.map((row) => row.cells);
    expect(cells[0]).toEqual(['石家庄市失信被执行人名单（2022年11月）']);
    expect(cells[1]).toEqual(HEADER);
    // a date cell; a formula's cached result, never its text
    expect(cells[2]).toEqual(['甲公司', '91130102MA0CXXXX1X', '2022-11-03', '甲公司（分）']);
    // rich text joined; a hyperlink's text; a serial left a number; a date-formatted formula a date
    expect(cells[3]).toEqual(['乙商贸公司', '914403001922038216', '44868', '2022-11-03']);
    // booleans as Excel shows them, big numbers without exponent, errors as shown, style-only cells dropped
    expect(cells[4]).toEqual(['TRUE', '914403001922038000', '0.3', '#N/A']);
    // a formula with no cached result is empty, not its text
    expect(cells[5]).toEqual(['丙公司', '', '1234567890123', 'x']);
    expect(cells[7]).toEqual(['丁公司', '91330100799655058B', '2022/11/4']);
  });

  it('stops at the first rows when the reader stops', async () => {
    // Prepare
    const bytes = await courtListWorkbook();
    // Act
    const seen = [];
    for await (const row of readSheetRows(chunksOf(bytes, 512), DEFAULT_LIMITS)) {
      seen.push(row);
      if (seen.length === 2) break;
    }
    // Assess
    expect(seen.map((row) => row.line)).toEqual([1, 4]);
  });

  it('refuses a ZIP that holds no workbook', async () => {
    // Prepare
    const zip = new JSZip();
    zip.file('readme.txt', '这不是表格');
    zip.file('word/document.xml', '<w:document/>');
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    // Act
    const error = await rejectionOf(readAll(bytes));
    // Assess
    expect(error.reason).toBe('not-a-spreadsheet');
  });

  it('refuses a broken workbook', async () => {
    const truncated = (await courtListWorkbook()).subarray(0, 3000);
    expect((await rejectionOf(readAll(truncated))).reason).toBe('not-a-spreadsheet');
    const zip = new JSZip();
    zip.file('xl/worksheets/sheet1.xml', '<worksheet><sheetData><row r="1"><<<');
    const garbled = await zip.generateAsync({ type: 'nodebuffer' });
    expect((await rejectionOf(readAll(garbled))).reason).toBe('not-a-spreadsheet');
  });

  it('refuses a workbook with no values as empty', async () => {
    const blank = await xlsxBytes((workbook) => {
      workbook.addWorksheet('Sheet1');
      workbook.addWorksheet('Sheet2').getCell('C3').style = { font: { italic: true } };
    });
    expect((await rejectionOf(readAll(blank))).reason).toBe('empty');
  });

  it('refuses a workbook past maxBytes as too large, not as broken', async () => {
    const bytes = await courtListWorkbook();
    const error = await rejectionOf(readAll(bytes, { maxBytes: Math.floor(bytes.length / 2) }));
    expect(error.reason).toBe('too-large');
  });

  it('refuses a workbook past maxRows', async () => {
    const bytes = await courtListWorkbook();
    expect((await rejectionOf(readAll(bytes, { maxBytes: 1e7, maxRows: 5 }))).reason).toBe('too-many-rows');
  });
});
