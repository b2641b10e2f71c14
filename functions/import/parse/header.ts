/**
 * Finding the header row of a list and mapping each data row's cells to the fields of docs/files.md
 * (Column headers). A file may open with a title and blank rows, hold data on several sheets, and repeat its
 * header on every printed page; none of that reaches the caller.
 */
import { compactText } from '#domain/text.ts';
import { FileRejectedError } from './errors.ts';
import type { SheetRow } from './rows.ts';
import { parseListTypeLabel } from './values.ts';

export const FIELD_NAMES = [
  'name',
  'uscc',
  'district',
  'listType',
  'department',
  'caseNo',
  'listedAt',
  'reason',
  'obligation',
  'performance',
  'endsAt',
  'registrationStatus',
  'movedTo',
  'lostContact',
  'bankruptcy',
  'abnormal',
  'enterpriseCount',
  'month',
  'personId',
] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

/**
 * Headers seen for each field (docs/files.md lists them: keep the two in step). They are
 * compared after {@link normalizeHeader}, so spacing, bracket width and a trailing `*` or `：` do not
 * matter. `personId` is only for columns that name a person's ID outright; a column that may hold
 * either (身份证号码/组织机构代码) is `uscc`, and the row validator tells the two apart.
 */
export const FIELD_ALIASES: Readonly<Record<FieldName, readonly string[]>> = {
  name: [
    '主体名称',
    '企业名称',
    '单位名称',
    '名称',
    '被执行人姓名/名称',
    '被执行人名称',
    '纳税人名称',
    '当事人名称',
    '失信主体名称',
    '市场主体名称',
    '企业(单位)名称',
  ],
  uscc: [
    '统一社会信用代码',
    '社会信用代码',
    '信用代码',
    '纳税人识别号',
    '身份证号码/组织机构代码',
    '身份证号码(组织机构代码)',
    '组织机构代码/身份证号码',
    '组织机构代码',
    '统一社会信用代码/组织机构代码',
    '统一社会信用代码(纳税人识别号)',
  ],
  district: [
    '所属区县',
    '所属区域',
    '县(市、区)',
    '所属县(市、区)',
    '区县',
    '县市区',
    '所在区县',
    '属地',
    '所在地区',
    '所属地区',
  ],
  listType: ['名单类型', '失信类型', '名单名称'],
  department: [
    '认定部门',
    '认定单位',
    '认定机关',
    '执行法院',
    '执法单位',
    '作出决定机关',
    '作出决定的机关',
    '列入机关',
    '列入决定机关',
  ],
  caseNo: ['案号', '执行案号', '执行依据文号', '决定书文号', '列入决定书文号', '处罚决定书文号', '文书号'],
  listedAt: [
    '列入日期',
    '列入时间',
    '认定日期',
    '认定时间',
    '发布时间',
    '发布日期',
    '公布日期',
    '公布时间',
    '处罚日期',
  ],
  reason: [
    '列入原因',
    '列入事由',
    '失信被执行人行为具体情形',
    '主要违法事实',
    '严重违法失信行为的具体情形',
    '案件性质',
  ],
  obligation: ['生效法律文书确定的义务', '处罚结果', '相关法律依据及税务处理处罚情况'],
  performance: ['被执行人的履行情况', '履行情况'],
  endsAt: ['截止日期', '禁止参加政府采购活动期限至', '公示截止日期', '有效期至'],
  registrationStatus: ['企业状态', '登记状态', '经营状态'],
  movedTo: ['迁入地', '迁往', '迁往地'],
  lostContact: ['失联', '是否失联', '无法联系'],
  bankruptcy: ['破产', '是否破产', '破产状态'],
  abnormal: ['经营异常', '是否经营异常', '列入经营异常名录', '是否列入经营异常名录'],
  enterpriseCount: ['法人企业数', '法人企业数量', '企业法人数'],
  month: ['月份', '统计月份'],
  personId: ['身份证号码', '身份证号', '证件号码', '公民身份号码'],
};

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
