/**
 * The result of a file of codes checked (docs/files.md, The joint-punishment check) as the clerk who
 * dropped it opens it: one row per listing found (one row for a code with none), Chinese headers, the
 * CSV in UTF-8 with a BOM for Excel, the same rows as XLSX, every cell neutralised against formulas.
 */
import type { CheckAnswer, CheckList, CheckMeasure } from '#domain/checks.ts';
import { newWorkbook } from '#shared/xlsx-workbook.ts';
import { neutralizeCell, toCsv, withBom } from './csv.ts';

export const CHECK_RESULT_HEADERS = [
  '工作表',
  '行号',
  '查询代码',
  '统一社会信用代码',
  '核查结果',
  '名单类型',
  '认定部门',
  '列入日期',
  '所在清单',
  '惩戒措施（起始日期）',
  '决定依据',
  '说明',
] as const;

const LIST_LABELS: Readonly<Record<CheckList, string>> = {
  exit: '退出清单',
  assist: '帮扶清单',
  constrain: '约束清单',
  unclassified: '未分类',
};

/** Where a code stood in the file, and what the check answered for it. */
export interface CheckedFileCode {
  readonly sheet: string;
  readonly line: number;
  readonly answer: CheckAnswer;
}

function verdict(answer: CheckAnswer): string {
  if (answer.listed) return '已列入';
  return answer.error === undefined || answer.error.code === 'ambiguous-org-code' ? '未列入' : '无法核查';
}

/** `rule:C1` → 规则 C1; `department:<name>` → the department's own decision. */
function decidedByLabel(decidedBy: string): string {
  const [kind, ...rest] = decidedBy.split(':');
  const who = rest.join(':');
  if (kind === 'rule') return `分类规则 ${who}`;
  if (kind === 'department') return `${who}调整决定`;
  return decidedBy;
}

function measuresCell(measures: readonly CheckMeasure[]): string {
  return measures.map((measure) => `${measure.label}（自${measure.since}起）`).join('；');
}

function decidedByCell(measures: readonly CheckMeasure[]): string {
  return [...new Set(measures.map((measure) => decidedByLabel(measure.decidedBy)))].join('；');
}

/** The rows of the result, headers first. */
export function checkResultRows(codes: readonly CheckedFileCode[]): string[][] {
  const rows: string[][] = [[...CHECK_RESULT_HEADERS]];
  for (const { sheet, line, answer } of codes) {
    const lead = [sheet, String(line), answer.code];
    const note = answer.error?.message ?? '';
    if (answer.listings.length === 0) {
      rows.push([...lead, answer.uscc ?? '', verdict(answer), '', '', '', '', '', '', note]);
      continue;
    }
    for (const listing of answer.listings) {
      rows.push([
        ...lead,
        listing.uscc,
        verdict(answer),
        listing.listTypeLabel,
        listing.department,
        listing.listedAt ?? '',
        LIST_LABELS[listing.list],
        measuresCell(listing.measures),
        decidedByCell(listing.measures),
        note,
      ]);
    }
  }
  return rows;
}

/** The rows as CSV for Excel: UTF-8 with a BOM, every cell neutralised. */
export function checkResultCsv(rows: readonly (readonly string[])[]): string {
  return withBom(toCsv(rows, { neutralize: true }));
}

/** The rows as an XLSX workbook of one sheet, every cell text and neutralised. */
export async function checkResultXlsx(rows: readonly (readonly string[])[]): Promise<Uint8Array> {
  const workbook = await newWorkbook();
  const sheet = workbook.addWorksheet('核查结果');
  for (const row of rows) sheet.addRow(row.map(neutralizeCell));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  sheet.columns.forEach((column, index) => {
    column.width = index === 9 ? 60 : 22;
  });
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
