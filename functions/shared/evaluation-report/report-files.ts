/**
 * The month's report files: rendered in the three formats and stored in the drop folder under
 * `reports/<month>/评价报告-<month>.<format>` (the bucket in the cloud, `$LOCAL_DIR` locally), where the
 * API serves them from. The evaluation's run calls the writer after it stored the snapshot.
 */
import type { Campaign, EvaluationSnapshot } from '#domain/evaluation.ts';
import { DROP_PREFIX } from '../drop-folder.ts';
import type { DropStore } from '../object-store.ts';
import { evaluationReportCsv } from './report-csv.ts';
import { evaluationReportHtml } from './report-html.ts';
import { type ReportInput, reportBaseName, type TrendPoint } from './report-input.ts';
import { evaluationReportXlsx } from './report-xlsx.ts';

export const REPORT_FORMATS = ['csv', 'xlsx', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html; charset=utf-8',
};

/** `reports/2023-03/评价报告-2023-03.html`. */
export function reportKey(month: string, format: ReportFormat): string {
  return `${DROP_PREFIX.reports}${month}/${reportBaseName(month)}.${format}`;
}

/**
 * `reports/2023-03/manifest.json`: which run the stored files are of, written after them; the API
 * serves the stored files only while they are of the snapshot it reads (a rerun by another path, or a
 * write that failed half way, leaves them behind).
 */
export function reportManifestKey(month: string): string {
  return `${DROP_PREFIX.reports}${month}/manifest.json`;
}

export interface ReportManifest {
  readonly month: string;
  /** The snapshot's `computedAt`: the run the files were rendered from. */
  readonly computedAt: string;
  readonly files: readonly string[];
}

/** One format of the report: text for CSV and HTML, bytes for XLSX. */
export async function renderReport(format: ReportFormat, input: ReportInput): Promise<string | Buffer> {
  switch (format) {
    case 'csv':
      return evaluationReportCsv(input);
    case 'xlsx':
      return evaluationReportXlsx(input);
    case 'html':
      return evaluationReportHtml(input);
  }
}

/** What the report needs beside the snapshot: the campaign now, and the city's earlier months. */
export interface ReportContext {
  readonly campaign: Campaign;
  readonly trend: readonly TrendPoint[];
}

/**
 * The evaluation's `writeReports`: the three files of the snapshot's month, each replacing the one of
 * an earlier run, then the manifest naming the run. `readContext` reads the campaign and the trend (storage: evaluation-report-context.ts).
 */
export function createReportWriter(
  drop: DropStore,
  readContext: (snapshot: EvaluationSnapshot) => Promise<ReportContext>,
): (snapshot: EvaluationSnapshot) => Promise<void> {
  return async (snapshot) => {
    const input: ReportInput = { snapshot, ...(await readContext(snapshot)) };
    for (const format of REPORT_FORMATS) {
      const body = await renderReport(format, input);
      await drop.put(reportKey(snapshot.month, format), body, REPORT_CONTENT_TYPES[format]);
    }
    const manifest: ReportManifest = {
      month: snapshot.month,
      computedAt: snapshot.computedAt,
      files: REPORT_FORMATS.map((format) => reportKey(snapshot.month, format)),
    };
    await drop.put(
      reportManifestKey(snapshot.month),
      JSON.stringify(manifest, null, 2),
      'application/json; charset=utf-8',
    );
  };
}
