/**
 * Row by row (docs/files.md, A bad row; docs/codes.md): bad rows reported where the user sees them
 * and never stopping the good ones; codes normalised; districts mapped or left for the city office; and
 * natural persons skipped with nothing of them stored anywhere.
 */
import { describe, expect, it } from 'vitest';
import { UNASSIGNED_DISTRICT } from '#domain/model.ts';
import type { Logger } from '#shared/logger.ts';
import { readCurrentCounters } from '#storage/counter-store.ts';
import { getListings, getSubject } from '#storage/subject-store.ts';
import { handleMessage } from '../../functions/import/create-handler.ts';
import { getImport, readRowErrors } from '../../functions/storage/import-store.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import {
  COURT_HEADER,
  courtRow,
  dropImportId,
  makeUscc,
  residentId,
  scanTable,
  utf8Csv,
} from '../support/files.ts';
import { createImportHarness, s3NotificationBody } from '../support/imports.ts';
import { trailReader } from '../support/trail.ts';

let lastTable: TestTable;

async function freshHarness() {
  lastTable = await createTestTable('import-rows', { stream: true });
  return createImportHarness(lastTable);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('bad rows', () => {
  it('reports each bad row by the line the user sees, its field and a Chinese message; the good rows land', async () => {
    // Prepare: a title on line 1, a blank line 2, the header on line 3; the first data row's reason spans
    // lines 4 and 5, so the bad rows sit on lines 6, 7 and 8
    const harness = await freshHarness();
    const header = [...COURT_HEADER, '列入原因'];
    const lines = [
      ['石家庄市失信被执行人名单'],
      [],
      header,
      [
        ...courtRow({ name: '石家庄好公司甲', uscc: makeUscc(1), caseNo: '(2022)冀0102执1号' }),
        '有履行能力而拒不履行\n生效法律文书确定义务',
      ],
      [...courtRow({ name: '石家庄错码公司', uscc: '914403001922038217', caseNo: '(2022)冀0102执2号' }), ''],
      [...courtRow({ name: '', uscc: makeUscc(3), caseNo: '(2022)冀0102执3号' }), ''],
      [
        ...courtRow({
          name: '石家庄坏日期公司',
          uscc: makeUscc(4),
          caseNo: '(2022)冀0102执4号',
          listedAt: '2022-13-45',
        }),
        '',
      ],
      [...courtRow({ name: '石家庄好公司乙', uscc: makeUscc(5), caseNo: '(2022)冀0102执5号' }), ''],
    ];
    const key = harness.drop('court', '失信被执行人.csv', utf8Csv(lines));
    const importId = dropImportId(key);
    // Act
    await harness.notify(key);
    // Assess
    const receipt = await getImport(harness.deps.store, importId);
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.counts).toMatchObject({ rows: 5, accepted: 2, rejected: 3, listingsNew: 2 });
    expect((await getSubject(harness.deps.store, makeUscc(1)))?.name).toBe('石家庄好公司甲');
    expect((await getListings(harness.deps.store, makeUscc(1)))[0]?.reason).toContain('拒不履行');
    expect(await getSubject(harness.deps.store, makeUscc(5))).toBeDefined();
    expect(await getSubject(harness.deps.store, makeUscc(3))).toBeUndefined();
    expect(await getSubject(harness.deps.store, makeUscc(4))).toBeUndefined();
    const errors = await collect(readRowErrors(harness.deps.store, importId));
    expect(errors.map((error) => [error.line, error.problems.map((problem) => problem.field)])).toEqual([
      [6, ['uscc']],
      [7, ['name']],
      [8, ['listedAt']],
    ]);
    expect(errors[0]?.problems[0]).toMatchObject({
      message: '统一社会信用代码第18位校验码不正确，请核对代码是否录入有误',
      value: '914403001922038217',
      severity: 'error',
    });
    expect(errors[1]?.problems[0]?.message).toBe('缺少主体名称');
    expect(errors[2]?.problems[0]).toMatchObject({ message: '无法识别的列入日期', value: '2022-13-45' });
  });

  it('normalises full-width, spaced and lower-case codes, and reports look-alike letters instead of guessing', async () => {
    // Prepare
    const harness = await freshHarness();
    const rows = [
      courtRow({
        name: '全角代码公司',
        uscc: '９１４４０３００１９２２０３８２１６',
        caseNo: '(2022)冀0102执11号',
      }),
      courtRow({ name: '小写代码公司', uscc: '9144030071526726xg', caseNo: '(2022)冀0102执12号' }),
      courtRow({ name: '带空格代码公司', uscc: ' 9133 0100 7996 5505 8B ', caseNo: '(2022)冀0102执13号' }),
      courtRow({
        name: '字母O代码公司',
        uscc: '91130000677356885K'.replace('0', 'O'),
        caseNo: '(2022)冀0102执14号',
      }),
    ];
    const key = harness.drop('court', '代码.csv', utf8Csv([[...COURT_HEADER], ...rows]));
    // Act
    await harness.notify(key);
    // Assess
    const importId = dropImportId(key);
    expect((await getImport(harness.deps.store, importId))?.counts).toMatchObject({
      accepted: 3,
      rejected: 1,
    });
    expect((await getSubject(harness.deps.store, '914403001922038216'))?.name).toBe('全角代码公司');
    expect((await getSubject(harness.deps.store, '9144030071526726XG'))?.name).toBe('小写代码公司');
    expect((await getSubject(harness.deps.store, '91330100799655058B'))?.name).toBe('带空格代码公司');
    const [lookAlike] = await collect(readRowErrors(harness.deps.store, importId));
    expect(lookAlike?.line).toBe(5);
    expect(lookAlike?.problems[0]?.message).toMatch(/不使用字母I、O、S、V、Z/);
  });
});

describe('older lists that carry an organisation code', () => {
  it('match the code to the subject whose USCC embeds it, and report a code nobody has', async () => {
    // Prepare: a subject known by its USCC, then a market list naming it by its old code
    const harness = await freshHarness();
    const uscc = makeUscc(51);
    await harness.notify(
      harness.drop(
        'court',
        '名单.csv',
        utf8Csv([
          [...COURT_HEADER],
          courtRow({ name: '石家庄老代码公司', uscc, caseNo: '(2022)冀0102执51号' }),
        ]),
      ),
    );
    const orgCode = `${uscc.slice(8, 16)}-${uscc.charAt(16)}`;
    const unknown = makeUscc(52);
    const header = ['当事人名称', '组织机构代码', '所属区县', '作出决定机关', '决定书文号', '列入日期'];
    const key = harness.drop(
      'market',
      '老名单.csv',
      utf8Csv([
        header,
        ['石家庄老代码公司', orgCode, '长安区', '长安区市场监督管理局', '长市监〔2015〕1号', '2015-06-01'],
        [
          '查无此码公司',
          `${unknown.slice(8, 16)}-${unknown.charAt(16)}`,
          '长安区',
          '长安区市场监督管理局',
          '长市监〔2015〕2号',
          '2015-06-01',
        ],
      ]),
    );
    // Act
    await harness.notify(key);
    // Assess
    const importId = dropImportId(key);
    expect((await getImport(harness.deps.store, importId))?.counts).toMatchObject({
      accepted: 1,
      rejected: 1,
    });
    const listings = await getListings(harness.deps.store, uscc);
    expect(listings.map((listing) => listing.listType).sort()).toEqual(['court-debtor', 'market-violation']);
    const [error] = await collect(readRowErrors(harness.deps.store, importId));
    expect(error?.line).toBe(3);
    expect(error?.problems[0]?.message).toMatch(/未匹配到系统中已有主体/);
  });
});

describe('districts', () => {
  it('maps abolished division codes and names to their successors, with a note', async () => {
    // Prepare
    const harness = await freshHarness();
    const rows = [
      courtRow({
        name: '藁城老代码公司',
        uscc: makeUscc(21),
        district: '130182',
        caseNo: '(2022)冀0182执21号',
      }),
      courtRow({
        name: '鹿泉老名称公司',
        uscc: makeUscc(22),
        district: '石家庄市鹿泉市',
        caseNo: '(2022)冀0185执22号',
      }),
    ];
    const key = harness.drop('court', '老区划.csv', utf8Csv([[...COURT_HEADER], ...rows]));
    // Act
    await harness.notify(key);
    // Assess
    const importId = dropImportId(key);
    expect(await getSubject(harness.deps.store, makeUscc(21))).toMatchObject({
      district: '130109',
      districtSource: 'column',
    });
    expect((await getSubject(harness.deps.store, makeUscc(22)))?.district).toBe('130110');
    expect((await getListings(harness.deps.store, makeUscc(21)))[0]?.district).toBe('130109');
    const counters = await readCurrentCounters(harness.deps.store);
    expect(counters.get('130109')?.listedSubjects).toBe(1);
    const notes = await collect(readRowErrors(harness.deps.store, importId));
    expect(notes.map((note) => note.problems[0]?.severity)).toEqual(['warning', 'warning']);
    expect(notes[0]?.problems[0]?.message).toContain('藁城');
    expect((await getImport(harness.deps.store, importId))?.counts).toMatchObject({
      accepted: 2,
      warnings: 2,
    });
  });

  it('leaves a subject of an unknown district unassigned, counts it, and counts it under UNASSIGNED', async () => {
    // Prepare: the column names a place outside the city; the code's division is Shenzhen's
    const harness = await freshHarness();
    const rows = [
      courtRow({
        name: '外地公司',
        uscc: '914403001922038216',
        district: '北京市朝阳区',
        caseNo: '(2022)冀0102执31号',
      }),
      courtRow({ name: '本地公司', uscc: makeUscc(32), district: '长安区', caseNo: '(2022)冀0102执32号' }),
    ];
    const key = harness.drop('court', '外地.csv', utf8Csv([[...COURT_HEADER], ...rows]));
    // Act
    await harness.notify(key);
    // Assess
    const receipt = await getImport(harness.deps.store, dropImportId(key));
    expect(receipt?.counts).toMatchObject({ accepted: 2, unassigned: 1 });
    expect(await getSubject(harness.deps.store, '914403001922038216')).toMatchObject({
      district: UNASSIGNED_DISTRICT,
      districtSource: 'unassigned',
    });
    const counters = await readCurrentCounters(harness.deps.store);
    expect(counters.get(UNASSIGNED_DISTRICT)?.listedSubjects).toBe(1);
    expect(counters.get('130102')?.listedSubjects).toBe(1);
  });
});

describe('natural persons and legal representatives', () => {
  const person18 = residentId('13010219800101123');
  const masked = '1301021980****1234';
  const person15 = '130102800101123';
  const separateColumnId = residentId('13010419751231002');
  const legalRepresentative = '王法人';
  const legalRepresentativeId = residentId('13010519700315004');
  /** Some exports put the legal representative's ID in a plain 身份证号码 column beside the code. */
  const representativeInIdColumn = residentId('13010819660708005');
  const personal = [
    representativeInIdColumn,
    '周代表',
    person18,
    masked,
    person15,
    separateColumnId,
    '张自然',
    '李遮蔽',
    '赵旧证',
    '钱分列',
    legalRepresentative,
    legalRepresentativeId,
    '(2022)冀0102执人1号',
    '(2022)冀0102执人2号',
    '(2022)冀0102执人3号',
    '(2022)冀0102执人4号',
  ];

  it('skips and counts persons, stores nothing of them or of legal representatives anywhere', async () => {
    // Prepare
    const harness = await freshHarness();
    const header = [
      '被执行人姓名/名称',
      '统一社会信用代码',
      '身份证号码',
      '法定代表人',
      '法人身份证号',
      '所属区县',
      '执行法院',
      '案号',
      '发布时间',
    ];
    const court = ['长安区', '长安区人民法院'];
    const rows = [
      [
        '石家庄有法人公司',
        makeUscc(41),
        '',
        legalRepresentative,
        legalRepresentativeId,
        ...court,
        '(2022)冀0102执41号',
        '2022-11-03',
      ],
      ['张自然', person18, '', '', '', ...court, '(2022)冀0102执人1号', '2022-11-03'],
      ['李遮蔽', masked, '', '', '', ...court, '(2022)冀0102执人2号', '2022-11-03'],
      ['赵旧证', person15, '', '', '', ...court, '(2022)冀0102执人3号', '2022-11-03'],
      ['钱分列', '', separateColumnId, '', '', ...court, '(2022)冀0102执人4号', '2022-11-03'],
      [
        '石家庄另一公司',
        makeUscc(42),
        representativeInIdColumn,
        '周代表',
        '',
        ...court,
        '(2022)冀0102执42号',
        '2022-11-03',
      ],
    ];
    const key = harness.drop('court', '含自然人.csv', utf8Csv([header, ...rows]));
    const importId = dropImportId(key);
    const logged: string[] = [];
    const capture = (base: Record<string, unknown>): Logger => {
      const write = (message: string, fields?: Record<string, unknown>) =>
        logged.push(JSON.stringify({ message, ...base, ...fields }));
      return { info: write, warn: write, error: write, child: (fields) => capture({ ...base, ...fields }) };
    };
    // Act
    await handleMessage({ ...harness.deps, log: capture({}) }, s3NotificationBody(key));
    // Assess
    const receipt = await getImport(harness.deps.store, importId);
    expect(receipt?.status).toBe('succeeded');
    expect(receipt?.counts).toMatchObject({
      rows: 6,
      accepted: 2,
      personsSkipped: 4,
      rejected: 0,
      listingsNew: 2,
    });
    // the trail, written from the stream, is part of the table that must hold nothing of them
    const trail = trailReader(lastTable);
    await trail.drain();
    await trail.stop();
    const everything = (await scanTable(harness.deps.store)).map((item) => JSON.stringify(item));
    expect(everything.some((item) => item.includes('石家庄有法人公司'))).toBe(true);
    expect(everything.some((item) => item.includes('"type":"audit"'))).toBe(true);
    for (const value of personal) {
      expect(everything.filter((item) => item.includes(value))).toEqual([]);
      expect(logged.filter((line) => line.includes(value))).toEqual([]);
    }
    const errors = await collect(readRowErrors(harness.deps.store, importId));
    expect(errors).toEqual(
      [3, 4, 5, 6].map((line) => ({
        sheet: '',
        sheetIndex: 0,
        line,
        problems: [{ field: 'uscc', message: '自然人信息，已跳过，不予存储', severity: 'skipped' }],
      })),
    );
    const subject = await getSubject(harness.deps.store, makeUscc(41));
    expect(subject?.name).toBe('石家庄有法人公司');
  });
});
