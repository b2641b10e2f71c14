/**
 * Imports through the API: ask for an upload URL, PUT the file, read the receipt and the row errors;
 * the city releases a held push.
 */

import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { type Role, requireRole, type Scope } from '#shared/auth.ts';
import { requestActor } from '#shared/changed-by.ts';
import { importMessageBody, incomingKey } from '#shared/drop-folder.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors.ts';
import { type CursorContext, openCursor, sealCursor } from '#shared/http/cursor.ts';
import { defineRoute, type RawResponse } from '#shared/http/route.ts';
import {
  IMPORT_SOURCES,
  type ImportRecord,
  type ImportSource,
  importRecordSchema,
} from '#shared/import-receipt.ts';
import { rowErrorsCsv } from '#shared/row-errors-csv.ts';
import { claimIdempotencyKey } from '#storage/idempotency.ts';
import { createImport, getImport, listImports, readRowErrors, updateImport } from '#storage/import-store.ts';
import type { ApiDeps } from '../deps.ts';
import { asciiErrorReportFileName, attachmentDisposition, errorReportFileName } from '../download-name.ts';
import { fileNameProblem, MAX_FILE_NAME_LENGTH } from '../file-name.ts';

/** Which sources each role may upload: departments their own lists and registry updates, the city everything. */
const UPLOADS: Record<Extract<Role, 'city' | 'department'>, readonly ImportSource[]> = {
  city: IMPORT_SOURCES,
  department: ['court', 'tax', 'procurement', 'market', 'registry'],
};

const UPLOAD_URL_SECONDS = 15 * 60;

const importIdParam = z.object({ importId: z.uuid() });

/** The file name as the office named it: one plain CSV or XLSX name the drop folder will pick up. */
const fileNameSchema = z
  .string()
  .trim()
  .superRefine((name, context) => {
    const problem = fileNameProblem(name);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  })
  .describe(`CSV or XLSX file name, at most ${MAX_FILE_NAME_LENGTH} characters, no folders`);

const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('repeats of a request with the same key by the same caller get the same import, for a day'),
});

/** The role's name in messages. */
const ROLE_LABELS: Record<Role, string> = {
  city: '市信用办',
  district: '区县',
  department: '部门',
  consumer: '外部系统',
};

/** City sees every import; a department only those it uploaded. */
function canSeeImport(scope: Scope, record: ImportRecord): boolean {
  if (scope.role === 'city') return true;
  return scope.role === 'department' && record.createdBy?.department === scope.department;
}

async function visibleImport(deps: ApiDeps, scope: Scope, importId: string): Promise<ImportRecord> {
  const record = await getImport(deps.store, importId);
  if (record === undefined || !canSeeImport(scope, record)) throw new NotFoundError(`导入批次 ${importId}`);
  return record;
}

export const createImportRoute = defineRoute<
  ApiDeps,
  unknown,
  unknown,
  { source: ImportSource; fileName: string },
  { 'idempotency-key'?: string | undefined }
>({
  method: 'POST',
  path: '/imports',
  summary: 'Start an import: returns the URL to PUT the file to',
  tags: ['imports'],
  roles: ['city', 'department'],
  headers: idempotencyHeaders,
  body: z.object({ source: z.enum(IMPORT_SOURCES), fileName: fileNameSchema }),
  response: z.object({
    importId: z.string(),
    uploadUrl: z.string(),
    key: z.string(),
    expiresInSeconds: z.number().int(),
  }),
  successStatus: 201,
  errors: [400, 401, 403, 409],
  handle: async ({ body, headers, scope, deps, event }) => {
    const allowed = UPLOADS[scope.role as 'city' | 'department'];
    if (!allowed.includes(body.source))
      throw new ForbiddenError(`${ROLE_LABELS[scope.role]}角色不能上传 ${body.source} 来源的文件`);
    let importId: string = randomUUID();
    const idempotencyKey = headers['idempotency-key'];
    if (idempotencyKey !== undefined) {
      const claimed = await claimIdempotencyKey(
        deps.store,
        { operation: 'imports', ...scope },
        idempotencyKey,
        { importId, source: body.source, fileName: body.fileName },
      );
      if (
        !claimed.first &&
        (claimed.value.source !== body.source || claimed.value.fileName !== body.fileName)
      ) {
        throw new ConflictError(
          'idempotency-key-reused',
          '此 Idempotency-Key 已用于另一个请求（来源或文件名不同），请换一个新的键',
        );
      }
      importId = claimed.value.importId;
    }
    const key = incomingKey({ source: body.source, importId, fileName: body.fileName });
    await createImport(deps.store, {
      importId,
      source: body.source,
      fileName: body.fileName,
      key,
      status: 'queued',
      createdAt: deps.store.clock.now().toISOString(),
      createdBy: {
        principal: scope.principal,
        role: scope.role,
        ...(scope.department === undefined ? {} : { department: scope.department }),
      },
      changedBy: requestActor(scope, event.requestContext.requestId),
    });
    const uploadUrl = await deps.drop().presignPut(key, UPLOAD_URL_SECONDS);
    return { importId, uploadUrl, key, expiresInSeconds: UPLOAD_URL_SECONDS };
  },
});

export const listImportsRoute = defineRoute<ApiDeps, unknown, { limit: number; cursor?: string }, unknown>({
  method: 'GET',
  path: '/imports',
  summary: 'Imports, newest first (a department sees its own)',
  tags: ['imports'],
  roles: ['city', 'department'],
  query: z.object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(2000).optional().describe('the `cursor` of the previous page, as it was given'),
  }),
  response: z
    .object({
      items: z.array(importRecordSchema),
      cursor: z.string().optional().describe('opaque; absent after the last page'),
    })
    .meta({ id: 'ImportPage' }),
  errors: [400, 401, 403],
  handle: async ({ query, scope, deps }) => {
    const context: CursorContext = { route: 'GET /imports', scope };
    const start = await openCursor(deps.store, context, query.cursor);
    const page = await listImports(deps.store, {
      limit: query.limit,
      ...(start === undefined ? {} : { cursor: start }),
      ...(scope.role === 'city' ? {} : { visible: (record: ImportRecord) => canSeeImport(scope, record) }),
    });
    const cursor = await sealCursor(deps.store, context, page.cursor);
    return { items: page.items, ...(cursor === undefined ? {} : { cursor }) };
  },
});

export const getImportRoute = defineRoute<ApiDeps, { importId: string }, unknown, unknown>({
  method: 'GET',
  path: '/imports/{importId}',
  summary: 'The receipt of one import: status, counts, diff, timings',
  tags: ['imports'],
  roles: ['city', 'department'],
  params: importIdParam,
  response: importRecordSchema,
  errors: [400, 401, 403, 404],
  handle: ({ params, scope, deps }) => visibleImport(deps, scope, params.importId),
});

export const importErrorsRoute = defineRoute<ApiDeps, { importId: string }, unknown, unknown>({
  method: 'GET',
  path: '/imports/{importId}/errors',
  summary: 'The row errors of an import as CSV (UTF-8 with BOM), in Chinese',
  tags: ['imports'],
  roles: ['city', 'department'],
  params: importIdParam,
  response: z.string().describe('CSV, UTF-8 with BOM: 工作表, 行号, 字段, 类型, 问题说明, 原值'),
  responseContentTypes: ['text/csv'],
  errors: [400, 401, 403, 404],
  handle: async ({ params, scope, deps }): Promise<RawResponse> => {
    const record = await visibleImport(deps, scope, params.importId);
    const csv = await rowErrorsCsv(readRowErrors(deps.store, record.importId), record);
    return {
      raw: true,
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': attachmentDisposition(
          errorReportFileName(record.fileName),
          asciiErrorReportFileName(record.fileName, `import-${record.importId}`),
        ),
      },
      body: csv.body,
    };
  },
});

export const releaseImportRoute = defineRoute<ApiDeps, { importId: string }, unknown, unknown>({
  method: 'POST',
  path: '/imports/{importId}/release',
  summary: 'The city confirms a held push: it is imported and what it lacks is flagged',
  tags: ['imports'],
  roles: ['city'],
  params: importIdParam,
  response: importRecordSchema,
  errors: [400, 401, 403, 404, 409],
  handle: async ({ params, scope, deps, event }) => {
    requireRole(scope, ['city']);
    const record = await visibleImport(deps, scope, params.importId);
    if (record.status !== 'held')
      throw new ConflictError(
        'not-held',
        `导入批次 ${record.importId} 的状态为 ${record.status}，不是待确认（held），无需放行`,
      );
    const queue = deps.queue();
    if (queue === undefined) throw new Error('no import queue is configured');
    const actor = requestActor(scope, event.requestContext.requestId);
    const released = await updateImport(deps.store, record.importId, actor, { status: 'running' }, ['held']);
    if (!released)
      throw new ConflictError('not-held', `导入批次 ${record.importId} 已不再待确认（held），可能已被放行`);
    try {
      await queue.send(importMessageBody({ kind: 'import-release', importId: record.importId }));
    } catch (error) {
      // not sent: hold it again, so the city can release it again
      await updateImport(deps.store, record.importId, actor, { status: 'held' }, ['running']);
      throw error;
    }
    return { ...record, status: 'running' };
  },
});
