/**
 * A 信用中国 batch as a file: the columns of docs/files.md (the 信用中国 batch file) with Chinese headers, CSV in UTF-8 with a
 * BOM or an XLSX workbook, every text cell neutralised against formulas (a subject's name or a revoking
 * system came from outside and may start with `=`). docs/files.md (The 信用中国 batch) lists the columns.
 */
import type { ExitReportLine } from '#domain/exit-report.ts';
import { EXIT_REASON_LABELS } from '#domain/exits.ts';
import { districtLabel } from '#domain/listing-row.ts';
import { LIST_TYPE_LABELS } from '#domain/model.ts';
import { newWorkbook } from '#shared/xlsx-workbook.ts';
import { neutralizeCell, toCsv, withBom } from './csv.ts';

interface ReportColumn {
  readonly header: string;
  /** Width in characters in the XLSX. */
  readonly width: number;
  readonly cell: (line: ExitReportLine) => string | number;
}

/** 审核单位: the credit office of the district that reviewed, `长安区信用办`. */
export function reviewingOffice(district: string): string {
  return `${districtLabel(district)}信用办`;
}

/** The columns, in order. */
export const EXIT_REPORT_COLUMNS: readonly ReportColumn[] = [
  { header: '序号', width: 8, cell: (line) => line.position },
  { header: '主体名称', width: 36, cell: (line) => line.subjectName },
  { header: '统一社会信用代码', width: 22, cell: (line) => line.uscc },
  { header: '所属区县', width: 14, cell: (line) => districtLabel(line.district) },
  { header: '名单类型', width: 24, cell: (line) => LIST_TYPE_LABELS[line.listType] },
  { header: '认定部门', width: 30, cell: (line) => line.department },
  { header: '列入日期', width: 12, cell: (line) => line.listedAt ?? '' },
  { header: '退出日期', width: 12, cell: (line) => line.exitDate },
  { header: '退出原因', width: 12, cell: (line) => EXIT_REASON_LABELS[line.reason] },
  { header: '撤销公示系统', width: 30, cell: (line) => line.revokedSystem },
  { header: '撤销公示日期', width: 12, cell: (line) => line.revokedDate },
  { header: '审核单位', width: 20, cell: (line) => reviewingOffice(line.reviewedByDistrict) },
];

function cellsOf(line: ExitReportLine): (string | number)[] {
  return EXIT_REPORT_COLUMNS.map((column) => {
    const value = column.cell(line);
    return typeof value === 'string' ? neutralizeCell(value) : value;
  });
}

/** The batch as CSV: UTF-8 with a BOM, CRLF, the header line first. */
export function exitReportCsv(lines: readonly ExitReportLine[]): string {
  return withBom(
    toCsv([
      EXIT_REPORT_COLUMNS.map((column) => column.header),
      ...lines.map((line) => cellsOf(line).map(String)),
    ]),
  );
}

/** The batch as an XLSX workbook of one sheet, header bold and frozen, codes and dates as text. */
export async function exitReportXlsx(lines: readonly ExitReportLine[], sheetTitle: string): Promise<Buffer> {
  const workbook = await newWorkbook();
  workbook.creator = 'credit-governance';
  const sheet = workbook.addWorksheet(sheetTitle.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = EXIT_REPORT_COLUMNS.map((column) => ({ header: column.header, width: column.width }));
  sheet.getRow(1).font = { bold: true };
  for (const line of lines) sheet.addRow(cellsOf(line));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
