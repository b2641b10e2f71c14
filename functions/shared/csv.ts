/**
 * Writing CSV that office staff open in Excel: RFC 4180 quoting, CRLF, a BOM so that Excel reads
 * UTF-8, and cells neutralised against formula injection (docs/files.md, A bad row).
 */

/** Leading characters that make Excel or WPS treat a cell as a formula, or hide one behind them. */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * The value with a leading `'` when it starts with `=`, `+`, `-`, `@`, a tab or a carriage return, so
 * that a spreadsheet shows it as text instead of running it. Meant for every value that came from
 * outside (names, case numbers, reasons) and goes into an exported CSV or XLSX cell.
 */
export function neutralizeCell(value: string): string {
  return FORMULA_TRIGGERS.has(value.charAt(0)) ? `'${value}` : value;
}

const NEEDS_QUOTES = /[",\r\n]/;

export interface ToCsvOptions {
  /** Pass every cell through {@link neutralizeCell} first. */
  readonly neutralize?: boolean;
}

/**
 * RFC 4180 CSV: fields quoted only when they hold a quote, comma or line break (quotes doubled), every
 * record ended by CRLF. A record of one empty field is written `""` so that it is not a blank line; a
 * record of no fields cannot be told from that and is written the same way.
 */
export function toCsv(rows: readonly (readonly string[])[], options: ToCsvOptions = {}): string {
  return rows.map((row) => `${csvRecord(row, options.neutralize === true)}\r\n`).join('');
}

function csvRecord(row: readonly string[], neutralize: boolean): string {
  if (row.length === 0 || (row.length === 1 && row[0] === '')) return '""';
  return row.map((value) => csvField(neutralize ? neutralizeCell(value) : value)).join(',');
}

function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const BOM = '\uFEFF';

/** The CSV with a UTF-8 byte order mark in front (once), which Excel needs to read it as UTF-8. */
export function withBom(csv: string): string {
  return csv.startsWith(BOM) ? csv : `${BOM}${csv}`;
}
