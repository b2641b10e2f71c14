/**
 * Finding the header row of a list and mapping each data row's cells to the fields of docs/files.md
 * (Column headers). A file may open with a title and blank rows, hold data on several sheets, and repeat its
 * header on every printed page; none of that reaches the caller.
 */
import { compactText } from '#domain/text.ts';
import { FileRejectedError } from './errors.ts';
import { FIELD_ALIASES, FIELD_NAMES, type FieldName } from './header-aliases.ts';
import type { SheetRow } from './rows.ts';
import { parseListTypeLabel } from './values.ts';

export { FIELD_ALIASES, FIELD_NAMES, type FieldName } from './header-aliases.ts';

/** How many non-blank rows of a sheet are searched for its header. */
export const HEADER_SEARCH_ROWS = 20;

export interface HeaderOptions {
  /** At least one of these must be among the mapped fields; default `uscc` or `name`. */
  readonly requiredAnyOf?: readonly FieldName[];
  /** Mapped fields a header needs at the least; default 2. */
  readonly minFields?: number;
}

const DEFAULT_REQUIRED: readonly FieldName[] = ['uscc', 'name'];
const DEFAULT_MIN_FIELDS = 2;

/** What each drop-folder source needs to recognise its header (docs/files.md, Sources). */
export function headerOptionsForSource(source: string): HeaderOptions {
  return source === 'enterprise-counts' ? { requiredAnyOf: ['enterpriseCount'] } : {};
}

export interface HeaderColumn {
  /** 0-based column index. */
  readonly index: number;
  /** The header as written in the file. */
  readonly header: string;
}

export interface HeaderMatch {
  readonly sheet: string;
  readonly line: number;
  /** 0-based column index → field. */
  readonly columns: ReadonlyMap<number, FieldName>;
  /** Columns with a header no alias knows: ignored, listed for the import receipt. */
  readonly unknownColumns: readonly HeaderColumn[];
  /** Columns naming a field an earlier column already took: ignored, listed for the receipt. */
  readonly duplicateColumns: readonly (HeaderColumn & { readonly field: FieldName })[];
  /** The title above the header (the one naming a list type, if any), as written. */
  readonly titleLabel?: string;
}

export interface MappedRow {
  readonly sheet: string;
  readonly line: number;
  /** Trimmed values of the mapped columns; empty cells are left out. */
  readonly fields: Partial<Record<FieldName, string>>;
  readonly titleLabel?: string;
}

/**
 * A header as it is compared: half-width, lower case, no whitespace, one kind of bracket and of list
 * comma, and no required-field star or colon around it (`* 企业名称：`, `县（市，区）`).
 */
export function normalizeHeader(text: string): string {
  return compactText(text)
    .toLowerCase()
    .replace(/[【[]/g, '(')
    .replace(/[】\]]/g, ')')
    .replace(/[,，]/g, '、')
    .replace(/^[*※]+/, '')
    .replace(/[*:：]+$/, '');
}

const ALIAS_INDEX: ReadonlyMap<string, FieldName> = new Map(
  FIELD_NAMES.flatMap((field) =>
    FIELD_ALIASES[field].map((alias) => [normalizeHeader(alias), field] as const),
  ),
);

/** A trailing note in brackets, as in `列入日期(格式:2022-01-01)` or `法人企业数(户)`. */
const TRAILING_NOTE = /\([^()]*\)$/;

/** The field a header names, if any; a trailing bracketed note is ignored when the whole does not match. */
export function fieldForHeader(header: string): FieldName | undefined {
  const key = normalizeHeader(header);
  if (key === '') return undefined;
  return ALIAS_INDEX.get(key) ?? ALIAS_INDEX.get(key.replace(TRAILING_NOTE, ''));
}

/**
 * The header of the first sheet that has one among its first {@link HEADER_SEARCH_ROWS} non-blank rows:
 * the first row mapping at least `minFields` fields, one of them from `requiredAnyOf`.
 */
export function findHeader(rows: Iterable<SheetRow>, options: HeaderOptions = {}): HeaderMatch | undefined {
  const search = new HeaderSearch(options);
  for (const row of rows) {
    const header = search.offer(row);
    if (header !== undefined) return header;
  }
  return undefined;
}

/**
 * Data rows of every sheet that has a header, mapped to fields. Blank rows, rows with nothing in a
 * mapped column, and repeats of the header are left out. Holds at most {@link HEADER_SEARCH_ROWS} rows
 * at a time, while a sheet's header is being looked for.
 * @throws FileRejectedError `no-header` at the end when no sheet had a header.
 */
export async function* mapRows(
  rows: AsyncIterable<SheetRow>,
  options: MapRowsOptions = {},
): AsyncGenerator<MappedRow, void, undefined> {
  const search = new HeaderSearch(options);
  let header: HeaderMatch | undefined;
  let headerKeys: ReadonlyMap<number, string> = new Map();
  let anyHeader = false;
  for await (const row of rows) {
    if (header !== undefined && row.sheet !== header.sheet) header = undefined;
    if (header === undefined) {
      header = search.offer(row, options.onSheetSkipped);
      if (header !== undefined) {
        anyHeader = true;
        headerKeys = new Map(
          [...header.columns.keys()].map((index) => [index, normalizeHeader(cellAt(row, index))]),
        );
        options.onHeader?.(header);
      }
      continue;
    }
    if (isRepeatedHeader(row, headerKeys)) continue;
    const mapped = mapRow(row, header);
    if (mapped !== undefined) yield mapped;
  }
  search.finish(options.onSheetSkipped);
  if (!anyHeader) throw new FileRejectedError('no-header');
}

export interface MapRowsOptions extends HeaderOptions {
  /** Called once for each sheet's header, before its first row. */
  readonly onHeader?: (header: HeaderMatch) => void;
  /** Called for each sheet with no header in its first rows; its rows are skipped. */
  readonly onSheetSkipped?: (sheet: string) => void;
}

/** Looks for one header per sheet, row by row, remembering only the title rows of the current sheet. */
class HeaderSearch {
  private readonly requiredAnyOf: readonly FieldName[];
  private readonly minFields: number;
  private sheet: string | undefined;
  private titles: SheetRow[] = [];
  private done = false;

  constructor(options: HeaderOptions) {
    this.requiredAnyOf = options.requiredAnyOf ?? DEFAULT_REQUIRED;
    this.minFields = options.minFields ?? DEFAULT_MIN_FIELDS;
  }

  /** The header, when this row is it; rows of a sheet already settled are ignored. */
  offer(row: SheetRow, onSheetSkipped?: (sheet: string) => void): HeaderMatch | undefined {
    if (row.sheet !== this.sheet) {
      this.finish(onSheetSkipped);
      this.sheet = row.sheet;
      this.titles = [];
      this.done = false;
    }
    if (this.done || isBlank(row)) return undefined;
    const header = this.match(row);
    if (header !== undefined) {
      this.done = true;
      this.titles = [];
      return header;
    }
    this.titles.push(row);
    if (this.titles.length >= HEADER_SEARCH_ROWS) {
      this.done = true;
      this.titles = [];
      onSheetSkipped?.(row.sheet);
    }
    return undefined;
  }

  /** Closes the current sheet, reporting it when it ended before a header or the search limit. */
  finish(onSheetSkipped?: (sheet: string) => void): void {
    if (this.sheet !== undefined && !this.done) onSheetSkipped?.(this.sheet);
    this.done = true;
    this.titles = [];
  }

  private match(row: SheetRow): HeaderMatch | undefined {
    const columns = new Map<number, FieldName>();
    const unknownColumns: HeaderColumn[] = [];
    const duplicateColumns: (HeaderColumn & { field: FieldName })[] = [];
    const taken = new Set<FieldName>();
    row.cells.forEach((cell, index) => {
      const header = cleanValue(cell);
      if (header === '') return;
      const field = fieldForHeader(header);
      if (field === undefined) unknownColumns.push({ index, header });
      else if (taken.has(field)) duplicateColumns.push({ index, header, field });
      else {
        taken.add(field);
        columns.set(index, field);
      }
    });
    if (taken.size < this.minFields || !this.requiredAnyOf.some((field) => taken.has(field)))
      return undefined;
    const titleLabel = pickTitle(this.titles);
    return {
      sheet: row.sheet,
      line: row.line,
      columns,
      unknownColumns,
      duplicateColumns,
      ...(titleLabel === undefined ? {} : { titleLabel }),
    };
  }
}

/** The title naming a list type if one does, else the first title row. */
function pickTitle(titles: readonly SheetRow[]): string | undefined {
  const texts = titles.map((row) =>
    row.cells
      .map(cleanValue)
      .filter((cell) => cell !== '')
      .join(' '),
  );
  return texts.find((text) => parseListTypeLabel(text) !== undefined) ?? texts[0];
}

function mapRow(row: SheetRow, header: HeaderMatch): MappedRow | undefined {
  const fields: Partial<Record<FieldName, string>> = {};
  let any = false;
  for (const [index, field] of header.columns) {
    const value = cleanValue(cellAt(row, index));
    if (value === '') continue;
    fields[field] = value;
    any = true;
  }
  if (!any) return undefined;
  const { titleLabel } = header;
  return { sheet: row.sheet, line: row.line, fields, ...(titleLabel === undefined ? {} : { titleLabel }) };
}

function isRepeatedHeader(row: SheetRow, headerKeys: ReadonlyMap<number, string>): boolean {
  for (const [index, key] of headerKeys) {
    if (normalizeHeader(cellAt(row, index)) !== key) return false;
  }
  return true;
}

function isBlank(row: SheetRow): boolean {
  return row.cells.every((cell) => cleanValue(cell) === '');
}

function cellAt(row: SheetRow, index: number): string {
  return row.cells[index] ?? '';
}

/** Whitespace (ideographic space and NBSP included) and invisible characters trimmed from both ends. */
const EDGE_SPACE = /^[\s\u200B-\u200D\u2060\uFEFF]+|[\s\u200B-\u200D\u2060\uFEFF]+$/g;

function cleanValue(cell: string): string {
  return cell.replace(EDGE_SPACE, '');
}
