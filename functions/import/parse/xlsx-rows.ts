/**
 * XLSX rows, streamed with exceljs's WorkbookReader: every worksheet in the order the archive holds
 * them, each cell as the text the user sees (a formula's cached result, never the formula). Every part
 * is read through the guard of xlsx-parts.ts, so that a workbook that expands far beyond its size is
 * refused while it is read, before it takes the worker's memory.
 */
import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
// The streaming reader by its own module: the package's entry would bring both writers and CSV too.
import WorkbookReader from 'exceljs/lib/stream/xlsx/workbook-reader.js';
import { FileRejectedError } from './errors.ts';
import { MAX_RECORD_BYTES, XLSX_LIMITS, type XlsxLimits } from './limits.ts';
import type { SheetRow } from './rows.ts';
import { excelSerialToIsoDate, isoDateOf } from './values.ts';
import { guardedWorksheets, type WorkbookPartReaders } from './xlsx-parts.ts';

/** The parts of exceljs's streaming readers used here; its type declarations leave them out. */
interface StreamedWorksheet extends AsyncIterable<ExcelJS.Row> {
  readonly name: string;
}
interface StreamedWorkbook extends WorkbookPartReaders<StreamedWorksheet> {
  readonly properties?: { readonly model?: { readonly date1904?: boolean } };
}

const NOT_A_WORKBOOK = '文件是 ZIP 压缩包但不是 Excel 工作簿，请上传 CSV 或 XLSX 文件';
const UNREADABLE_WORKBOOK = 'Excel 文件已损坏或无法读取，请用 Excel 打开后重新另存为 .xlsx 再上传';

/**
 * The rows of each worksheet. A ZIP without worksheets, or one exceljs cannot read, is refused as
 * `not-a-spreadsheet`; a too-large file, or one that expands past the limits, as `too-large`.
 */
export async function* readXlsxRows(
  chunks: AsyncIterable<Buffer>,
  limits: XlsxLimits = XLSX_LIMITS,
): AsyncGenerator<SheetRow, void, undefined> {
  // The bytes are piped into the unzipper, and a pipe does not pass errors on: a source that threw
  // would leave the unzipper waiting forever. So the source ends instead, and its error is kept here.
  const source = new EndOnError(chunks);
  const input = Readable.from(source.chunks());
  const workbook = new WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles give the number formats that tell a date cell from a number.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as StreamedWorkbook;
  let worksheets = 0;
  try {
    for await (const worksheet of guardedWorksheets(workbook, input, limits)) {
      worksheets++;
      const date1904 = workbook.properties?.model?.date1904 === true;
      for await (const row of worksheet) {
        const cells = rowCells(row, date1904);
        // a CSV record's bound, for a row whose cells all show the same long shared string
        if (textBytes(cells) > MAX_RECORD_BYTES) throw rowTooLarge(worksheet.name, row.number);
        yield { sheet: worksheet.name, line: row.number, cells };
      }
    }
  } catch (error) {
    source.rethrow();
    if (error instanceof FileRejectedError) throw error;
    throw new FileRejectedError('not-a-spreadsheet', UNREADABLE_WORKBOOK, { cause: error });
  } finally {
    input.destroy();
  }
  source.rethrow();
  if (worksheets === 0) throw new FileRejectedError('not-a-spreadsheet', NOT_A_WORKBOOK);
}

class EndOnError {
  private error: unknown;
  private failed = false;

  constructor(private readonly source: AsyncIterable<Buffer>) {}

  async *chunks(): AsyncGenerator<Buffer, void, undefined> {
    try {
      yield* this.source;
    } catch (error) {
      this.failed = true;
      this.error = error;
    }
  }

  rethrow(): void {
    if (this.failed) throw this.error;
  }
}

/** UTF-8 bytes of the cells' text, measured exactly only when the row could be over the bound. */
function textBytes(cells: readonly string[]): number {
  const characters = cells.reduce((sum, cell) => sum + cell.length, 0);
  if (characters * 3 <= MAX_RECORD_BYTES) return characters;
  return cells.reduce((sum, cell) => sum + Buffer.byteLength(cell, 'utf8'), 0);
}

function rowTooLarge(sheet: string, line: number): FileRejectedError {
  return new FileRejectedError(
    'too-large',
    `工作表“${sheet}”第 ${line} 行的内容超过 ${MAX_RECORD_BYTES / 1_000_000} MB 的上限，请检查后重新上传`,
  );
}

function rowCells(row: ExcelJS.Row, date1904: boolean): string[] {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: true }, (cell, column) => {
    cells[column - 1] = cellText(cell.value, cell.numFmt, date1904);
  });
  // Cells that only carry a style come through empty; the row ends at its last value.
  let length = cells.length;
  while (length > 0 && (cells[length - 1] ?? '') === '') length--;
  cells.length = length;
  return Array.from(cells, (cell) => cell ?? '');
}

const NUMBER_TEXT = new Intl.NumberFormat('en-US', { useGrouping: false, maximumSignificantDigits: 15 });

/**
 * A cell's value as text: dates `yyyy-mm-dd`; numbers in plain notation to Excel's 15 significant
 * digits (an Excel serial in a cell not formatted as a date stays a number, for the date parser);
 * rich text and hyperlinks as their text; formulas as their cached result; errors as Excel shows them.
 */
export function cellText(value: unknown, numFmt: string | undefined, date1904 = false): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return isoDateOf(value) ?? '';
  if (typeof value !== 'object') return '';
  if ('richText' in value && Array.isArray(value.richText)) {
    return value.richText
      .map((run: { text?: unknown }) => (typeof run.text === 'string' ? run.text : ''))
      .join('');
  }
  if ('formula' in value || 'sharedFormula' in value) {
    const result = 'result' in value ? value.result : undefined;
    if (typeof result === 'number' && isDateFormat(numFmt)) {
      return excelSerialToIsoDate(result, date1904) ?? numberText(result);
    }
    return cellText(result, numFmt, date1904);
  }
  if ('text' in value) return cellText(value.text, numFmt, date1904);
  if ('error' in value && typeof value.error === 'string') return value.error;
  return '';
}

function numberText(value: number): string {
  if (!Number.isFinite(value)) return '';
  return value === 0 ? '0' : NUMBER_TEXT.format(value);
}

/**
 * Whether a number format shows a date: it has a day or year part once quoted literals, escapes and
 * bracketed sections (colours, locales) are taken out. Time-only formats are not dates.
 */
function isDateFormat(format: string | undefined): boolean {
  if (format === undefined) return false;
  const bare = format
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '');
  return /[dy]/i.test(bare);
}
