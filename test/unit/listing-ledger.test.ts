/**
 * The 台账 builder: every text cell that came from outside is neutralised, whatever it holds (property
 * test over the fields a list supplies), and a body over the byte cap is refused rather than cut.
 */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ListingRow } from '#domain/listing-row.ts';
import { LEDGER_COLUMNS, ledgerCsv, ledgerFile, ledgerXlsx } from '#shared/listing-ledger.ts';

const FORMULA_TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];

function row(outside: {
  name: string;
  department: string;
  reason: string;
  overrideReason: string;
}): ListingRow {
  return {
    listingId: 'WyI5MTEzMDEwMiJd',
    uscc: '911301020000000163',
    district: '130102',
    districtName: '长安区',
    listType: 'court-debtor',
    listTypeLabel: '失信被执行人',
    listedAt: '2025-06-01',
    status: 'active',
    statusLabel: '在列',
    list: 'constrain',
    listLabel: '约束清单',
    track: 'joint-punishment',
    trackLabel: '联合惩戒',
    overridden: true,
    planDeadline: '2026-06-30',
    overdue: false,
    ...outside,
  };
}

const outsideText = fc.oneof(
  fc.string(),
  fc.constantFrom(...FORMULA_TRIGGERS).chain((trigger) => fc.string().map((rest) => `${trigger}${rest}`)),
);

const outsideFields = fc.record({
  name: outsideText,
  department: outsideText,
  reason: outsideText,
  overrideReason: outsideText,
});

describe('ledgerXlsx', () => {
  it('writes every cell from outside as text that does not start a formula', async () => {
    await fc.assert(
      fc.asyncProperty(outsideFields, async (outside) => {
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load((await ledgerXlsx([row(outside)], '台账')) as unknown as ArrayBuffer);
        const cells = workbook.worksheets[0]?.getRow(2);
        for (let column = 2; column <= LEDGER_COLUMNS.length; column++) {
          const cell = cells?.getCell(column);
          expect([ExcelJS.ValueType.String, ExcelJS.ValueType.Null]).toContain(cell?.type);
          expect(FORMULA_TRIGGERS).not.toContain(String(cell?.value ?? '').charAt(0));
        }
        // XML reads a carriage return as a line feed
        const name = FORMULA_TRIGGERS.includes(outside.name.charAt(0)) ? `'${outside.name}` : outside.name;
        expect(cells?.getCell(3).value ?? '').toBe(name.replace(/\r\n?/g, '\n'));
      }),
      { numRuns: 30 },
    );
  });
});

describe('ledgerCsv', () => {
  it('starts every field of a formula-like value with a quote mark', () => {
    const csv = ledgerCsv([
      row({ name: '=1+1', department: '@SUM(A1)', reason: '+1', overrideReason: '-1' }),
    ]);
    expect(csv.startsWith('\uFEFF序号,统一社会信用代码,主体名称,')).toBe(true);
    const line = csv.split('\r\n')[1] ?? '';
    expect(line).toContain(",'=1+1,");
    expect(line).toContain(",'@SUM(A1),");
    expect(line).toContain(",'+1,'-1,");
  });
});

describe('ledgerFile', () => {
  it('refuses a body over the byte cap instead of cutting it', async () => {
    const rows = Array.from({ length: 50 }, () =>
      row({ name: '石家庄某某商贸有限公司', department: '长安区人民法院', reason: '', overrideReason: '' }),
    );
    const csv = await ledgerFile(rows, 'csv');
    expect(csv?.contentType).toBe('text/csv; charset=utf-8');
    expect(await ledgerFile(rows, 'csv', Buffer.byteLength(csv?.body ?? '') - 1)).toBeUndefined();
    const xlsx = await ledgerFile(rows, 'xlsx');
    expect(xlsx?.isBase64Encoded).toBe(true);
    expect(await ledgerFile(rows, 'xlsx', (xlsx?.body.length ?? 0) - 1)).toBeUndefined();
  });
});
