/**
 * The 信用中国 batches: `POST /exit-reports` (the city makes the next batch of every confirmed exit not
 * yet reported), `GET /exit-reports` (newest first) and `GET /exit-reports/{reportId}` (JSON, or the
 * batch file with `format=csv|xlsx`). The store keeps every exit in exactly one batch and the numbers
 * without gaps (`#storage/exit-report-store.ts`).
 */
import * as z from 'zod';
import type { ExitReport, ExitReportLine } from '#domain/exit-report.ts';
import { EXIT_REASON_LABELS, EXIT_REASONS } from '#domain/exits.ts';
import { districtLabel } from '#domain/listing-row.ts';
import { LIST_TYPE_LABELS, LIST_TYPES, shanghaiDate } from '#domain/model.ts';
import { requestActor } from '#shared/changed-by.ts';
import { AppError, ConflictError, InvalidCursorError, NotFoundError } from '#shared/errors.ts';
import { exitReportCsv, exitReportXlsx, reviewingOffice } from '#shared/exit-report-file.ts';
import { type CursorContext, openCursor, sealCursor } from '#shared/http/cursor.ts';
import { defineRoute, type RawResponse } from '#shared/http/route.ts';
import { MAX_LEDGER_BYTES } from '#shared/listing-ledger.ts';
import {
  createExitReport,
  EmptyExitReportError,
  ExitReportBusyError,
  listExitReports,
  readExitReport,
} from '#storage/exit-report-store.ts';
import { attachmentDisposition } from '../../api/download-name.ts';
import type { ExitsDeps } from '../create-handler.ts';

const exitReportSchema = z
  .object({
    reportId: z.string().describe('the batch number as text: "1", "2", …'),
    reportNumber: z.number().int(),
    exitCount: z.number().int(),
    createdAt: z.string(),
    createdBy: z.object({ principal: z.string(), role: z.string() }),
  })
  .meta({ id: 'ExitReport' });

const exitReportLineSchema = z
  .object({
    position: z.number().int().describe('序号'),
    exitId: z.string(),
    listingId: z.string(),
    uscc: z.string(),
    subjectName: z.string(),
    district: z.string(),
    districtName: z.string(),
    listType: z.enum(LIST_TYPES),
    listTypeLabel: z.string(),
    department: z.string(),
    listedAt: z.string().optional(),
    exitDate: z.string(),
    reason: z.enum(EXIT_REASONS),
    reasonLabel: z.string(),
    revokedSystem: z.string(),
    revokedDate: z.string(),
    reviewedBy: z.string().describe('审核单位: the reviewing district credit office'),
    confirmedAt: z.string(),
  })
  .meta({ id: 'ExitReportLine' });

const reportIdParam = z.object({
  reportId: z
    .string()
    .regex(/^[1-9]\d{0,5}$/, '批次号（reportId）应为正整数')
    .describe('the batch number'),
});

/** The batch's own file name: `信用中国退出报送-第3批-2026-05-10.csv`, ASCII `exit-report-3-2026-05-10.csv`. */
function reportFileNames(report: ExitReport, format: 'csv' | 'xlsx') {
  const day = shanghaiDate(new Date(report.createdAt));
  return {
    chinese: `信用中国退出报送-第${report.reportNumber}批-${day}.${format}`,
    ascii: `exit-report-${report.reportNumber}-${day}.${format}`,
  };
}

function lineView(line: ExitReportLine) {
  return {
    ...line,
    districtName: districtLabel(line.district),
    listTypeLabel: LIST_TYPE_LABELS[line.listType],
    reasonLabel: EXIT_REASON_LABELS[line.reason],
    reviewedBy: reviewingOffice(line.reviewedByDistrict),
  };
}

export const createExitReportRoute = defineRoute<ExitsDeps, unknown, unknown, unknown>({
  method: 'POST',
  path: '/exit-reports',
  summary: 'Make the next 信用中国 batch: every confirmed exit not yet reported, each in exactly one batch',
  tags: ['exits'],
  roles: ['city'],
  response: exitReportSchema,
  successStatus: 201,
  errors: [401, 403, 409],
  handle: async ({ scope, deps, event }) => {
    try {
      return await createExitReport(deps.store, requestActor(scope, event.requestContext.requestId));
    } catch (error) {
      if (error instanceof EmptyExitReportError)
        throw new ConflictError(
          'exit-report-empty',
          '没有可报送的退出：所有已确认的退出都已编入此前的报送批次，暂无新的已确认退出',
        );
      if (error instanceof ExitReportBusyError)
        throw new ConflictError('exit-report-busy', '另一个报送批次正在生成，请稍后再试');
      throw error;
    }
  },
});

export const listExitReportsRoute = defineRoute<
  ExitsDeps,
  unknown,
  { limit: number; cursor?: string },
  unknown
>({
  method: 'GET',
  path: '/exit-reports',
  summary: 'The 信用中国 batches, newest first',
  tags: ['exits'],
  roles: ['city'],
  query: z.object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(2000).optional().describe('the `cursor` of the previous page, as it was given'),
  }),
  response: z
    .object({
      items: z.array(exitReportSchema),
      cursor: z.string().optional().describe('opaque; absent after the last page'),
    })
    .meta({ id: 'ExitReportPage' }),
  errors: [400, 401, 403],
  handle: async ({ query, scope, deps }) => {
    const context: CursorContext = { route: 'GET /exit-reports', scope };
    const position = await openCursor(deps.store, context, query.cursor);
    const after = position === undefined ? undefined : Number(position);
    if (after !== undefined && !Number.isSafeInteger(after)) throw new InvalidCursorError();
    const page = await listExitReports(deps.store, {
      limit: query.limit,
      ...(after === undefined ? {} : { after }),
    });
    const cursor = await sealCursor(
      deps.store,
      context,
      page.next === undefined ? undefined : String(page.next),
    );
    return { items: page.reports, ...(cursor === undefined ? {} : { cursor }) };
  },
});

export class ExitReportTooLargeError extends AppError {
  constructor(message: string) {
    super(400, 'exit-report-too-large', message);
    this.name = 'ExitReportTooLargeError';
  }
}

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

async function reportFile(report: ExitReport, lines: readonly ExitReportLine[], format: 'csv' | 'xlsx') {
  const body =
    format === 'csv'
      ? exitReportCsv(lines)
      : (await exitReportXlsx(lines, `第${report.reportNumber}批`)).toString('base64');
  // the file goes back in the Lambda's answer, which holds at most 6 MB
  if (Buffer.byteLength(body, 'utf8') > MAX_LEDGER_BYTES)
    throw new ExitReportTooLargeError(
      format === 'csv'
        ? `第${report.reportNumber}批的 CSV 文件过大（${lines.length} 行），请改用 xlsx 格式下载`
        : `第${report.reportNumber}批的文件过大（${lines.length} 行），无法在一次响应中下载`,
    );
  const names = reportFileNames(report, format);
  const response: RawResponse = {
    raw: true,
    statusCode: 200,
    headers: {
      'content-type': CONTENT_TYPES[format],
      'content-disposition': attachmentDisposition(names.chinese, names.ascii),
    },
    body,
    isBase64Encoded: format === 'xlsx',
  };
  return response;
}

export const getExitReportRoute = defineRoute<
  ExitsDeps,
  { reportId: string },
  { format: 'json' | 'csv' | 'xlsx' },
  unknown
>({
  method: 'GET',
  path: '/exit-reports/{reportId}',
  summary: 'One 信用中国 batch with its lines; format=csv|xlsx gives the file to upload',
  tags: ['exits'],
  roles: ['city'],
  params: reportIdParam,
  query: z.object({
    format: z
      .enum(['json', 'csv', 'xlsx'], { error: '格式（format）须为 json、csv 或 xlsx' })
      .default('json')
      .describe('csv (UTF-8 with BOM) or xlsx: the batch file with the Chinese columns of 信用中国'),
  }),
  response: z
    .object({ report: exitReportSchema, lines: z.array(exitReportLineSchema) })
    .meta({ id: 'ExitReportWithLines' }),
  responseContentTypes: ['application/json', 'text/csv', CONTENT_TYPES.xlsx],
  errors: [400, 401, 403, 404],
  handle: async ({ params, query, deps }) => {
    const found = await readExitReport(deps.store, Number(params.reportId));
    if (found === undefined) throw new NotFoundError(`报送批次 ${params.reportId}`);
    if (query.format !== 'json') return reportFile(found.report, found.lines, query.format);
    return { report: found.report, lines: found.lines.map(lineView) };
  },
});

export const exitReportRoutes = [createExitReportRoute, listExitReportsRoute, getExitReportRoute];
