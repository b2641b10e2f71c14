/**
 * Re-triage on request: `POST /classifications` records a run for a scope (everything, a district, a
 * department, one import) as of a day, and the classify function works it from the table's stream;
 * `GET /classifications/{jobId}` shows how far it got and what it changed.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { isIsoDate } from '#domain/calendar-dates.ts';
import { isDistrictCode } from '#domain/district.ts';
import { shanghaiDate, UNASSIGNED_DISTRICT } from '#domain/model.ts';
import type { Scope } from '#shared/auth.ts';
import { requestActor } from '#shared/changed-by.ts';
import { ForbiddenError, NotFoundError } from '#shared/errors.ts';
import { defineRoute } from '#shared/http/route.ts';
import {
  createTriageJob,
  readTriageJob,
  type TriageJob,
  type TriageScope,
} from '#storage/triage-job-store.ts';
import type { ApiDeps } from '../deps.ts';

const SCOPE_KINDS = ['all', 'district', 'department', 'import'] as const;

const requestSchema = z
  .object({
    scope: z.enum(SCOPE_KINDS).describe('which listings: all, one district, one department, one import'),
    district: z
      .string()
      .refine((code) => isDistrictCode(code) || code === UNASSIGNED_DISTRICT, '不是本市的区县代码')
      .optional(),
    department: z.string().trim().min(1).max(100).optional(),
    importId: z.uuid().optional(),
    asOf: z
      .string()
      .refine(isIsoDate, '日期应为 yyyy-mm-dd')
      .optional()
      .describe('the day the rules are applied as of (yyyy-mm-dd); today in Asia/Shanghai when absent'),
  })
  .meta({ id: 'ClassificationRequest' });

type ClassificationRequest = z.infer<typeof requestSchema>;

const countsSchema = z.object({
  listings: z.number().int(),
  changed: z.number().int(),
  unchanged: z.number().int(),
  missing: z.number().int(),
  failed: z.number().int(),
});

const jobSchema = z
  .object({
    jobId: z.string(),
    scope: z.object({
      kind: z.enum([...SCOPE_KINDS, 'due']),
      district: z.string().optional(),
      department: z.string().optional(),
      importId: z.string().optional(),
      day: z.string().optional(),
    }),
    asOf: z.string(),
    status: z.enum(['queued', 'running', 'succeeded']),
    counts: countsSchema.describe('listings looked at so far and what re-triage did to them'),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().optional(),
  })
  .meta({ id: 'ClassificationJob' });

/** The run's scope as the caller may ask for it: an office re-triages only what it owns. */
function scopeOf(request: ClassificationRequest, caller: Scope): TriageScope {
  const need = (value: string | undefined, what: string) => {
    if (value === undefined) throw new ForbiddenError(`范围为 ${request.scope} 时须指明${what}`);
    return value;
  };
  const own = (asked: string | undefined, owned: string | undefined, what: string) => {
    if (caller.role === 'city') return need(asked, what);
    const mine = need(owned, what);
    if (asked !== undefined && asked !== mine) throw new ForbiddenError(`只能对本单位的${what}重新分类`);
    return mine;
  };
  switch (request.scope) {
    case 'district':
      if (caller.role === 'department') throw new ForbiddenError('部门只能对本部门认定的名单重新分类');
      return { kind: 'district', district: own(request.district, caller.district, '区县') };
    case 'department':
      if (caller.role === 'district') throw new ForbiddenError('区县只能对本区县的名单重新分类');
      return { kind: 'department', department: own(request.department, caller.department, '部门') };
    default:
      if (caller.role !== 'city') throw new ForbiddenError('只有市信用办可以对全部名单或按导入批次重新分类');
      return request.scope === 'all'
        ? { kind: 'all' }
        : { kind: 'import', importId: need(request.importId, '导入批次') };
  }
}

/** Whether the caller may see a run: the city every run, an office the runs of its own scope. */
function canSee(job: TriageJob, caller: Scope): boolean {
  if (caller.role === 'city') return true;
  if (job.scope.kind === 'district')
    return caller.role === 'district' && caller.district === job.scope.district;
  if (job.scope.kind === 'department')
    return caller.role === 'department' && caller.department === job.scope.department;
  return false;
}

function view(job: TriageJob) {
  const { position: _position, slices: _slices, changedBy: _changedBy, ...shown } = job;
  return shown;
}

export const startClassificationRoute = defineRoute<ApiDeps, unknown, unknown, ClassificationRequest>({
  method: 'POST',
  path: '/classifications',
  summary: 'Re-triage the listings of a scope as of a day; answers the run, worked in the background',
  tags: ['triage'],
  roles: ['city', 'district', 'department'],
  body: requestSchema,
  response: jobSchema,
  successStatus: 202,
  errors: [400, 403],
  handle: async ({ body, scope: caller, deps, event }) => {
    const scope = scopeOf(body, caller);
    const asOf = body.asOf ?? shanghaiDate(deps.store.clock.now());
    const { job } = await createTriageJob(deps.store, {
      jobId: randomUUID(),
      scope,
      asOf,
      changedBy: requestActor(caller, event.requestContext.requestId),
    });
    return view(job);
  },
});

export const getClassificationRoute = defineRoute<ApiDeps, { jobId: string }, unknown, unknown>({
  method: 'GET',
  path: '/classifications/{jobId}',
  summary: 'A re-triage run: its scope, state and counts',
  tags: ['triage'],
  roles: ['city', 'district', 'department'],
  params: z.object({ jobId: z.string().min(1).max(100) }),
  response: jobSchema,
  errors: [404],
  handle: async ({ params, scope: caller, deps }) => {
    const job = await readTriageJob(deps.store, params.jobId);
    if (job === undefined || !canSee(job, caller)) throw new NotFoundError('没有这个重新分类任务');
    return view(job);
  },
});
