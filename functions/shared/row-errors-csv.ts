/**
 * The row errors of an import as the CSV office staff open in Excel: the one builder behind
 * `GET /imports/{id}/errors` and the `<file>.错误明细.csv` the worker puts beside a processed file.
 */
import { neutralizeCell, toCsv, withBom } from '#shared/csv.ts';

/** Problems listed at most; a file with more is fixed and sent again long before anyone reads them all. */
const MAX_ERROR_ROWS = 50_000;

const SEVERITY_LABELS: Record<string, string> = { error: '错误', warning: '提示', skipped: '已跳过' };
const FIELD_LABELS: Record<string, string> = {
  uscc: '统一社会信用代码',
  name: '主体名称',
  district: '所属区县',
  listType: '名单类型',
  department: '认定部门',
  caseNo: '案号',
  listedAt: '列入日期',
  endsAt: '截止日期',
  performance: '履行情况',
  registrationStatus: '登记状态',
  lostContact: '是否失联',
  bankruptcy: '破产状态',
  abnormal: '经营异常',
  enterpriseCount: '法人企业数',
  month: '月份',
};

/** The problems of one row, as the import stores them. */
export interface RowProblems {
  readonly sheet: string;
  readonly line: number;
  readonly problems: readonly {
    readonly field: string;
    readonly message: string;
    readonly severity: string;
    readonly value?: string;
  }[];
}

export interface RowErrorsCsv {
  /** UTF-8 CSV with a BOM, every cell neutralised against formulas. */
  readonly body: string;
  /** Problems listed (row problems, and the whole file's for a rejected import). */
  readonly problems: number;
}

/**
 * The row errors of an import as CSV, in Chinese: one line per problem (sheet, line, field, kind,
 * message, value), then the whole file's reason when it was rejected.
 */
export async function rowErrorsCsv(
  errors: AsyncIterable<RowProblems>,
  record: { readonly status: string; readonly rejectMessage?: string | undefined },
): Promise<RowErrorsCsv> {
  const rows: string[][] = [['工作表', '行号', '字段', '类型', '问题说明', '原值']];
  let count = 0;
  for await (const error of errors) {
    for (const problem of error.problems) {
      if (count === MAX_ERROR_ROWS) break;
      count++;
      rows.push(
        [
          error.sheet,
          String(error.line),
          FIELD_LABELS[problem.field] ?? problem.field,
          SEVERITY_LABELS[problem.severity] ?? problem.severity,
          problem.message,
          problem.value ?? '',
        ].map(neutralizeCell),
      );
    }
    if (count === MAX_ERROR_ROWS) {
      rows.push(['', '', '', '', `问题过多，仅列出前 ${MAX_ERROR_ROWS} 条，请修正后重新上传`, '']);
      break;
    }
  }
  if (record.status === 'rejected' && record.rejectMessage !== undefined) {
    rows.push(['', '', '整个文件', '错误', neutralizeCell(record.rejectMessage), '']);
    count++;
  }
  return { body: withBom(toCsv(rows)), problems: count };
}
