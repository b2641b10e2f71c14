/**
 * `POST /exits/bulk`: a department submits the direct exits (rule E1) of its listings in one request —
 * every active listing of its whose classification, the override prevailing, is the exit list's direct
 * track (of one district when asked), or the listings it names. Each request is prefilled from the
 * registry's facts (`#domain/direct-exits.ts`) and opened by the single submission's store function, in
 * its own transaction, so one open submission per listing still holds. The answer is 200 with a result
 * per listing in order: a failure is reported beside the others, never hidden by them.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { type DirectExitDefaults, DirectExitError, directExitRequest } from '#domain/direct-exits.ts';
import { DISTRICTS } from '#domain/district.ts';
import { exitDateProblems, planExitPending, requireExitable } from '#domain/exit-steps.ts';
import { type ExitRequest, missingEvidence } from '#domain/exits.ts';
import { type Listing, type Subject, shanghaiDate, UNASSIGNED_DISTRICT } from '#domain/model.ts';
import type { ChangedBy } from '#domain/trail.ts';
import type { Scope } from '#shared/auth.ts';
import { requestActor } from '#shared/changed-by.ts';
import {
  AppError,
  ConflictError,
  NotFoundError,
  ScopeViolationError,
  ValidationError,
} from '#shared/errors.ts';
import { defineRoute } from '#shared/http/route.ts';
import { createLogger } from '#shared/logger.ts';
import { mapLimited } from '#shared/map-limited.ts';
import { directExitListingIds } from '#storage/direct-exit-query.ts';
import { openExit } from '#storage/exit-store.ts';
import { getListing, getSubject } from '#storage/subject-store.ts';
import type { ExitsDeps } from '../create-handler.ts';
import { exitRequestSchema } from '../exit-schemas.ts';
import {
  actorOf,
  httpErrorOf,
  listingRefOf,
  requireOwner,
  requireValidRequest,
} from './submission-checks.ts';
import { newSubmission, submitReason } from './submissions.ts';

/** Listings one request may submit: each is its own transaction, and the answer lists every one. */
export const MAX_BULK_EXITS = 500;

/** Submissions in flight at once: listings of one subject race on its version and are retried. */
const SUBMISSIONS_IN_FLIGHT = 8;

const request = exitRequestSchema.shape;

const DISTRICT_VALUES: [string, ...string[]] = [
  UNASSIGNED_DISTRICT,
  ...DISTRICTS.map((district) => district.code),
];

const bulkExitSchema = z
  .object({
    listingIds: z
      .array(z.string({ error: '名单记录（listingIds）须为文字' }).min(1).max(2048), {
        error: '名单记录（listingIds）须为列表',
      })
      .min(1, '名单记录（listingIds）不能为空列表')
      .max(MAX_BULK_EXITS, `一次最多申报 ${MAX_BULK_EXITS} 条名单记录`)
      .optional()
      .describe(
        'the listings to submit; absent: every active listing of the department on the direct-exit track',
      ),
    district: z
      .enum(DISTRICT_VALUES, { error: '区县（district）须为石家庄市的区县代码或 UNASSIGNED' })
      .optional()
      .describe('only listings of this district'),
    effectiveDate: request.effectiveDate.optional().describe('yyyy-mm-dd; default today (Asia/Shanghai)'),
    publicationRevoked: request.publicationRevoked,
    evidence: request.evidence
      .optional()
      .describe("added to every submission; the registry's record joins it where the reason needs one"),
    note: request.note,
  })
  .meta({ id: 'ExitBulkRequest' });

const bulkResultSchema = z
  .object({
    results: z
      .array(
        z.object({
          listingId: z.string(),
          exitId: z.string().optional().describe('the submission opened (status 201)'),
          status: z
            .number()
            .int()
            .describe('201 submitted; else the status the single POST /exits would answer'),
          code: z.string().optional(),
          detail: z.string().optional().describe('why not, in Chinese'),
        }),
      )
      .describe('one per listing, in the order of listingIds (or of the listed date)'),
    submitted: z.number().int(),
    failed: z.number().int(),
  })
  .meta({ id: 'ExitBulkResult' });

type BulkExitBody = z.infer<typeof bulkExitSchema>;
type BulkResult = z.infer<typeof bulkResultSchema>['results'][number];

const log = createLogger({ component: 'exits-bulk' });

/** The district a request may cover: its own, for a department whose token names one. */
function districtOf(scope: Scope, asked: string | undefined): string | undefined {
  if (scope.district === undefined) return asked;
  if (asked !== undefined && asked !== scope.district)
    throw new ScopeViolationError(`区县 ${asked} 超出当前令牌的数据范围`);
  return scope.district;
}

/** Who last changed the subject: the import that set its registry facts, as the evidence names it. */
function changedByOf(subject: Subject): ChangedBy | undefined {
  return (subject as Subject & { readonly changedBy?: ChangedBy }).changedBy;
}

interface BulkContext {
  readonly deps: ExitsDeps;
  readonly scope: Scope;
  readonly requestId: string;
  readonly district: string | undefined;
  readonly defaults: DirectExitDefaults;
  readonly today: string;
  readonly at: string;
}

/** The prefilled request of one listing as read, or the refusal the single submission would give. */
function prefill(context: BulkContext, state: { subject: Subject; listing: Listing }): ExitRequest {
  const { subject, listing } = state;
  requireOwner(context.scope, { department: listing.department, district: subject.district }, '申报退出');
  if (context.district !== undefined && subject.district !== context.district)
    throw new ConflictError(
      'outside-district',
      `该名单记录属于区县 ${subject.district}，不在本次申报的区县内`,
    );
  requireExitable(listing);
  let exitRequest: ExitRequest;
  try {
    exitRequest = directExitRequest(
      { ...subject, changedBy: changedByOf(subject) },
      listing.classification,
      context.defaults,
    );
  } catch (error) {
    if (error instanceof DirectExitError) throw new ConflictError(error.code, error.detail);
    throw error;
  }
  const missing = missingEvidence(exitRequest);
  if (missing !== undefined) throw new ValidationError(`请求体 evidence：${missing}`);
  const dates = exitDateProblems(exitRequest, context.today, listing.listedAt);
  if (dates.length > 0)
    throw new ValidationError(dates.map(({ field, message }) => `请求体 ${field}：${message}`).join('；'));
  return exitRequest;
}

/** The subject and listing as read, consistently; a listing that is not there is a 404. */
async function readState(context: BulkContext, listingId: string) {
  const ref = listingRefOf(listingId);
  const [listing, subject] = await Promise.all([
    getListing(context.deps.store, ref, true),
    getSubject(context.deps.store, ref.uscc, true),
  ]);
  if (listing === undefined || subject === undefined) throw new NotFoundError(`名单记录 ${listingId}`);
  return { ref, state: { listing, subject } };
}

/**
 * Opens one listing's submission as `POST /exits` does: prefilled from what was read, checked again on
 * what the transaction reads. The answer says how it went, whatever went wrong.
 */
async function submitOne(context: BulkContext, listingId: string): Promise<BulkResult> {
  try {
    const { ref, state } = await readState(context, listingId);
    const exitRequest = prefill(context, state);
    const round = { ...exitRequest, round: 1, submitted: actorOf(context.scope, context.at) };
    const reason = submitReason(exitRequest, '批量申报直接退出');
    const actor = requestActor(context.scope, context.requestId, reason);
    const exitId = randomUUID();
    const opened = await openExit(
      context.deps.store,
      ref,
      actor,
      (current) => {
        if (current.listing === undefined || current.subject === undefined)
          throw new NotFoundError(`名单记录 ${listingId}`);
        const now = { listing: current.listing, subject: current.subject };
        // the registry may have changed since the first read: never submit a reason it no longer gives
        if (prefill(context, now).reason !== exitRequest.reason)
          throw new ConflictError('registry-changed', '企业登记信息在申报时发生变化，请重新申报');
        return newSubmission(exitId, now, round);
      },
      planExitPending,
    );
    return { listingId, exitId: opened.exitId, status: 201 };
  } catch (caught) {
    return failureOf(listingId, caught);
  }
}

function failureOf(listingId: string, caught: unknown): BulkResult {
  const error = httpErrorOf(caught);
  if (error instanceof AppError)
    return { listingId, status: error.status, code: error.code, detail: error.message };
  log.error('bulk exit submission failed', { listingId, error: String(caught) });
  return { listingId, status: 500, code: 'internal-error', detail: '服务器内部错误，请对该条稍后重试' };
}

/** The listings asked for, or the department's on the direct-exit track; more than the cap is a 400. */
async function listingIdsOf(context: BulkContext, body: BulkExitBody): Promise<readonly string[]> {
  if (body.listingIds !== undefined) return body.listingIds;
  const found = await directExitListingIds(context.deps.store, context.scope.department ?? '', {
    ...(context.district === undefined ? {} : { district: context.district }),
    atMost: MAX_BULK_EXITS,
  });
  if (found.length > MAX_BULK_EXITS)
    throw new AppError(
      400,
      'too-many-listings',
      `直接退出的名单记录超过 ${MAX_BULK_EXITS} 条，请按区县（district）分批或列明名单记录（listingIds）申报`,
    );
  return found;
}

export const bulkExitRoute = defineRoute<ExitsDeps, unknown, unknown, BulkExitBody>({
  method: 'POST',
  path: '/exits/bulk',
  summary:
    "The department submits the direct exits (rule E1) of its listings in one request, prefilled from the registry's facts; a result per listing",
  tags: ['exits'],
  roles: ['department'],
  body: bulkExitSchema,
  response: bulkResultSchema,
  errors: [400, 401, 403],
  handle: async ({ body, scope, deps, event }) => {
    const now = deps.store.clock.now();
    const today = shanghaiDate(now);
    const defaults: DirectExitDefaults = {
      effectiveDate: body.effectiveDate ?? today,
      publicationRevoked: body.publicationRevoked,
      evidence: body.evidence ?? [],
      ...(body.note ? { note: body.note } : {}),
    };
    // the dates against today and the uploaded files are the same for every listing: checked once
    await requireValidRequest(deps, { reason: 'other', ...defaults }, today, undefined);
    const context: BulkContext = {
      deps,
      scope,
      requestId: event.requestContext.requestId,
      district: districtOf(scope, body.district),
      defaults,
      today,
      at: now.toISOString(),
    };
    const ids = await listingIdsOf(context, body);
    const results = await mapLimited(ids, SUBMISSIONS_IN_FLIGHT, (listingId) =>
      submitOne(context, listingId),
    );
    const submitted = results.filter((result) => result.status === 201).length;
    return { results, submitted, failed: results.length - submitted };
  },
});

export const bulkRoutes = [bulkExitRoute];
