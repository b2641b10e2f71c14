/**
 * The edge of the exit routes: who may act on a submission, a request's dates and uploaded evidence
 * checked before anything is written, and the refusals of the domain and the store mapped to HTTP in
 * one place.
 */
import { ExitConflictError, exitDateProblems } from '#domain/exit-steps.ts';
import {
  type ExitActor,
  type ExitDecision,
  type ExitRequest,
  ExitStateError,
  type ExitSubmission,
  FourEyesError,
} from '#domain/exits.ts';
import { LIST_TYPES, type ListType } from '#domain/model.ts';
import type { ListingRef } from '#domain/subject-writes.ts';
import { ownsListing, type Scope } from '#shared/auth.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#shared/errors.ts';
import { ExitNotFoundError, type StoredExit } from '#storage/exit-store.ts';
import { decodeListingId } from '#storage/keys.ts';
import type { ExitsDeps } from '../create-handler.ts';

/** The key prefix of evidence files uploaded for exits; any other `ref` is a document number. */
export const EVIDENCE_KEY_PREFIX = 'evidence/';

/** A review's or confirmation's body. */
export interface ExitDecisionBody {
  readonly decision: 'approve' | 'reject';
  readonly comment?: string | undefined;
}

/** The listing an id names; an id this API did not issue names nothing. */
export function listingRefOf(listingId: string): ListingRef {
  const decoded = decodeListingId(listingId);
  if (decoded === undefined || !(LIST_TYPES as readonly string[]).includes(decoded.listType))
    throw new NotFoundError(`名单记录 ${listingId}`);
  return { uscc: decoded.uscc, listType: decoded.listType as ListType, key: decoded.key };
}

/** Who takes a step, and when, as the submission's round keeps it. */
export function actorOf(scope: Scope, at: string): ExitActor {
  return {
    principal: scope.principal,
    role: scope.role,
    ...(scope.department === undefined ? {} : { department: scope.department }),
    ...(scope.district === undefined ? {} : { district: scope.district }),
    at,
  };
}

/** The designating department of the exit's listing (谁认定、谁退出). */
function ownsExit(scope: Scope, exit: Pick<ExitSubmission, 'department' | 'district'>): boolean {
  return ownsListing(scope, exit);
}

/** Who may see a submission: its department, the district office of its district, the city. */
export function canSeeExit(scope: Scope, exit: Pick<ExitSubmission, 'department' | 'district'>): boolean {
  if (scope.role === 'city') return true;
  if (scope.role === 'district') return scope.district === exit.district;
  return ownsExit(scope, exit);
}

export function requireOwner(
  scope: Scope,
  exit: Pick<ExitSubmission, 'department' | 'district'>,
  what: string,
) {
  if (!ownsExit(scope, exit)) throw new ForbiddenError(`只有该名单记录的认定部门可以${what}`);
}

/** A review's or confirmation's decision as the round keeps it. */
export function decisionOf(scope: Scope, body: ExitDecisionBody, at: string): ExitDecision {
  return { ...actorOf(scope, at), decision: body.decision, comment: body.comment ?? '' };
}

/** The reason the trail shows for a decision: what was decided, and the comment. */
export function decisionReason(body: ExitDecisionBody, approved: string, rejected: string): string {
  const what = body.decision === 'approve' ? approved : rejected;
  return body.comment ? `${what}：${body.comment}` : what;
}

interface Problem {
  readonly field: string;
  readonly message: string;
}

async function evidenceProblems(deps: ExitsDeps, request: ExitRequest): Promise<Problem[]> {
  const verify = deps.verifyEvidence;
  if (verify === undefined) return [];
  const checked = await Promise.all(
    request.evidence.map(async (item, index) => {
      if (!item.ref.startsWith(EVIDENCE_KEY_PREFIX)) return undefined;
      const message = await verify(item);
      return message === undefined ? undefined : { field: `evidence.${index}.ref`, message };
    }),
  );
  return checked.filter((problem) => problem !== undefined);
}

/**
 * Throws a 400 naming every problem of the request's dates (against today and the listed date) and of
 * its uploaded files; the body's schema has checked the fields and the evidence each reason needs.
 */
export async function requireValidRequest(
  deps: ExitsDeps,
  request: ExitRequest,
  today: string,
  listedAt: string | undefined,
): Promise<void> {
  const problems = [
    ...exitDateProblems(request, today, listedAt),
    ...(await evidenceProblems(deps, request)),
  ];
  if (problems.length === 0) return;
  throw new ValidationError(
    problems.map(({ field, message }) => `请求体 ${field}：${message}`).join('；'),
    problems.map(({ field, message }) => ({ path: `body.${field}`, message })),
  );
}

/** A submission as the API shows it: every round and the version, no bookkeeping. */
export function exitView(exit: StoredExit): StoredExit {
  const { changedBy: _changedBy, ...view } = exit as StoredExit & { changedBy?: unknown };
  return view;
}

/** The HTTP error of a refusal; `current` is the submission as read, shown beside a 409 of its state. */
export function httpErrorOf(error: unknown, current?: StoredExit): unknown {
  if (error instanceof ExitStateError)
    return new ConflictError(error.code, error.detail, current === undefined ? undefined : exitView(current));
  if (error instanceof ExitConflictError) return new ConflictError(error.code, error.detail);
  if (error instanceof FourEyesError) return new ForbiddenError(error.detail);
  if (error instanceof ExitNotFoundError) return new NotFoundError(`退出申报 ${error.exitId}`);
  return error;
}

/** A step's transition with its refusals mapped, the submission read shown beside a 409. */
export function guardedStep(transition: (stored: StoredExit) => ExitSubmission) {
  return (stored: StoredExit): ExitSubmission => {
    try {
      return transition(stored);
    } catch (error) {
      throw httpErrorOf(error, stored);
    }
  };
}

/** Runs a route's work with the domain's and the store's refusals mapped to HTTP. */
export async function withHttpErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw httpErrorOf(error);
  }
}
