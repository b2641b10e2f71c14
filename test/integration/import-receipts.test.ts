/**
 * A clerk who only uses the drop folder sees how the import went: a Chinese receipt beside the file in
 * `processed/<source>/<importId>/`, and the row errors as the CSV the API serves, when there are any.
 * Each test has a table of its own: a court list is a full list, and one file would hold the next.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rowErrorsCsv } from '#shared/row-errors-csv.ts';
import { getImport, readRowErrors } from '../../functions/storage/import-store.ts';
import { createTestTable } from '../support/dynamo.ts';
import { COURT_HEADER, courtRow, courtRows, dropImportId, makeUscc, utf8Csv } from '../support/files.ts';
import { createImportHarness } from '../support/imports.ts';

function receiptFiles(root: string, source: string, importId: string, fileName: string) {
  const base = join(root, 'processed', source, importId, fileName);
  const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);
  return { receipt: read(`${base}.回执.txt`), errors: read(`${base}.错误明细.csv`) };
}

describe('the receipt files in processed/', () => {
  it('put a receipt and the row errors beside a partly accepted file', async () => {
    // Prepare: two good rows, one with a broken code, one whose code is a formula
    const harness = createImportHarness(await createTestTable('import-receipts'));
    const rows = [
      [...COURT_HEADER],
      ...courtRows(2, 9001),
      courtRow({ name: '坏代码公司', uscc: '91130102MA0CXXXX1Y', caseNo: '(2022)冀0102执1号' }),
      courtRow({ name: '公式公司', uscc: '=HYPERLINK("http://x")', caseNo: '(2022)冀0102执2号' }),
    ];
    const key = harness.drop('court', '法院名单.csv', utf8Csv(rows));
    const importId = dropImportId(key);
    // Act
    await harness.notify(key);
    // Assess
    const record = await getImport(harness.deps.store, importId);
    expect(record).toMatchObject({ status: 'succeeded', counts: { rows: 4, accepted: 2, rejected: 2 } });
    const files = receiptFiles(harness.root, 'court', importId, '法院名单.csv');
    expect(files.receipt).toContain('文件：法院名单.csv');
    expect(files.receipt).toContain(`导入批次：${importId}`);
    expect(files.receipt).toContain('结果：导入完成');
    expect(files.receipt).toContain('名单类型：失信被执行人');
    expect(files.receipt).toMatch(/数据行：4\n\s+已导入：2\n\s+有错误未导入：2\n/);
    expect(files.receipt).toContain('法院名单.csv.错误明细.csv');
    expect(files.errors?.startsWith('\uFEFF工作表,行号,字段,类型,问题说明,原值\r\n')).toBe(true);
    expect(files.errors).toContain(',4,统一社会信用代码,错误,');
    expect(files.errors).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(files.errors).not.toMatch(/,=HYPERLINK/);
    // the same CSV as GET /imports/{id}/errors serves, from the same builder
    expect(files.errors).toBe(
      (await rowErrorsCsv(readRowErrors(harness.deps.store, importId), record ?? { status: 'succeeded' }))
        .body,
    );
  });

  it('put a receipt and no errors file beside a file without row errors', async () => {
    // Prepare
    const harness = createImportHarness(await createTestTable('import-receipts'));
    const key = harness.drop('court', '全部正确.csv', utf8Csv([[...COURT_HEADER], ...courtRows(3, 9101)]));
    const importId = dropImportId(key);
    // Act
    await harness.notify(key);
    // Assess
    const files = receiptFiles(harness.root, 'court', importId, '全部正确.csv');
    expect(files.receipt).toMatch(/数据行：3\n\s+已导入：3\n\s+有错误未导入：0\n/);
    expect(files.receipt).toContain('新增名单：3');
    expect(files.receipt).not.toContain('错误明细');
    expect(files.errors).toBeUndefined();
  });

  it('tells what to do with a held push', async () => {
    // Prepare: a list of three active listings, then a file that carries one of them
    const harness = createImportHarness(await createTestTable('import-receipts-held'));
    const rows = courtRows(3, 9201);
    await harness.notify(harness.drop('court', '第一次.csv', utf8Csv([[...COURT_HEADER], ...rows])));
    const key = harness.drop('court', '第二次.csv', utf8Csv([[...COURT_HEADER], ...rows.slice(0, 1)]));
    const importId = dropImportId(key);
    // Act
    await harness.notify(key);
    // Assess
    expect((await getImport(harness.deps.store, importId))?.status).toBe('held');
    const files = receiptFiles(harness.root, 'court', importId, '第二次.csv');
    expect(files.receipt).toContain('结果：已暂停，等待市信用办确认放行');
    expect(files.receipt).toContain('本次推送缺少 2 条原有效名单');
    expect(files.receipt).toContain('原有效名单 3 条，本次缺少 2 条');
    expect(files.receipt).toContain('处理办法');
    expect(files.receipt).toContain('放行前，本文件不会写入任何数据');
    expect(files.errors).toBeUndefined();
  });

  it('says which import a duplicate file repeats', async () => {
    // Prepare
    const harness = createImportHarness(await createTestTable('import-receipts'));
    const content = utf8Csv([
      [...COURT_HEADER],
      courtRow({ name: '重复公司', uscc: makeUscc(9301), caseNo: '案9301' }),
    ]);
    const first = harness.drop('court', '原件.csv', content);
    await harness.notify(first);
    const key = harness.drop('court', '副本.csv', content);
    const importId = dropImportId(key);
    // Act
    await harness.notify(key);
    // Assess
    expect((await getImport(harness.deps.store, importId))?.status).toBe('duplicate');
    const files = receiptFiles(harness.root, 'court', importId, '副本.csv');
    expect(files.receipt).toContain('结果：重复文件，未再次导入');
    expect(files.receipt).toContain(`已由导入批次 ${dropImportId(first)} 导入`);
    expect(existsSync(join(harness.root, 'processed', 'court', importId, '副本.csv'))).toBe(true);
  });
});
