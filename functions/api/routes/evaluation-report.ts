/**
 * `GET /evaluations/{month}/report?format=csv|xlsx|html`: the month's report as a file. The city gets
 * the file the evaluation stored under `reports/<month>/`, while its manifest names the stored
 * snapshot's run; otherwise (a rerun that wrote no files, files never written) the report is rendered
 * from the snapshot. A district office gets the city figure and its own row, rendered for it. A month
 * whose data changed after it was evaluated is rendered with the stale banner, so the report says so
 * until the month is rerun.
 */
import * as z from 'zod';
import type { EvaluationSnapshot } from '#domain/evaluation.ts';
import { districtLabel } from '#domain/listing-row.ts';
import type { Scope } from '#shared/auth.ts';
import { AppError, ScopeViolationError } from '#shared/errors.ts';
import {
  REPORT_CONTENT_TYPES,
  REPORT_FORMATS,
  type ReportFormat,
  type ReportManifest,
  renderReport,
  reportKey,
  reportManifestKey,
} from '#shared/evaluation-report/report-files.ts';
import { reportBaseName } from '#shared/evaluation-report/report-input.ts';
import { defineRoute, type RawResponse } from '#shared/http/route.ts';
import type { DropStore } from '#shared/object-store.ts';
import { readReportContext } from '#storage/evaluation-report-context.ts';
import { readEvaluationWithStaleness } from '#storage/evaluation-run.ts';
import type { ApiDeps } from '../deps.ts';
import { attachmentDisposition } from '../download-name.ts';

/** The month was never evaluated, so it has no report. */
export class ReportNotFoundError extends AppError {
  constructor(month: string) {
    super(404, 'not-found', `${month} 尚未评估，没有评价报告；请先评估该月（POST /evaluations/${month}）`);
    this.name = 'ReportNotFoundError';
  }
}

const reportParams = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份应为 yyyy-mm，月份 01–12')
    .describe('yyyy-mm, Asia/Shanghai'),
});
type ReportParams = z.infer<typeof reportParams>;

const reportQuery = z.object({
  format: z
    .enum(REPORT_FORMATS, { error: '格式（format）须为 csv、xlsx 或 html' })
    .default('html')
    .describe('html: the page a person reads (prints on one A4 page); csv or xlsx: the table'),
});
type ReportQuery = z.infer<typeof reportQuery>;

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function readObject(drop: DropStore, key: string): Promise<Buffer | undefined> {
  if ((await drop.head(key)) === undefined) return undefined;
  return readAll(await drop.read(key));
}

/** The stored file, when the manifest says it was rendered from this very snapshot. */
async function storedReport(drop: DropStore, snapshot: EvaluationSnapshot, format: ReportFormat) {
  const manifest = await readObject(drop, reportManifestKey(snapshot.month));
  if (manifest === undefined) return undefined;
  const { computedAt } = JSON.parse(manifest.toString('utf8')) as Partial<ReportManifest>;
  if (computedAt !== snapshot.computedAt) return undefined;
  return readObject(drop, reportKey(snapshot.month, format));
}

async function reportBytes(
  deps: ApiDeps,
  snapshot: EvaluationSnapshot,
  format: ReportFormat,
  district: string | undefined,
): Promise<Buffer> {
  if (district === undefined && snapshot.stale === undefined) {
    const stored = await storedReport(deps.drop(), snapshot, format);
    if (stored !== undefined) return stored;
  }
  const context = await readReportContext(deps.store, snapshot);
  const body = await renderReport(format, {
    snapshot,
    ...context,
    ...(district === undefined ? {} : { district }),
  });
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** The district a caller is limited to; undefined for the city. */
function districtOf(scope: Scope): string | undefined {
  if (scope.role === 'city') return undefined;
  if (scope.district === undefined) throw new ScopeViolationError();
  return scope.district;
}

function fileNames(month: string, district: string | undefined, format: ReportFormat) {
  const chinese = reportBaseName(month, district === undefined ? undefined : districtLabel(district));
  const ascii = `evaluation-report-${month}${district === undefined ? '' : `-${district}`}`;
  return { chinese: `${chinese}.${format}`, ascii: `${ascii}.${format}` };
}

export const evaluationReportRoute = defineRoute<ApiDeps, ReportParams, ReportQuery, unknown>({
  method: 'GET',
  path: '/evaluations/{month}/report',
  summary:
    "A month's evaluation report as a file: html (one A4 page), csv (UTF-8 with BOM) or xlsx; a district office: the city figure and its own row",
  tags: ['evaluation'],
  roles: ['city', 'district'],
  params: reportParams,
  query: reportQuery,
  response: z.string().describe('the report file, Chinese headers (docs/files.md, The evaluation report)'),
  responseContentTypes: Object.values(REPORT_CONTENT_TYPES).map((type) => type.split(';')[0] as string),
  errors: [400, 401, 403, 404],
  handle: async ({ params, query, scope, deps }): Promise<RawResponse> => {
    const stored = await readEvaluationWithStaleness(deps.store, params.month);
    if (stored === undefined) throw new ReportNotFoundError(params.month);
    const district = districtOf(scope);
    const body = await reportBytes(deps, stored.snapshot, query.format, district);
    const names = fileNames(params.month, district, query.format);
    const disposition = attachmentDisposition(names.chinese, names.ascii);
    return {
      raw: true,
      statusCode: 200,
      headers: {
        'content-type': REPORT_CONTENT_TYPES[query.format],
        // The page opens in the browser; the tables download.
        'content-disposition':
          query.format === 'html' ? disposition.replace(/^attachment/, 'inline') : disposition,
        ...(query.format === 'html'
          ? { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:" }
          : {}),
      },
      body: query.format === 'xlsx' ? body.toString('base64') : body.toString('utf8'),
      isBase64Encoded: query.format === 'xlsx',
    };
  },
});
