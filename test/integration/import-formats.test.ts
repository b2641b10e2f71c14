/**
 * The shapes files arrive in (docs/files.md, Formats and encodings): CSV in UTF-8, UTF-8 with BOM or GBK, told apart by
 * their bytes; workbooks with several sheets, a merged title and blank rows above the header; dates
 * in every form; the list type from the title, a label column, the file name or the source.
 */
import { describe, expect, it } from 'vitest';
import type { ListType } from '#domain/model.ts';
import { getListings, getSubject } from '#storage/subject-store.ts';
import { getImport, readRowErrors } from '../../functions/storage/import-store.ts';
import { createTestTable } from '../support/dynamo.ts';
import {
  COURT_HEADER,
  courtRows,
  dropImportId,
  excelSerial,
  gbkCsv,
  makeUscc,
  utf8Csv,
  xlsxFile,
} from '../support/files.ts';
import { createImportHarness } from '../support/imports.ts';

/** A harness on a table of its own: every court or push file is diffed against what its table holds. */
async function freshHarness() {
  return createImportHarness(await createTestTable('import-formats'));
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('CSV encodings, detected from the bytes', () => {
  it.each([
    { encoding: 'UTF-8', encode: (rows: string[][]) => utf8Csv(rows) },
    { encoding: 'UTF-8 with BOM', encode: (rows: string[][]) => utf8Csv(rows, { bom: true }) },
    { encoding: 'GBK', encode: gbkCsv },
  ])('reads a $encoding file and keeps its Chinese intact', async ({ encode }) => {
    // Prepare: the file name says nothing about the encoding
    const harness = await freshHarness();
    const rows = courtRows(3, 10, '新华区');
    const key = harness.drop('court', '失信被执行人名单.csv', encode([[...COURT_HEADER], ...rows]));
    // Act
    await harness.notify(key);
    // Assess
    const receipt = await getImport(harness.deps.store, dropImportId(key));
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.counts).toMatchObject({ rows: 3, accepted: 3, rejected: 0, listingsNew: 3 });
    const subject = await getSubject(harness.deps.store, makeUscc(10));
    expect(subject?.name).toBe('石家庄测试商贸有限公司10');
    expect(subject?.district).toBe('130105');
    const [listing] = await getListings(harness.deps.store, makeUscc(10));
    expect(listing?.department).toBe('长安区人民法院');
    expect(listing?.key).toBe('(2022)冀0102执10号');
  });

  it('reads a workbook by its bytes even when it is named .csv', async () => {
    // Prepare
    const harness = await freshHarness();
    const workbook = await xlsxFile([{ name: 'Sheet1', rows: [[...COURT_HEADER], ...courtRows(2, 20)] }]);
    const key = harness.drop('court', '其实是工作簿.csv', workbook);
    // Act
    await harness.notify(key);
    // Assess
    const receipt = await getImport(harness.deps.store, dropImportId(key));
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.counts?.listingsNew).toBe(2);
  });
});

describe('workbooks', () => {
  it('reads every sheet with a header, past a merged title and blank rows, with Excel row numbers', async () => {
    // Prepare
    const harness = await freshHarness();
    const header = ['序号', '企业名称', '统一社会信用代码', '所属区县', '执行法院', '案号', '列入日期'];
    const workbook = await xlsxFile([
      { name: '填表说明', rows: [['本表由各法院填报'], ['日期格式为 yyyy-mm-dd']] },
      {
        name: '第一批',
        merges: ['A1:G1'],
        rows: [
          ['石家庄市失信被执行人名单（2022年11月）'],
          null,
          null,
          header,
          ['1', '石家庄甲公司', makeUscc(31), '长安区', '长安区人民法院', '(2022)冀0102执31号', '2022-11-01'],
          ['2', '石家庄乙公司', makeUscc(32), '桥西区', '桥西区人民法院', '(2022)冀0104执32号', '2022-11-02'],
          [
            '3',
            '石家庄错码公司',
            '914403001922038217',
            '桥西区',
            '桥西区人民法院',
            '(2022)冀0104执33号',
            '2022-11-02',
          ],
          header,
          ['4', '石家庄丙公司', makeUscc(34), '新华区', '新华区人民法院', '(2022)冀0105执34号', '2022-11-04'],
        ],
      },
      {
        name: '第二批',
        rows: [
          ['企业名称', '统一社会信用代码', '名单类型', '认定部门', '文书号', '认定日期'],
          [
            '石家庄丁公司',
            makeUscc(35),
            '重大税收违法失信主体',
            '长安区税务局',
            '石税罚〔2022〕35号',
            '2022-11-05',
          ],
          [
            '石家庄戊公司',
            makeUscc(36),
            '失信被执行人',
            '裕华区人民法院',
            '(2022)冀0108执36号',
            '2022-11-06',
          ],
        ],
      },
    ]);
    const key = harness.drop('push', '全市名单.xlsx', workbook);
    // Act
    await harness.notify(key);
    // Assess
    const importId = dropImportId(key);
    const receipt = await getImport(harness.deps.store, importId);
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.counts).toMatchObject({ rows: 6, accepted: 5, rejected: 1, listingsNew: 5 });
    const typeOf = async (serial: number) =>
      (await getListings(harness.deps.store, makeUscc(serial)))[0]?.listType;
    expect(await typeOf(31)).toBe('court-debtor');
    expect(await typeOf(34)).toBe('court-debtor');
    expect(await typeOf(35)).toBe('tax-violation');
    expect(await typeOf(36)).toBe('court-debtor');
    const errors = await collect(readRowErrors(harness.deps.store, importId));
    const rejected = errors.filter((error) => error.problems.some((problem) => problem.severity === 'error'));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ sheet: '第一批', line: 7 });
    expect(rejected[0]?.problems[0]).toMatchObject({ field: 'uscc', value: '914403001922038217' });
    // the second sheet has no district column: its districts are inferred from the codes, with a note
    const notes = errors.filter((error) => error.sheet === '第二批').map((error) => error.line);
    expect(notes).toEqual([2, 3]);
    expect((await getSubject(harness.deps.store, makeUscc(35)))?.districtSource).toBe('inferred-from-uscc');
  });
});

describe('dates', () => {
  it('reads 2022-11-03, 2022/11/3, 20221103, 2022年11月3日 and an Excel serial in a CSV', async () => {
    // Prepare
    const harness = await freshHarness();
    const forms = ['2022-11-03', '2022/11/3', '20221103', '2022年11月3日', String(excelSerial('2022-11-03'))];
    const rows = forms.map((listedAt, index) => [
      `石家庄日期测试公司${index}`,
      makeUscc(40 + index),
      '长安区',
      '长安区人民法院',
      `(2022)冀0102执4${index}号`,
      listedAt,
    ]);
    const key = harness.drop('court', '日期.csv', utf8Csv([[...COURT_HEADER], ...rows]));
    // Act
    await harness.notify(key);
    // Assess
    expect((await getImport(harness.deps.store, dropImportId(key)))?.counts?.accepted).toBe(5);
    for (const index of forms.keys()) {
      const [listing] = await getListings(harness.deps.store, makeUscc(40 + index));
      expect(listing?.listedAt).toBe('2022-11-03');
    }
  });

  it('reads date cells and serial numbers of a workbook', async () => {
    // Prepare
    const harness = await freshHarness();
    const workbook = await xlsxFile([
      {
        name: 'Sheet1',
        rows: [
          [...COURT_HEADER, '截止日期'],
          [
            '石家庄日期甲',
            makeUscc(50),
            '长安区',
            '长安区人民法院',
            '(2022)冀0102执50号',
            new Date(Date.UTC(2022, 10, 3)),
            new Date(Date.UTC(2024, 10, 2)),
          ],
          [
            '石家庄日期乙',
            makeUscc(51),
            '长安区',
            '长安区人民法院',
            '(2022)冀0102执51号',
            excelSerial('2022-11-03'),
            '2024年11月2日',
          ],
        ],
      },
    ]);
    const key = harness.drop('court', '日期.xlsx', workbook);
    // Act
    await harness.notify(key);
    // Assess
    for (const serial of [50, 51]) {
      const [listing] = await getListings(harness.deps.store, makeUscc(serial));
      expect(listing).toMatchObject({ listedAt: '2022-11-03', endsAt: '2024-11-02' });
    }
  });
});

describe('list type', () => {
  const header = ['企业名称', '统一社会信用代码', '所属区县', '认定部门', '文书号', '认定日期'];
  const row = (serial: number) => [
    `石家庄类型测试公司${serial}`,
    makeUscc(serial),
    '长安区',
    '石家庄市某部门',
    `文书${serial}号`,
    '2022-11-03',
  ];

  it.each<{ from: string; fileName: string; title?: string; source: string; expected: ListType }>([
    {
      from: 'the title above the header',
      fileName: '名单.csv',
      title: '石家庄市重大税收违法失信主体名单（2022年11月）',
      source: 'push',
      expected: 'tax-violation',
    },
    {
      from: 'the file name',
      fileName: '政府采购严重违法失信名单.csv',
      source: 'push',
      expected: 'procurement-violation',
    },
    { from: 'the source folder', fileName: '名单.csv', source: 'market', expected: 'market-violation' },
  ])('takes it from $from', async ({ fileName, title, source, expected }) => {
    // Prepare
    const harness = await freshHarness();
    const lines = [...(title === undefined ? [] : [[title], []]), header, row(60)];
    const key = harness.drop(source, fileName, utf8Csv(lines));
    // Act
    await harness.notify(key);
    // Assess
    const receipt = await getImport(harness.deps.store, dropImportId(key));
    expect(receipt?.counts?.accepted).toBe(1);
    expect((await getListings(harness.deps.store, makeUscc(60)))[0]?.listType).toBe(expected);
  });

  it('takes it from a label column, row by row, over the title', async () => {
    // Prepare
    const harness = await freshHarness();
    const key = harness.drop(
      'push',
      '名单.csv',
      utf8Csv([
        ['石家庄市失信被执行人名单'],
        [...header, '名单类型'],
        [...row(61), '重大税收违法失信主体名单'],
        [...row(62), '市场监管严重违法失信名单'],
        [...row(63), ''],
      ]),
    );
    // Act
    await harness.notify(key);
    // Assess
    const typeOf = async (serial: number) =>
      (await getListings(harness.deps.store, makeUscc(serial)))[0]?.listType;
    expect(await typeOf(61)).toBe('tax-violation');
    expect(await typeOf(62)).toBe('market-violation');
    expect(await typeOf(63)).toBe('court-debtor');
  });

  it('reports a push row whose list type nothing names', async () => {
    // Prepare
    const harness = await freshHarness();
    const key = harness.drop('push', '名单.csv', utf8Csv([header, row(64)]));
    // Act
    await harness.notify(key);
    // Assess
    const importId = dropImportId(key);
    expect((await getImport(harness.deps.store, importId))?.counts).toMatchObject({
      rejected: 1,
      accepted: 0,
    });
    const [error] = await collect(readRowErrors(harness.deps.store, importId));
    expect(error?.line).toBe(2);
    expect(error?.problems[0]?.field).toBe('listType');
    expect(error?.problems[0]?.message).toMatch(/名单类型/);
  });
});
