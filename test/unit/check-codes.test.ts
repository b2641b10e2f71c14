import { describe, expect, it } from 'vitest';
import { MAX_CHECK_FILE_CODES, readCheckCodes } from '../../functions/import/check-codes.ts';
import { chunksOf, DEFAULT_LIMITS, rejectionOf, utf8, xlsxBytes } from './parse/support.ts';

function read(bytes: Uint8Array) {
  return readCheckCodes(chunksOf(bytes), DEFAULT_LIMITS);
}

describe('readCheckCodes', () => {
  it('reads the code column under its header, skipping blank cells and a repeated header', async () => {
    // Prepare
    const csv = [
      '核查清单',
      '序号,统一社会信用代码,名称',
      '1,914403001922038216,甲',
      '2,,乙',
      '',
      '序号,统一社会信用代码,名称',
      '3,19220382-1,丙',
    ];

    // Act
    const codes = await read(utf8(csv.join('\n')));

    // Assess
    expect(codes).toEqual([
      { sheet: '', line: 3, code: '914403001922038216' },
      { sheet: '', line: 7, code: '19220382-1' },
    ]);
  });

  it('finds the header of each sheet of a workbook on its own', async () => {
    const xlsx = await xlsxBytes((workbook) => {
      workbook.addWorksheet('一').addRows([['代码'], ['914403001922038216']]);
      workbook.addWorksheet('二').addRows([['说明'], ['名称', '组织机构代码'], ['丙', '192203821']]);
    });
    expect(await read(xlsx)).toEqual([
      { sheet: '一', line: 2, code: '914403001922038216' },
      { sheet: '二', line: 3, code: '192203821' },
    ]);
  });

  it('refuses a file with no code header, or with nothing under it, in Chinese', async () => {
    expect(await rejectionOf(read(utf8('名称\n甲公司\n')))).toMatchObject({
      reason: 'no-header',
      message: expect.stringMatching(/统一社会信用代码/),
    });
    expect(await rejectionOf(read(utf8('代码\n\n')))).toMatchObject({ reason: 'no-data-rows' });
  });

  it(`refuses a file of more than ${MAX_CHECK_FILE_CODES} codes`, async () => {
    const rows = ['代码', ...Array.from({ length: MAX_CHECK_FILE_CODES + 1 }, () => '914403001922038216')];
    expect(await rejectionOf(read(utf8(rows.join('\n'))))).toMatchObject({
      reason: 'too-many-rows',
      message: expect.stringMatching(/10000/),
    });
  });
});
