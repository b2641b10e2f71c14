/**
 * The monthly evaluation over HTTP: the city runs a month (`POST /evaluations/{month}`, the same use
 * case as the schedule) and loads its inputs (enterprise counts, the benchmark); the city and district
 * offices read the months evaluated and a month's snapshot, a district office the city figure and its
 * own row only.
 */
import * as z from 'zod';
import { isDistrictCode } from '#domain/district.ts';
import type { EvaluationSnapshot } from '#domain/evaluation.ts';
import type { Scope } from '#shared/auth.ts';
import { requestActor } from '#shared/changed-by.ts';
import { NotFoundError, ValidationError } from '#shared/errors.ts';
import { defineRoute } from '#shared/http/route.ts';
import { createLogger } from '#shared/logger.ts';
import { MonthNotEndedError, readEvaluationWithStaleness, runEvaluation } from '#storage/evaluation-run.ts';
import { listEvaluations, putBenchmark, putEnterpriseCounts } from '#storage/evaluation-store.ts';
import type { ApiDeps } from '../deps.ts';

const monthParam = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份应为 yyyy-mm，月份 01–12')
    .describe('yyyy-mm, Asia/Shanghai'),
});
type MonthParam = z.infer<typeof monthParam>;

const flowsSchema = z.object({
  newlyListed: z.number().int(),
  exited: z.number().int(),
  movedIn: z.number().int(),
  movedOut: z.number().int(),
  net: z.number().int(),
});

const changeSchema = z.object({
  previousMonth: z.string(),
  previousNumerator: z.number().int(),
  previousRatio: z.number().nullable(),
  ratioChange: z.number().nullable(),
  numeratorChange: z.number().int(),
});

const districtSchema = z.object({
  district: z.string(),
  name: z.string(),
  kind: z.enum(['district', 'county', 'city', 'zone']),
  numerator: z.number().int().describe('subjects in scope listed at the end of the month'),
  denominator: z.number().int().nullable().describe('legal-person enterprises (法人企业数)'),
  denominatorMonth: z.string().nullable().describe('the month the denominator comes from'),
  ratio: z.number().nullable(),
  flows: flowsSchema,
  byListType: z
    .record(z.string(), z.number().int())
    .describe('active listings per list type, as at computedAt'),
  byTriageList: z
    .record(z.string(), z.number().int())
    .describe('active listings per triage list, as at computedAt'),
  rank: z.number().int().nullable().describe('1 = the lowest ratio; ties by the larger decrease'),
  aboveTarget: z.boolean().nullable().describe('at or above the target ratio'),
  change: changeSchema,
});

const snapshotSchema = z
  .object({
    month: z.string(),
    computedAt: z.string(),
    inputs: z.object({
      countsMonths: z.record(z.string(), z.string()),
      countsMonth: z.string().nullable(),
      ruleTableVersion: z.string(),
      campaignVersion: z.number().int(),
      flowsThrough: z.string(),
    }),
    campaign: z.looseObject({}),
    city: z.object({
      numerator: z.number().int(),
      denominator: z.number().int(),
      ratio: z.number().nullable(),
      flows: flowsSchema,
      monthOnMonth: changeSchema,
      missingDenominators: z.array(z.string()),
      aboveTarget: z.boolean().nullable(),
    }),
    districts: z
      .array(districtSchema)
      .describe('the city: all 24 reporting units; a district office: its own'),
    unassigned: z.number().int(),
    ranking: z.object({ best: z.array(z.string()), worst: z.array(z.string()) }),
    milestones: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        due: z.string(),
        met: z.boolean().nullable(),
        detail: z.string(),
      }),
    ),
    benchmark: z.object({ month: z.string(), value: z.number() }).optional(),
    drift: z.array(
      z.object({ district: z.string(), attribute: z.string(), stored: z.number(), recount: z.number() }),
    ),
    stale: z
      .object({ since: z.string(), reason: z.string() })
      .optional()
      .describe('the data of the month or before changed after the run: rerun it'),
    runs: z.number().int().describe('how many times the month was evaluated'),
    history: z.array(z.looseObject({})).optional().describe('earlier runs’ figures, newest first (the city)'),
  })
  .meta({ id: 'Evaluation' });

/** What a caller may see of a snapshot: a district office the city figure and its own row. */
function scoped(snapshot: EvaluationSnapshot, scope: Scope) {
  if (scope.role === 'city') return snapshot;
  return {
    ...snapshot,
    districts: snapshot.districts.filter((d) => d.district === scope.district),
    ranking: { best: [], worst: [] },
    drift: snapshot.drift.filter((line) => line.district === scope.district),
  };
}

export const listEvaluationsRoute = defineRoute<ApiDeps, unknown, unknown, unknown>({
  method: 'GET',
  path: '/evaluations',
  summary: 'The months evaluated, newest first, with the city ratio of the last run',
  tags: ['evaluation'],
  roles: ['city', 'district'],
  response: z
    .object({
      months: z.array(
        z.object({
          month: z.string(),
          computedAt: z.string(),
          ratio: z.number().nullable(),
          runs: z.number().int(),
        }),
      ),
    })
    .meta({ id: 'EvaluatedMonths' }),
  errors: [401, 403],
  handle: async ({ deps }) => ({ months: await listEvaluations(deps.store) }),
});

export const getEvaluationRoute = defineRoute<ApiDeps, MonthParam, unknown, unknown>({
  method: 'GET',
  path: '/evaluations/{month}',
  summary: "A month's evaluation, marked stale when data of the month or before changed after it ran",
  tags: ['evaluation'],
  roles: ['city', 'district'],
  params: monthParam,
  response: snapshotSchema,
  errors: [401, 403, 404],
  handle: async ({ params, scope, deps }) => {
    const stored = await readEvaluationWithStaleness(deps.store, params.month);
    if (stored === undefined) throw new NotFoundError(`${params.month} 的评估`);
    return {
      ...scoped(stored.snapshot, scope),
      runs: stored.runs,
      ...(scope.role === 'city' ? { history: stored.history } : {}),
    };
  },
});

export const runEvaluationRoute = defineRoute<ApiDeps, MonthParam, unknown, unknown>({
  method: 'POST',
  path: '/evaluations/{month}',
  summary:
    'Evaluate a month that has ended, now (a rerun replaces the snapshot and keeps the previous figures)',
  tags: ['evaluation'],
  roles: ['city'],
  params: monthParam,
  response: snapshotSchema,
  errors: [400, 401, 403],
  handle: async ({ params, scope, deps, event }) => {
    try {
      const stored = await runEvaluation(
        { store: deps.store, logger: createLogger({ function: 'api', job: 'evaluate' }) },
        params.month,
        requestActor(scope, event.requestContext.requestId),
      );
      return { ...stored.snapshot, runs: stored.runs, history: stored.history };
    } catch (error) {
      if (error instanceof MonthNotEndedError) throw new ValidationError(error.detail);
      throw error;
    }
  },
});

const countsBody = z
  .object({
    counts: z
      .record(z.string(), z.number().int().min(0).max(10_000_000))
      .refine((counts) => Object.keys(counts).length > 0, '至少给出一个区县的法人企业数')
      .refine(
        (counts) => Object.keys(counts).every(isDistrictCode),
        '区县代码应为本市 24 个县（市、区）和园区之一',
      )
      .describe('district code → legal-person enterprises (法人企业数) of the month'),
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .meta({ id: 'EnterpriseCounts' });
type CountsBody = z.infer<typeof countsBody>;

export const putEnterpriseCountsRoute = defineRoute<ApiDeps, MonthParam, unknown, CountsBody>({
  method: 'PUT',
  path: '/enterprise-counts/{month}',
  summary:
    "Load a month's legal-person enterprise counts per district (the denominator); replaces those given",
  tags: ['evaluation'],
  roles: ['city'],
  params: monthParam,
  body: countsBody,
  response: z.object({ month: z.string(), counts: z.record(z.string(), z.number().int()) }),
  errors: [400, 401, 403],
  handle: async ({ params, body, scope, deps, event }) => {
    await putEnterpriseCounts(
      deps.store,
      params.month,
      new Map(Object.entries(body.counts)),
      requestActor(scope, event.requestContext.requestId, body.reason),
    );
    return { month: params.month, counts: body.counts };
  },
});

const benchmarkBody = z
  .object({
    value: z
      .number()
      .gt(0)
      .lt(1)
      .describe('the average ratio of provincial capitals and sub-provincial cities, 0.012 = 1.2%'),
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .meta({ id: 'Benchmark' });
type BenchmarkBody = z.infer<typeof benchmarkBody>;

export const putBenchmarkRoute = defineRoute<ApiDeps, MonthParam, unknown, BenchmarkBody>({
  method: 'PUT',
  path: '/benchmarks/{month}',
  summary: "Load a month's benchmark (省会及副省级城市平均占比)",
  tags: ['evaluation'],
  roles: ['city'],
  params: monthParam,
  body: benchmarkBody,
  response: z.object({ month: z.string(), value: z.number() }),
  errors: [400, 401, 403],
  handle: async ({ params, body, scope, deps, event }) => {
    await putBenchmark(
      deps.store,
      params.month,
      body.value,
      requestActor(scope, event.requestContext.requestId, body.reason),
    );
    return { month: params.month, value: body.value };
  },
});

export const evaluationRoutes = [
  listEvaluationsRoute,
  getEvaluationRoute,
  runEvaluationRoute,
  putEnterpriseCountsRoute,
  putBenchmarkRoute,
];
