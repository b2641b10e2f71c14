import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  FIELD_ALIASES,
  FIELD_NAMES,
  type FieldName,
  fieldForHeader,
  findHeader,
  type HeaderMatch,
  headerOptionsForSource,
  mapRows,
  normalizeHeader,
} from '../../../functions/import/parse/header.ts';
import { readSheetRows, type SheetRow } from '../../../functions/import/parse/rows.ts';
import { parseListTypeLabel } from '../../../functions/import/parse/values.ts';
import { chunksOf, collect, DEFAULT_LIMITS, rejectionOf, utf8, xlsxBytes } from './support.ts';

function sheetRows(sheet: string, rows: readonly (readonly string[])[], firstLine = 1): SheetRow[] {
  return rows.map((cells, i) => ({ sheet, line: firstLine + i, cells: [...cells] }));
}

async function* streamOf(rows: readonly SheetRow[]): AsyncGenerator<SheetRow> {
  yield* rows;
}

function mapFile(bytes: Uint8Array, options: Parameters<typeof mapRows>[1] = {}) {
  return collect(mapRows(readSheetRows(chunksOf(bytes), DEFAULT_LIMITS), options));
}

describe('FIELD_ALIASES', () => {
  it('covers every field and names no header for two fields', () => {
    const owners = new Map<string, FieldName>();
    for (const field of FIELD_NAMES) {
      expect(FIELD_ALIASES[field].length, field).toBeGreaterThan(0);
      for (const alias of FIELD_ALIASES[field]) {
        const key = normalizeHeader(alias);
        expect(owners.get(key), `${alias} of ${field}`).toBeUndefined();
        owners.set(key, field);
        expect(fieldForHeader(alias)).toBe(field);
      }
    }
  });
});

describe('fieldForHeader', () => {
  it.each([
    [' 统一社会信用代码 ', 'uscc'],
    ['统一社会 信用代码*', 'uscc'],
    ['*企业名称：', 'name'],
    ['企业名称:', 'name'],
    ['县（市、区）', 'district'],
    ['县(市,区)', 'district'],
    ['县（市，区）', 'district'],
    ['被执行人姓名／名称', 'name'],
    ['列入日期（格式：2022-01-01）', 'listedAt'],
    ['法人企业数（户）', 'enterpriseCount'],
    ['统计月份', 'month'],
    ['身份证号码', 'personId'],
    ['证件号码', 'personId'],
    ['身份证号码/组织机构代码', 'uscc'],
    ['被执行人的履行情况', 'performance'],
  ])('maps %j to %s', (header, field) => {
    expect(fieldForHeader(header)).toBe(field);
  });

  it.each(['', '序号', '备注', '法定代表人', '法定代表人身份证号码'])('knows no field in %j', (header) => {
    expect(fieldForHeader(header)).toBeUndefined();
  });
});

describe('findHeader', () => {
  it('finds the header under a title and blank rows, with the title kept', () => {
    // Prepare
    const rows = sheetRows('名单', [
      ['石家庄市失信被执行人名单（2022年11月）'],
      [],
      ['', ''],
      ['序号', '被执行人姓名/名称', '身份证号码/组织机构代码', '执行法院', '法定代表人'],
    ]);
    // Act
    const header = findHeader(rows);
    // Assess
    expect(header).toMatchObject({
      sheet: '名单',
      line: 4,
      titleLabel: '石家庄市失信被执行人名单（2022年11月）',
    });
    expect([...(header?.columns ?? [])]).toEqual([
      [1, 'name'],
      [2, 'uscc'],
      [3, 'department'],
    ]);
    expect(header?.unknownColumns).toEqual([
      { index: 0, header: '序号' },
      { index: 4, header: '法定代表人' },
    ]);
  });

  it('wants two fields, one of them an identifier', () => {
    expect(findHeader(sheetRows('s', [['企业名称']]))).toBeUndefined();
    expect(findHeader(sheetRows('s', [['所属区县', '列入日期', '认定部门']]))).toBeUndefined();
    expect(findHeader(sheetRows('s', [['企业名称', '备注', '所属区县']]))?.line).toBe(1);
  });

  it('lets district and enterprise count do for the enterprise-counts source', () => {
    const rows = sheetRows('s', [['2022年11月法人企业数统计表'], ['区县', '法人企业数（户）']]);
    expect(findHeader(rows)).toBeUndefined();
    expect(findHeader(rows, headerOptionsForSource('enterprise-counts'))).toMatchObject({
      line: 2,
      titleLabel: '2022年11月法人企业数统计表',
    });
  });

  it('looks no further than 20 non-blank rows of a sheet, then tries the next sheet', () => {
    // Prepare
    const notes = Array.from({ length: 20 }, (_, i) => [`说明第 ${i + 1} 条`]);
    const rows = [
      ...sheetRows('说明', [...notes, ['企业名称', '统一社会信用代码']]),
      ...sheetRows('名单', [['企业名称', '统一社会信用代码']]),
    ];
    // Act / Assess
    expect(findHeader(rows)).toMatchObject({ sheet: '名单', line: 1 });
  });

  it('keeps the first column of a field and lists the repeats', () => {
    const header = findHeader(sheetRows('s', [['企业名称', '名称', '统一社会信用代码']]));
    expect(header?.duplicateColumns).toEqual([{ index: 1, header: '名称', field: 'name' }]);
  });
});

describe('mapRows', () => {
  it('maps a 10-row GBK list with full-width and lower-case codes, values trimmed and kept as written', async () => {
    // Prepare
    const lines = [
      '企业名称,统一社会信用代码,所属区县,名单类型,列入日期,备注',
      ...Array.from({ length: 10 }, (_, i) =>
        [
          ` 石家庄第${i + 1}商贸有限公司　`,
          i % 2 === 0 ? '９１１３０１０２ＭＡ０ＣＸＸＸＸ１Ｘ' : '91130102ma0cxxxx1x',
          '长安区',
          '失信被执行人',
          '2022/11/3',
          i === 9 ? '' : '无',
        ].join(','),
      ),
    ];
    // Act
    const rows = await mapFile(iconv.encode(lines.join('\r\n'), 'gbk'));
    // Assess
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual({
      sheet: '',
      line: 2,
      fields: {
        name: '石家庄第1商贸有限公司',
        uscc: '９１１３０１０２ＭＡ０ＣＸＸＸＸ１Ｘ',
        district: '长安区',
        listType: '失信被执行人',
        listedAt: '2022/11/3',
      },
    });
    expect(rows[1]?.fields.uscc).toBe('91130102ma0cxxxx1x');
    expect(rows.map((row) => row.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('skips blank rows, rows with nothing mapped, and the header repeated on each page', async () => {
    // Prepare
    const rows = sheetRows('名单', [
      ['企业名称', '统一社会信用代码', '备注'],
      ['甲公司', '914403001922038216', ''],
      ['', '', ''],
      ['', '', '只有备注'],
      [' 企业名称 ', '统一社会信用代码＊', '备注'],
      ['乙公司', '', ''],
    ]);
    // Act
    const mapped = await collect(mapRows(streamOf(rows)));
    // Assess
    expect(mapped).toEqual([
      { sheet: '名单', line: 2, fields: { name: '甲公司', uscc: '914403001922038216' } },
      { sheet: '名单', line: 6, fields: { name: '乙公司' } },
    ]);
  });

  it('reads every sheet with a header, reports the others, and carries each sheet title', async () => {
    // Prepare
    const bytes = await xlsxBytes((workbook) => {
      const court = workbook.addWorksheet('法院');
      court.mergeCells('A1:C1');
      court.getCell('A1').value = '石家庄市失信被执行人名单（2022年11月）';
      court.getRow(3).values = ['被执行人姓名/名称', '身份证号码/组织机构代码', '执行法院'];
      court.getRow(4).values = ['甲公司', '914403001922038216', '长安区人民法院'];
      workbook.addWorksheet('填表说明').addRows([['请勿修改表头'], ['日期格式为 yyyy-mm-dd']]);
      const tax = workbook.addWorksheet('税务');
      tax.addRow(['重大税收违法失信主体名单']);
      tax.addRow(['纳税人名称', '纳税人识别号', '列入日期']);
      tax.addRow(['乙公司', '91330100799655058B', { formula: 'DATE(2022,11,3)', result: 44868 }]);
      tax.getCell('C3').numFmt = 'yyyy-mm-dd';
    });
    const headers: HeaderMatch[] = [];
    const skipped: string[] = [];
    // Act
    const rows = await mapFile(bytes, {
      onHeader: (header) => headers.push(header),
      onSheetSkipped: (sheet) => skipped.push(sheet),
    });
    // Assess
    expect(rows).toEqual([
      {
        sheet: '法院',
        line: 4,
        fields: { name: '甲公司', uscc: '914403001922038216', department: '长安区人民法院' },
        titleLabel: '石家庄市失信被执行人名单（2022年11月）',
      },
      {
        sheet: '税务',
        line: 3,
        fields: { name: '乙公司', uscc: '91330100799655058B', listedAt: '2022-11-03' },
        titleLabel: '重大税收违法失信主体名单',
      },
    ]);
    expect(headers.map((header) => [header.sheet, header.line])).toEqual([
      ['法院', 3],
      ['税务', 2],
    ]);
    expect(skipped).toEqual(['填表说明']);
    expect(rows.map((row) => parseListTypeLabel(row.titleLabel ?? ''))).toEqual([
      'court-debtor',
      'tax-violation',
    ]);
  });

  it('refuses a file in which no sheet has a header', async () => {
    const error = await rejectionOf(mapFile(utf8('序号,备注\n1,无\n')));
    expect(error.reason).toBe('no-header');
    expect(error.message).toContain('前 20 行');
  });

  it('lets a header-only file through with no rows', async () => {
    expect(await mapFile(utf8('企业名称,统一社会信用代码\r\n'))).toEqual([]);
  });
});
