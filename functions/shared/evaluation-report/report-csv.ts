/** The report's table as CSV: UTF-8 with a BOM, CRLF, Chinese headers, text cells neutralised. */
import { neutralizeCell, toCsv, withBom } from '../csv.ts';
import { type ReportInput, visibleSnapshot } from './report-input.ts';
import { type CellKind, REPORT_COLUMNS, reportRows } from './report-table.ts';

/** Ratios to four decimals of a percent (`0.9312%`), which Excel reads back as a percentage. */
function csvCell(kind: CellKind, value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'string') return neutralizeCell(value);
  if (kind === 'ratio') return `${(value * 100).toFixed(4)}%`;
  return String(value);
}

/** The table of the report (city row first), as a person opens it in Excel or WPS. */
export function evaluationReportCsv(input: ReportInput): string {
  const rows = reportRows(visibleSnapshot(input)).map((row) =>
    REPORT_COLUMNS.map((column) => csvCell(column.kind, column.value(row))),
  );
  return withBom(toCsv([REPORT_COLUMNS.map((column) => column.header), ...rows]));
}
