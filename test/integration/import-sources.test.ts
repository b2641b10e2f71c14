/**
 * Every drop-folder source (docs/files.md, Sources) through the real worker: a file dropped into
 * `incoming/<source>/`, its S3 notification delivered, and what lands in the table.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#storage/keys.ts';
import { getListings, getSubject } from '#storage/subject-store.ts';
import { getImport } from '../../functions/storage/import-store.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import { COURT_HEADER, courtRows, dropImportId, makeUscc, utf8Csv, xlsxFile } from '../support/files.ts';
import { createImportHarness } from '../support/imports.ts';
import { trailReader } from '../support/trail.ts';

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable('import-sources', { stream: true });
});

describe('department lists dropped into their source folder', () => {
  it.each([
    {
      source: 'court',
      listType: 'court-debtor',
      header: ['被执行人姓名/名称', '身份证号码/组织机构代码', '所属区县', '执行法院', '案号', '发布时间'],
      department: '长安区人民法院',
      serial: 100,
    },
    {
      source: 'tax',
      listType: 'tax-violation',
      header: ['纳税人名称', '纳税人识别号', '县(市、区)', '作出决定机关', '决定书文号', '公布日期'],
      department: '国家税务总局石家庄市长安区税务局',
      serial: 200,
    },
    {
      source: 'procurement',
      listType: 'procurement-violation',
      header: ['单位名称', '统一社会信用代码', '区县', '列入机关', '处罚决定书文号', '处罚日期'],
      department: '石家庄市财政局',
      serial: 300,
    },
    {
      source: 'market',
      listType: 'market-violation',
      header: ['当事人名称', '社会信用代码', '属地', '作出决定机关', '列入决定书文号', '列入日期'],
      department: '石家庄市市场监督管理局',
      serial: 400,
    },
  ])(
    'imports a $source file as $listType listings',
    async ({ source, listType, header, department, serial }) => {
      // Prepare
      const harness = createImportHarness(table);
      const rows = [0, 1, 2].map((offset) => [
        `石家庄${source}测试有限公司${offset}`,
        makeUscc(serial + offset),
        '长安区',
        department,
        `(2022)冀0102第${serial + offset}号`,
        '2022-11-03',
      ]);
      const key = harness.drop(source, `${source}名单.csv`, utf8Csv([header, ...rows]));
      const importId = dropImportId(key);
      // Act
      await harness.notify(key);
      // Assess
      const receipt = await getImport(harness.deps.store, importId);
      expect(receipt?.status).toBe('succeeded');
      expect(receipt?.source).toBe(source);
      expect(receipt?.counts).toMatchObject({
        rows: 3,
        accepted: 3,
        rejected: 0,
        listingsNew: 3,
        subjectsNew: 3,
      });
      const listings = await getListings(harness.deps.store, makeUscc(serial));
      expect(listings).toHaveLength(1);
      expect(listings[0]).toMatchObject({
        listType,
        department,
        key: `(2022)冀0102第${serial}号`,
        listedAt: '2022-11-03',
        status: 'active',
        district: '130102',
        source,
        importId,
      });
      // each new subject's history records the import: the subject and its listing created by it
      const trail = trailReader(table);
      const history = await trail.history(makeUscc(serial));
      await trail.stop();
      const byImport = { principal: 'drop-folder', role: 'system', cause: { kind: 'import', id: importId } };
      expect(history.map((entry) => [entry.itemType, entry.event, entry.changedBy])).toEqual(
        expect.arrayContaining([
          ['subject', 'created', byImport],
          ['listing', 'created', byImport],
        ]),
      );
      expect(history).toHaveLength(2);
      expect(existsSync(join(harness.root, key))).toBe(false);
      expect(existsSync(join(harness.root, `processed/${source}/${importId}/${source}名单.csv`))).toBe(true);
      // every row's subject has its one listing, written by this import
      for (const offset of [0, 1, 2]) {
        expect(await getListings(harness.deps.store, makeUscc(serial + offset))).toEqual([
          expect.objectContaining({ listType, importId }),
        ]);
      }
    },
  );
});

describe('the city push', () => {
  it('imports the consolidated list, each row of the list its label names', async () => {
    // Prepare: its own table, as a push is diffed against every list
    const pushTable = await createTestTable('import-push', { stream: true });
    const harness = createImportHarness(pushTable);
    const header = ['主体名称', '统一社会信用代码', '所属区县', '名单类型', '认定部门', '文书号', '认定日期'];
    const rows = [
      [
        '石家庄甲公司',
        makeUscc(1),
        '长安区',
        '失信被执行人',
        '长安区人民法院',
        '(2022)冀0102执1号',
        '2022-11-01',
      ],
      [
        '石家庄乙公司',
        makeUscc(2),
        '桥西区',
        '重大税收违法失信主体',
        '桥西区税务局',
        '石税稽罚〔2022〕2号',
        '2022-11-02',
      ],
      [
        '石家庄丙公司',
        makeUscc(3),
        '新华区',
        '政府采购严重违法失信名单',
        '石家庄市财政局',
        '石财采〔2022〕3号',
        '2022-11-03',
      ],
      [
        '石家庄丁公司',
        makeUscc(4),
        '裕华区',
        'market-violation',
        '裕华区市场监督管理局',
        '裕市监〔2022〕4号',
        '2022-11-04',
      ],
    ];
    const key = harness.drop('push', '全市严重失信主体名单.csv', utf8Csv([header, ...rows]));
    // Act
    await harness.notify(key);
    // Assess
    const receipt = await getImport(harness.deps.store, dropImportId(key));
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.counts).toMatchObject({ rows: 4, accepted: 4, listingsNew: 4, subjectsNew: 4 });
    expect(receipt?.diff).toMatchObject({ scope: '全部名单', activeBefore: 0, missing: 0 });
    const types = await Promise.all(
      [1, 2, 3, 4].map(
        async (serial) => (await getListings(harness.deps.store, makeUscc(serial)))[0]?.listType,
      ),
    );
    expect(types).toEqual(['court-debtor', 'tax-violation', 'procurement-violation', 'market-violation']);
    expect(receipt?.listTypes).toEqual(types);
    expect((await getSubject(harness.deps.store, makeUscc(2)))?.district).toBe('130104');
  });
});

describe('registry updates', () => {
  it('updates the subjects it tracks and leaves others alone', async () => {
    // Prepare: two listed subjects (in a table of their own: a court file is diffed against every court
    // listing), then a registry file naming them and one nobody listed
    const harness = createImportHarness(await createTestTable('import-registry', { stream: true }));
    const court = harness.drop(
      'court',
      '法院名单-登记.csv',
      utf8Csv([[...COURT_HEADER], ...courtRows(2, 500)]),
    );
    await harness.notify(court);
    expect((await getImport(harness.deps.store, dropImportId(court)))?.status).toBe('succeeded');
    const header = ['企业名称', '统一社会信用代码', '登记状态', '迁往', '是否失联', '破产状态', '经营异常'];
    const registry = harness.drop(
      'registry',
      '登记状态.csv',
      utf8Csv([
        header,
        ['石家庄测试商贸有限公司500', makeUscc(500), '注销', '', '否', '否', '否'],
        ['石家庄测试商贸有限公司501', makeUscc(501), '迁出', '北京市', '是', '破产重整', '是'],
        ['没有列入的公司', makeUscc(599), '存续', '', '否', '否', '否'],
      ]),
    );
    // Act
    await harness.notify(registry);
    // Assess
    const receipt = await getImport(harness.deps.store, dropImportId(registry));
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.counts).toMatchObject({ rows: 3, accepted: 3, registryUpdated: 2, registryUnknown: 1 });
    expect(await getSubject(harness.deps.store, makeUscc(500))).toMatchObject({
      registrationStatus: 'deregistered',
      flags: { lostContact: false, bankruptcy: false, abnormal: false },
    });
    expect(await getSubject(harness.deps.store, makeUscc(501))).toMatchObject({
      registrationStatus: 'moved-out',
      movedTo: '北京市',
      flags: { lostContact: true, bankruptcy: true, bankruptcyStage: '破产重整', abnormal: true },
    });
    expect(await getSubject(harness.deps.store, makeUscc(599))).toBeUndefined();
  });
});

describe('enterprise counts', () => {
  it('stores the denominator per district for the month the file name names', async () => {
    // Prepare
    const harness = createImportHarness(table);
    const key = harness.drop(
      'enterprise-counts',
      '法人企业数_202211.csv',
      utf8Csv([
        ['所属区县', '法人企业数'],
        ['长安区', '12,345'],
        ['130104', '9876'],
        ['石家庄高新技术产业开发区', '4321户'],
      ]),
    );
    // Act
    await harness.notify(key);
    // Assess
    const receipt = await getImport(harness.deps.store, dropImportId(key));
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.counts).toMatchObject({ rows: 3, accepted: 3, enterpriseCounts: 3 });
    const read = async (month: string, district: string) =>
      (
        await table.documentClient.send(
          new GetCommand({ TableName: table.tableName, Key: keys.enterpriseCount(month, district) }),
        )
      ).Item?.enterprises;
    expect(await read('2022-11', '130102')).toBe(12_345);
    expect(await read('2022-11', '130104')).toBe(9876);
    expect(await read('2022-11', '130171')).toBe(4321);
  });

  it('takes the month from a 月份 column of a workbook', async () => {
    // Prepare
    const harness = createImportHarness(table);
    const workbook = await xlsxFile([
      {
        name: '法人企业数',
        rows: [
          ['月份', '县(市、区)', '法人企业数量'],
          ['2022年12月', '正定县', 5432],
          ['2022-12', '辛集市', 2345],
        ],
      },
    ]);
    const key = harness.drop('enterprise-counts', '法人企业数.xlsx', workbook);
    // Act
    await harness.notify(key);
    // Assess
    const receipt = await getImport(harness.deps.store, dropImportId(key));
    expect(receipt?.counts).toMatchObject({ rows: 2, enterpriseCounts: 2 });
    const item = await table.documentClient.send(
      new GetCommand({ TableName: table.tableName, Key: keys.enterpriseCount('2022-12', '130123') }),
    );
    expect(item.Item?.enterprises).toBe(5432);
  });
});
