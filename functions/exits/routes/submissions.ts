/**
 * The four-eyes path of one exit (docs/rules.md, Exits): the designating department submits (and may
 * withdraw or, after a rejection, resubmit), the district office of the listing's district reviews, the
 * city office confirms. The pure transitions of `#domain/exits.ts` decide; the exit store writes each step
 * with its listing in one transaction.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  planExitConfirmed,
  planExitPending,
  planExitStep,
  planExitWithdrawn,
  requireExitable,
} from '#domain/exit-steps.ts';
import {
  confirmExit,
  EXIT_REASON_LABELS,
  type ExitRequest,
  type ExitSubmission,
  resubmitExit,
  reviewExit,
  withdrawExit,
} from '#domain/exits.ts';
import { type Listing, type Subject, shanghaiDate } from '#domain/model.ts';
import { requestActor } from '#shared/changed-by.ts';
import { ForbiddenError, NotFoundError } from '#shared/errors.ts';
import { defineRoute } from '#shared/http/route.ts';
import { advanceExit, type ExitStep, getExit, openExit } from '#storage/exit-store.ts';
import { encodeListingId } from '#storage/keys.ts';
import { getListing, getSubject } from '#storage/subject-store.ts';
import type { ExitsDeps } from '../create-handler.ts';
import {
  exitDecisionSchema,
  exitIdParam,
  exitRequestSchema,
  exitSchema,
  submitExitSchema,
  withdrawExitSchema,
} from '../exit-schemas.ts';
import {
  actorOf,
  canSeeExit,
  decisionOf,
  decisionReason,
  exitView,
  guardedStep,
  listingRefOf,
  requireOwner,
  requireValidRequest,
  withHttpErrors,
} from './submission-checks.ts';

type ExitIdParam = z.infer<typeof exitIdParam>;
type DecisionBody = z.infer<typeof exitDecisionSchema>;

function requestOf(body: z.infer<typeof exitRequestSchema>): ExitRequest {
  const { reason, effectiveDate, evidence, publicationRevoked, note } = body;
  return { reason, effectiveDate, evidence, publicationRevoked, ...(note ? { note } : {}) };
}

export function submitReason(request: ExitRequest, what: string): string {
  return `${what}（${EXIT_REASON_LABELS[request.reason]}）${request.note ? `：${request.note}` : ''}`;
}

export function newSubmission(
  exitId: string,
  state: { subject: Subject; listing: Listing },
  round: ExitSubmission['rounds'][0],
): ExitSubmission {
  const { subject, listing } = state;
  return {
    exitId,
    listingId: encodeListingId(listing.uscc, listing.listType, listing.key),
    uscc: listing.uscc,
    listType: listing.listType,
    key: listing.key,
    subjectName: subject.name,
    district: subject.district,
    department: listing.department,
    ...(listing.listedAt === undefined ? {} : { listedAt: listing.listedAt }),
    status: 'submitted',
    rounds: [round],
    createdAt: round.submitted.at,
    updatedAt: round.submitted.at,
  };
}

export const submitExitRoute = defineRoute<ExitsDeps, unknown, unknown, z.infer<typeof submitExitSchema>>({
  method: 'POST',
  path: '/exits',
  summary:
    "The designating department submits a listing's exit, with evidence (the listing becomes exit-pending)",
  tags: ['exits'],
  roles: ['department'],
  body: submitExitSchema,
  response: exitSchema,
  successStatus: 201,
  errors: [400, 401, 403, 404, 409],
  handle: ({ body, scope, deps, event }) =>
    withHttpErrors(async () => {
      const ref = listingRefOf(body.listingId);
      const [listing, subject] = await Promise.all([
        getListing(deps.store, ref, true),
        getSubject(deps.store, ref.uscc, true),
      ]);
      if (listing === undefined || subject === undefined)
        throw new NotFoundError(`名单记录 ${body.listingId}`);
      const check = (state: { subject: Subject; listing: Listing }) => {
        requireOwner(
          scope,
          { department: state.listing.department, district: state.subject.district },
          '申报退出',
        );
        requireExitable(state.listing);
      };
      check({ listing, subject });
      const now = deps.store.clock.now();
      const request = requestOf(body);
      await requireValidRequest(deps, request, shanghaiDate(now), listing.listedAt);
      const round = { ...request, round: 1, submitted: actorOf(scope, now.toISOString()) };
      const exitId = randomUUID();
      const actor = requestActor(scope, event.requestContext.requestId, submitReason(request, '申报退出'));
      const opened = await openExit(
        deps.store,
        ref,
        actor,
        (current) => {
          if (current.listing === undefined || current.subject === undefined)
            throw new NotFoundError(`名单记录 ${body.listingId}`);
          const state = { listing: current.listing, subject: current.subject };
          check(state);
          return newSubmission(exitId, state, round);
        },
        planExitPending,
      );
      return exitView(opened);
    }),
});

export const getExitRoute = defineRoute<ExitsDeps, ExitIdParam, unknown, unknown>({
  method: 'GET',
  path: '/exits/{exitId}',
  summary: 'One exit submission with all its rounds (its department, its district office, the city)',
  tags: ['exits'],
  roles: ['city', 'district', 'department'],
  params: exitIdParam,
  response: exitSchema,
  errors: [401, 403, 404],
  handle: async ({ params, scope, deps }) => {
    const exit = await getExit(deps.store, params.exitId);
    if (exit === undefined || !canSeeExit(scope, exit)) throw new NotFoundError(`退出申报 ${params.exitId}`);
    return exitView(exit);
  },
});

/** Runs one step for the caller of a route, the submission's refusals mapped to HTTP at the edge. */
function step(deps: ExitsDeps, exitId: string, actor: ReturnType<typeof requestActor>, exitStep: ExitStep) {
  return withHttpErrors(async () => exitView(await advanceExit(deps.store, exitId, actor, exitStep)));
}

export const reviewExitRoute = defineRoute<ExitsDeps, ExitIdParam, unknown, DecisionBody>({
  method: 'POST',
  path: '/exits/{exitId}/review',
  summary: "The district office's review of a submitted exit: approve, or reject with a comment",
  tags: ['exits'],
  roles: ['district'],
  params: exitIdParam,
  body: exitDecisionSchema,
  response: exitSchema,
  errors: [400, 401, 403, 404, 409],
  handle: ({ params, body, scope, deps, event }) => {
    const at = deps.store.clock.now().toISOString();
    const reason = decisionReason(body, '区县信用办审核通过', '区县信用办审核退回');
    return step(deps, params.exitId, requestActor(scope, event.requestContext.requestId, reason), {
      next: guardedStep((stored) => {
        if (scope.district !== stored.district)
          throw new ForbiddenError(`只有区县 ${stored.district} 的信用办可以审核该退出申报`);
        return reviewExit(stored, decisionOf(scope, body, at));
      }),
      listing: planExitStep,
    });
  },
});

export const confirmExitRoute = defineRoute<ExitsDeps, ExitIdParam, unknown, DecisionBody>({
  method: 'POST',
  path: '/exits/{exitId}/confirm',
  summary:
    "The city office's confirmation of a reviewed exit: approval ends the listing and moves the counts",
  tags: ['exits'],
  roles: ['city'],
  params: exitIdParam,
  body: exitDecisionSchema,
  response: exitSchema,
  errors: [400, 401, 403, 404, 409],
  handle: ({ params, body, scope, deps, event }) => {
    const at = deps.store.clock.now().toISOString();
    const reason = decisionReason(body, '市信用办确认退出', '市信用办退回');
    return step(deps, params.exitId, requestActor(scope, event.requestContext.requestId, reason), {
      next: guardedStep((stored) => confirmExit(stored, decisionOf(scope, body, at))),
      listing: (next) => {
        const round = next.rounds.at(-1);
        return next.status === 'confirmed' && round !== undefined
          ? planExitConfirmed(next, round)
          : planExitStep(next);
      },
      // the exit counts in the month it took effect, not the month it was confirmed
      flowMonth: (next) =>
        next.status === 'confirmed' ? next.rounds.at(-1)?.effectiveDate.slice(0, 7) : undefined,
    });
  },
});

export const withdrawExitRoute = defineRoute<
  ExitsDeps,
  ExitIdParam,
  unknown,
  z.infer<typeof withdrawExitSchema>
>({
  method: 'POST',
  path: '/exits/{exitId}/withdraw',
  summary:
    'The department withdraws its submission before the district office approves it (listing active again)',
  tags: ['exits'],
  roles: ['department'],
  params: exitIdParam,
  body: withdrawExitSchema,
  response: exitSchema,
  errors: [400, 401, 403, 404, 409],
  handle: ({ params, body, scope, deps, event }) => {
    const at = deps.store.clock.now().toISOString();
    const reason = body?.comment ? `认定部门撤回退出申报：${body.comment}` : '认定部门撤回退出申报';
    return step(deps, params.exitId, requestActor(scope, event.requestContext.requestId, reason), {
      next: guardedStep((stored) => {
        requireOwner(scope, stored, '撤回退出申报');
        return withdrawExit(stored, actorOf(scope, at));
      }),
      listing: planExitWithdrawn,
    });
  },
});

export const resubmitExitRoute = defineRoute<
  ExitsDeps,
  ExitIdParam,
  unknown,
  z.infer<typeof exitRequestSchema>
>({
  method: 'POST',
  path: '/exits/{exitId}/resubmit',
  summary: 'The department corrects a returned submission: a new round, the earlier ones kept',
  tags: ['exits'],
  roles: ['department'],
  params: exitIdParam,
  body: exitRequestSchema,
  response: exitSchema,
  errors: [400, 401, 403, 404, 409],
  handle: async ({ params, body, scope, deps, event }) => {
    const now = deps.store.clock.now();
    const request = requestOf(body);
    const current = await getExit(deps.store, params.exitId);
    if (current === undefined) throw new NotFoundError(`退出申报 ${params.exitId}`);
    requireOwner(scope, current, '重新提交退出申报');
    await requireValidRequest(deps, request, shanghaiDate(now), current.listedAt);
    const reason = submitReason(request, '重新提交退出申报');
    return step(deps, params.exitId, requestActor(scope, event.requestContext.requestId, reason), {
      next: guardedStep((stored) => {
        requireOwner(scope, stored, '重新提交退出申报');
        return resubmitExit(stored, request, actorOf(scope, now.toISOString()));
      }),
      listing: planExitStep,
    });
  },
});

/** The routes of one submission's path, in the order a submission takes them. */
export const submissionRoutes = [
  submitExitRoute,
  getExitRoute,
  reviewExitRoute,
  confirmExitRoute,
  withdrawExitRoute,
  resubmitExitRoute,
];
