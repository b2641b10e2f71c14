/**
 * What imports do to the counters (docs/rules.md, What is counted): a subject's first listing moves `STAT#CURRENT`
 * and the month's flow (the month in Asia/Shanghai, from the injected clock); a registry row that moves
 * a subject moves its count; registry rows update status and flags without touching counts.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { COUNTER } from '#domain/counting.ts';
import { readCurrentCounters } from '#storage/counter-store.ts';
import { keys } from '#storage/keys.ts';
import { getListings, getSubject } from '#storage/subject-store.ts';
import { getImport } from '../../functions/storage/import-store.ts';
import { expectCountersEqualRecount } from '../support/counters.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import { COURT_HEADER, courtRow, dropImportId, makeUscc, readFlow, utf8Csv } from '../support/files.ts';
import { createImportHarness, type ImportHarness } from '../support/imports.ts';
import { trailReader } from '../support/trail.ts';

/** 2022-11-30 16:30 UTC is already 2022-12-01 00:30 in Shijiazhuang. */
const AT_MONTH_TURN = new Date('2022-11-30T16:30:00Z');
const _COUNTED = [COUNTER.listedSubjects, COUNTER.listedByPrefix('91')];
const REGISTRY_HEADER = [
  '企业名称',
  '统一社会信用代码',
  '所属区县',
  '登记状态',
  '是否失联',
  '破产状态',
  '经营异常',
];

let lastTable: TestTable;

async function freshHarness() {
  lastTable = await createTestTable('import-counters', { stream: true });
  return createImportHarness(lastTable, { now: () => AT_MONTH_TURN });
}

async function importCourt(harness: ImportHarness, fileName: string, rows: string[][]) {
  const key = harness.drop('court', fileName, utf8Csv([[...COURT_HEADER], ...rows]));
  await harness.notify(key);
  return getImport(harness.deps.store, dropImportId(key));
}

async function importRegistry(harness: ImportHarness, fileName: string, rows: string[][]) {
  const key = harness.drop('registry', fileName, utf8Csv([REGISTRY_HEADER, ...rows]));
  await harness.notify(key);
  return getImport(harness.deps.store, dropImportId(key));
}

describe('a new subject', () => {
  it('moves the current counter and the flow of the Shanghai month, once however many listings it gets', async () => {
    // Prepare
    const harness = await freshHarness();
    const uscc = makeUscc(1);
    // Act
    await importCourt(harness, '第一批.csv', [
      courtRow({ name: '石家庄首列公司', uscc, district: '长安区', caseNo: '(2022)冀0102执1号' }),
    ]);
    const first = await readCurrentCounters(harness.deps.store);
    await importCourt(harness, '第二批.csv', [
      courtRow({ name: '石家庄首列公司', uscc, district: '长安区', caseNo: '(2022)冀0102执1号' }),
      courtRow({ name: '石家庄首列公司', uscc, district: '长安区', caseNo: '(2022)冀0102执2号' }),
    ]);
    // Assess
    expect(first.get('130102')).toMatchObject({
      listedSubjects: 1,
      listed_91: 1,
      activeListings: 1,
      'active_court-debtor': 1,
    });
    const second = await readCurrentCounters(harness.deps.store);
    expect(second.get('130102')).toMatchObject({ listedSubjects: 1, listed_91: 1, activeListings: 2 });
    expect(await readFlow(harness.deps.store, '2022-12', '130102')).toMatchObject({
      newlyListed: 1,
      newlyListed_91: 1,
    });
    expect(await readFlow(harness.deps.store, '2022-11', '130102')).toBeUndefined();
    await expectCountersEqualRecount(harness.deps.store);
  });

  it('is not moved by a list row naming another district: a move is the registry’s business', async () => {
    // Prepare
    const harness = await freshHarness();
    const uscc = makeUscc(2);
    await importCourt(harness, '甲.csv', [
      courtRow({ name: '石家庄不动公司', uscc, district: '长安区', caseNo: '(2022)冀0102执3号' }),
    ]);
    // Act
    await importCourt(harness, '乙.csv', [
      courtRow({ name: '石家庄不动公司', uscc, district: '桥西区', caseNo: '(2022)冀0102执3号' }),
    ]);
    // Assess
    expect((await getSubject(harness.deps.store, uscc))?.district).toBe('130102');
    const counters = await readCurrentCounters(harness.deps.store);
    expect(counters.get('130102')?.listedSubjects).toBe(1);
    expect(counters.get('130104')?.listedSubjects ?? 0).toBe(0);
  });
});

describe('registry rows', () => {
  it('move a subject’s count, its listings and its flows when they move the subject', async () => {
    // Prepare
    const harness = await freshHarness();
    const moving = makeUscc(10);
    const staying = makeUscc(11);
    await importCourt(harness, '名单.csv', [
      courtRow({ name: '石家庄搬家公司', uscc: moving, district: '长安区', caseNo: '(2022)冀0102执10号' }),
      courtRow({ name: '石家庄不搬公司', uscc: staying, district: '长安区', caseNo: '(2022)冀0102执11号' }),
    ]);
    const before = await readCurrentCounters(harness.deps.store);
    // Act
    const receipt = await importRegistry(harness, '登记.csv', [
      ['石家庄搬家公司', moving, '桥西区', '存续', '否', '否', '否'],
      ['石家庄不搬公司', staying, '长安区', '存续', '否', '否', '否'],
    ]);
    // Assess
    expect(receipt?.counts).toMatchObject({ rows: 2, subjectsMoved: 1 });
    const after = await readCurrentCounters(harness.deps.store);
    expect(before.get('130102')?.listedSubjects).toBe(2);
    expect(after.get('130102')).toMatchObject({ listedSubjects: 1, listed_91: 1 });
    expect(after.get('130104')).toMatchObject({ listedSubjects: 1, listed_91: 1 });
    expect(await getSubject(harness.deps.store, moving)).toMatchObject({
      district: '130104',
      districtSource: 'column',
    });
    const [listing] = await getListings(harness.deps.store, moving);
    expect(listing?.district).toBe('130104');
    const stored = await harness.deps.store.client.send(
      new GetCommand({
        TableName: harness.deps.store.tableName,
        Key: keys.listing(moving, 'court-debtor', '(2022)冀0102执10号'),
      }),
    );
    expect(stored.Item?.GSI1PK).toBe('DIST#130104#ACTIVE');
    expect(await readFlow(harness.deps.store, '2022-12', '130102')).toMatchObject({ movedOut: 1 });
    expect(await readFlow(harness.deps.store, '2022-12', '130104')).toMatchObject({ movedIn: 1 });
    await expectCountersEqualRecount(harness.deps.store);
  });

  it('update status and flags, with a trail entry, and leave the counts alone', async () => {
    // Prepare
    const harness = await freshHarness();
    const uscc = makeUscc(20);
    await importCourt(harness, '名单.csv', [
      courtRow({ name: '石家庄吊销公司', uscc, district: '新华区', caseNo: '(2022)冀0105执20号' }),
    ]);
    const before = await readCurrentCounters(harness.deps.store);
    // Act
    const receipt = await importRegistry(harness, '登记.csv', [
      ['石家庄吊销公司', uscc, '新华区', '吊销，未注销', '是', '破产重整', '否'],
    ]);
    // Assess
    expect(receipt?.counts).toMatchObject({ registryUpdated: 1, subjectsMoved: 0 });
    expect(await getSubject(harness.deps.store, uscc)).toMatchObject({
      district: '130105',
      registrationStatus: 'revoked',
      flags: { lostContact: true, bankruptcy: true, bankruptcyStage: '破产重整', abnormal: false },
    });
    expect(await readCurrentCounters(harness.deps.store)).toEqual(before);
    const trail = trailReader(lastTable);
    const history = await trail.history(uscc);
    await trail.stop();
    const registryImport = receipt?.importId as string;
    expect(history.filter((entry) => entry.changedBy?.cause.id === registryImport)).toEqual([
      expect.objectContaining({
        itemType: 'subject',
        event: 'changed',
        changedBy: {
          principal: 'drop-folder',
          role: 'system',
          cause: { kind: 'import', id: registryImport },
        },
        changes: {
          registrationStatus: { after: 'revoked' },
          flags: {
            before: {},
            after: { lostContact: true, bankruptcy: true, bankruptcyStage: '破产重整', abnormal: false },
          },
        },
      }),
    ]);
  });
});
