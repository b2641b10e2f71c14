/**
 * The report as an XLSX workbook: the table on the first sheet (header bold on a fill, frozen; ratios as
 * numbers shown as percentages), the milestones, the drift check and the run's inputs on the second.
 */
import type ExcelJS from 'exceljs';
import type { EvaluationSnapshot } from '#domain/evaluation.ts';
import { newWorkbook } from '#shared/xlsx-workbook.ts';
import { neutralizeCell } from '../csv.ts';
import { counterLabel, percent, type ReportInput, visibleSnapshot } from './report-input.ts';
import { type CellKind, REPORT_COLUMNS, reportRows } from './report-table.ts';

/** The number formats of the table's numeric columns. */
export const NUMBER_FORMATS: Readonly<Record<Exclude<CellKind, 'text'>, string>> = {
  integer: '#,##0',
  ratio: '0.00%',
  points: '+0.00;-0.00;0.00',
};

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };

function xlsxCell(value: string | number | null): string | number | null {
  return typeof value === 'string' ? neutralizeCell(value) : value;
}

function addTableSheet(workbook: ExcelJS.Workbook, snapshot: EvaluationSnapshot) {
  const sheet = workbook.addWorksheet('评价报告', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = REPORT_COLUMNS.map((column) => ({
    header: column.header,
    width: column.width,
    ...(column.kind === 'text' ? {} : { style: { numFmt: NUMBER_FORMATS[column.kind] } }),
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center' };
  header.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.border = { bottom: { style: 'thin' } };
  });
  for (const row of reportRows(snapshot)) {
    sheet.addRow(REPORT_COLUMNS.map((column) => xlsxCell(column.value(row))));
  }
  sheet.getRow(2).font = { bold: true }; // the city row
}

const MILESTONE_STATE = (met: boolean | null) =>
  met === null ? '未到期或无法判断' : met ? '已达成' : '未达成';

function addNotesSheet(workbook: ExcelJS.Workbook, snapshot: EvaluationSnapshot) {
  const sheet = workbook.addWorksheet('里程碑与核对');
  sheet.columns = [{ width: 34 }, { width: 14 }, { width: 18 }, { width: 60 }];
  const heading = (text: string) => {
    const row = sheet.addRow([text]);
    row.font = { bold: true };
  };
  heading('目标里程碑');
  for (const m of snapshot.milestones) {
    sheet.addRow([m.label, m.due, MILESTONE_STATE(m.met), m.detail].map(xlsxCell));
  }
  sheet.addRow([]);
  heading('计数核对');
  if (snapshot.drift.length === 0) sheet.addRow(['无偏差']);
  for (const line of snapshot.drift) {
    sheet.addRow(
      [line.district, counterLabel(line.attribute), `计数 ${line.stored}`, `重新统计 ${line.recount}`].map(
        xlsxCell,
      ),
    );
  }
  sheet.addRow([]);
  heading('计算依据');
  const benchmark = snapshot.benchmark;
  const facts: [string, string][] = [
    ['计算时间', snapshot.computedAt],
    ['目标比例', percent(snapshot.campaign.targetRatio)],
    [
      '对标（省会及副省级城市平均）',
      benchmark ? `${percent(benchmark.value)}（${benchmark.month}）` : '暂无',
    ],
    ['未落区主体数', String(snapshot.unassigned)],
    ['规则表版本', snapshot.inputs.ruleTableVersion],
    ['方案版本', String(snapshot.inputs.campaignVersion)],
    ['数据状态', snapshot.stale ? `已过期：${snapshot.stale.reason}，请重新评估` : '最新'],
  ];
  for (const fact of facts) sheet.addRow(fact.map(xlsxCell));
}

/** The workbook's bytes. */
export async function evaluationReportXlsx(input: ReportInput): Promise<Buffer> {
  const snapshot = visibleSnapshot(input);
  const workbook = await newWorkbook();
  workbook.creator = 'credit-governance';
  addTableSheet(workbook, snapshot);
  addNotesSheet(workbook, snapshot);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
