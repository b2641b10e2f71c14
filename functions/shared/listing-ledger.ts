/**
 * The 台账 of a listing view, as a clerk opens it in Excel or WPS: Chinese headers, one line per listing,
 * CSV in UTF-8 with a BOM or an XLSX workbook, every text cell neutralised against formulas (a subject's
 * name or a reason came from outside and may start with `=`). docs/files.md (The ledger) lists the
 * columns.
 */
import type { ListingRow } from '#domain/listing-row.ts';
import { neutralizeCell, toCsv, withBom } from '#shared/csv.ts';
import { newWorkbook } from '#shared/xlsx-workbook.ts';

interface LedgerColumn {
  readonly header: string;
  /** Width in characters in the XLSX. */
  readonly width: number;
  readonly cell: (row: ListingRow, index: number) => string | number;
}

const yesNo = (value: boolean) => (value ? '是' : '否');

/** The columns, in order. */
export const LEDGER_COLUMNS: readonly LedgerColumn[] = [
  { header: '序号', width: 8, cell: (_, index) => index + 1 },
  { header: '统一社会信用代码', width: 22, cell: (row) => row.uscc },
  { header: '主体名称', width: 36, cell: (row) => row.name },
  { header: '所属区县', width: 14, cell: (row) => row.districtName },
  { header: '区县代码', width: 12, cell: (row) => row.district },
  { header: '名单类型', width: 24, cell: (row) => row.listTypeLabel },
  { header: '认定部门', width: 30, cell: (row) => row.department },
  { header: '列入日期', width: 12, cell: (row) => row.listedAt ?? '' },
  { header: '名单状态', width: 12, cell: (row) => row.statusLabel },
  { header: '所在清单', width: 10, cell: (row) => row.listLabel },
  { header: '处置路径', width: 16, cell: (row) => row.trackLabel ?? '' },
  { header: '是否部门调整', width: 12, cell: (row) => yesNo(row.overridden) },
  { header: '分类理由', width: 60, cell: (row) => row.reason ?? '' },
  { header: '调整理由', width: 40, cell: (row) => row.overrideReason ?? '' },
  { header: '计划完成期限', width: 14, cell: (row) => row.planDeadline ?? '' },
  { header: '是否逾期', width: 10, cell: (row) => yesNo(row.overdue) },
  { header: '记录编号', width: 30, cell: (row) => row.listingId },
];

function cellsOf(row: ListingRow, index: number): (string | number)[] {
  return LEDGER_COLUMNS.map((column) => {
    const value = column.cell(row, index);
    return typeof value === 'string' ? neutralizeCell(value) : value;
  });
}

/** The ledger as CSV: UTF-8 with a BOM, CRLF, the header line first. */
export function ledgerCsv(rows: readonly ListingRow[]): string {
  const lines = [
    LEDGER_COLUMNS.map((column) => column.header),
    ...rows.map((row, index) => cellsOf(row, index).map(String)),
  ];
  return withBom(toCsv(lines));
}

/**
 * The ledger as an XLSX workbook of one sheet, `sheetTitle` (at most 31 characters, as Excel allows):
 * the header bold and frozen, every code and date written as text so that Excel does not turn a code
 * into a number.
 */
export async function ledgerXlsx(rows: readonly ListingRow[], sheetTitle: string): Promise<Buffer> {
  const workbook = await newWorkbook();
  workbook.creator = 'credit-governance';
  const sheet = workbook.addWorksheet(sheetTitle.slice(0, 31), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = LEDGER_COLUMNS.map((column) => ({ header: column.header, width: column.width }));
  sheet.getRow(1).font = { bold: true };
  rows.forEach((row, index) => {
    sheet.addRow(cellsOf(row, index));
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Bytes of a ledger's body at most, as sent (base64 for XLSX): under the Lambda's 6 MB answer. */
export const MAX_LEDGER_BYTES = 5_500_000;

export type LedgerFormat = 'csv' | 'xlsx';

export interface LedgerFile {
  /** Text for CSV, base64 for XLSX. */
  readonly body: string;
  readonly isBase64Encoded: boolean;
  readonly contentType: string;
}

const CONTENT_TYPES: Readonly<Record<LedgerFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The ledger as the API sends it, or `undefined` when its body would be over `maxBytes`. */
export async function ledgerFile(
  rows: readonly ListingRow[],
  format: LedgerFormat,
  maxBytes = MAX_LEDGER_BYTES,
): Promise<LedgerFile | undefined> {
  const body = format === 'csv' ? ledgerCsv(rows) : (await ledgerXlsx(rows, '台账')).toString('base64');
  if (Buffer.byteLength(body, 'utf8') > maxBytes) return undefined;
  return { body, isBase64Encoded: format === 'xlsx', contentType: CONTENT_TYPES[format] };
}
