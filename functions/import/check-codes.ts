/**
 * The codes of a file dropped in `incoming/check/`: CSV or XLSX read by the import's own readers (same
 * formats, encodings and limits), one code per row under a header `统一社会信用代码` or `代码` (or any
 * header the import takes for the code column) found among the first non-blank rows of each sheet.
 */
import { FileRejectedError } from './parse/errors.ts';
import { fieldForHeader, HEADER_SEARCH_ROWS, normalizeHeader } from './parse/header.ts';
import { type ReadSheetRowsOptions, readSheetRows, type SheetRow } from './parse/rows.ts';

/** One code as the file carries it, with where the clerk finds it. */
export interface CodeInFile {
  readonly sheet: string;
  readonly line: number;
  /** The cell as written (trimmed). */
  readonly code: string;
}

/** Codes a dropped file may hold: ten answers of a thousand. */
export const MAX_CHECK_FILE_CODES = 10_000;

const SHORT_HEADER = normalizeHeader('代码');

/** The column of the code in a header row, or undefined when the row is no header. */
function codeColumn(row: SheetRow): number | undefined {
  const index = row.cells.findIndex(
    (cell) => normalizeHeader(cell) === SHORT_HEADER || fieldForHeader(cell) === 'uscc',
  );
  return index < 0 ? undefined : index;
}

/** A sheet's state while its rows are read: looking for the header, or reading codes under it. */
interface SheetState {
  readonly sheet: string;
  column?: number;
  nonBlankSeen: number;
}

/**
 * Every code of every sheet that has a header, in file order; blank cells are left out.
 * @throws FileRejectedError as the import rejects a file, `no-header` when no sheet has a header,
 * `no-data-rows` when a header has no code under it, `too-many-rows` past {@link MAX_CHECK_FILE_CODES}.
 */
export async function readCheckCodes(
  source: AsyncIterable<Uint8Array>,
  limits: ReadSheetRowsOptions,
): Promise<CodeInFile[]> {
  const codes: CodeInFile[] = [];
  let state: SheetState | undefined;
  let anyHeader = false;
  for await (const row of readSheetRows(source, limits)) {
    if (state?.sheet !== row.sheet) state = { sheet: row.sheet, nonBlankSeen: 0 };
    const blank = row.cells.every((cell) => cell.trim() === '');
    if (blank) continue;
    if (state.column === undefined) {
      state.nonBlankSeen++;
      if (state.nonBlankSeen <= HEADER_SEARCH_ROWS) state.column = codeColumn(row);
      anyHeader ||= state.column !== undefined;
      continue;
    }
    const code = (row.cells[state.column] ?? '').trim();
    // a repeated header (a printout's every page) is no code
    if (code === '' || codeColumn(row) === state.column) continue;
    if (codes.length === MAX_CHECK_FILE_CODES) {
      throw new FileRejectedError(
        'too-many-rows',
        `一个文件最多核查 ${MAX_CHECK_FILE_CODES} 个代码，请拆分后分批放入`,
      );
    }
    codes.push({ sheet: row.sheet, line: row.line, code });
  }
  if (!anyHeader) {
    throw new FileRejectedError(
      'no-header',
      `未在前 ${HEADER_SEARCH_ROWS} 行找到表头，请在代码列上方写“统一社会信用代码”或“代码”`,
    );
  }
  if (codes.length === 0) throw new FileRejectedError('no-data-rows', '文件有表头，但表头下没有代码');
  return codes;
}
