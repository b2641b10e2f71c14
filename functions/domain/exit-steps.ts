/**
 * What each step of an exit does to its listing, as pure planners for the store's one transaction:
 * submitting makes the listing `exit-pending` (still counted), every later step mirrors the submission's
 * status on the listing (so the subject's history shows it), a withdrawal makes it `active` again, and
 * only a confirmation ends it. Also the checks of a submission's dates, which need today's date.
 */
import { type ChangePlan, type Planner, planExitListing } from './changes.ts';
import type { ExitRequest, ExitStatus, ExitSubmission } from './exits.ts';
import type { Listing } from './model.ts';

/** The listing does not allow the step: an exit is open on it already, or it has ended (409). */
export class ExitConflictError extends Error {
  constructor(
    readonly code: 'exit-open' | 'listing-exited' | 'exit-listing-mismatch',
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ExitConflictError';
  }
}

/** Throws unless the listing is active, the only status an exit may start from. */
export function requireExitable(listing: Pick<Listing, 'status' | 'exitId'>): void {
  if (listing.status === 'exit-pending')
    throw new ExitConflictError(
      'exit-open',
      `该名单记录已有未办结的退出申报（${listing.exitId ?? '编号不详'}），不能重复申报`,
    );
  if (listing.status === 'exited')
    throw new ExitConflictError('listing-exited', '该名单记录已退出，不能再申报退出');
}

function withListing(current: Parameters<Planner>[0], listing: ChangePlan['listing']): ChangePlan {
  if (current.subject === undefined)
    throw new ExitConflictError('exit-listing-mismatch', '名单记录的主体不存在');
  return { subject: { ...current.subject }, listing };
}

/** The listing as the open submission leaves it; throws unless it is active. */
export function planExitPending(exit: Pick<ExitSubmission, 'exitId' | 'status'>): Planner {
  return (current) => {
    const { listing } = current;
    if (listing === undefined) throw new ExitConflictError('exit-listing-mismatch', '名单记录不存在');
    requireExitable(listing);
    return withListing(current, {
      ...listing,
      status: 'exit-pending',
      exitId: exit.exitId,
      exitStatus: exit.status,
    });
  };
}

/** The listing of an open submission, pending still, as that submission's state mirrors on it. */
function pendingListingOf(current: Parameters<Planner>[0], exitId: string): Listing {
  const { listing } = current;
  if (listing === undefined || listing.status !== 'exit-pending' || listing.exitId !== exitId)
    throw new ExitConflictError('exit-listing-mismatch', `名单记录当前不在退出申报 ${exitId} 的办理中`);
  return listing;
}

/** A step that leaves the listing pending (review, rejection, resubmission): its status mirrored. */
export function planExitStep(exit: Pick<ExitSubmission, 'exitId' | 'status'>): Planner {
  return (current) => {
    const listing = pendingListingOf(current, exit.exitId);
    if (listing.exitStatus === exit.status) return undefined;
    return withListing(current, { ...listing, exitStatus: exit.status });
  };
}

/** A withdrawal: the listing is active again, with no exit open on it. */
export function planExitWithdrawn(exit: Pick<ExitSubmission, 'exitId'>): Planner {
  return (current) => {
    const { exitId: _exitId, exitStatus: _exitStatus, ...listing } = pendingListingOf(current, exit.exitId);
    return withListing(current, { ...listing, status: 'active' });
  };
}

/** A confirmation: the listing ends on the effective date, for the reason, counts and flows moving. */
export function planExitConfirmed(exit: ExitSubmission, request: ExitRequest): Planner {
  const ended = planExitListing(request.reason, { exitId: exit.exitId, exitedAt: request.effectiveDate });
  return (current) => {
    pendingListingOf(current, exit.exitId);
    const plan = ended(current);
    if (plan?.listing === undefined) return plan;
    return { ...plan, listing: { ...plan.listing, exitStatus: 'confirmed' satisfies ExitStatus } };
  };
}

export interface ExitRequestProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * The dates of a request against today (`yyyy-mm-dd`, Asia/Shanghai) and the listing's listed date:
 * nothing ends or is revoked in the future, and nothing ends before it was listed.
 */
export function exitDateProblems(
  request: Pick<ExitRequest, 'effectiveDate' | 'publicationRevoked'>,
  today: string,
  listedAt: string | undefined,
): ExitRequestProblem[] {
  const problems: ExitRequestProblem[] = [];
  if (request.effectiveDate > today)
    problems.push({ field: 'effectiveDate', message: `退出日期不能晚于今天（${today}）` });
  if (listedAt !== undefined && request.effectiveDate < listedAt)
    problems.push({ field: 'effectiveDate', message: `退出日期不能早于列入日期（${listedAt}）` });
  if (request.publicationRevoked.date > today)
    problems.push({ field: 'publicationRevoked.date', message: `撤销公示日期不能晚于今天（${today}）` });
  return problems;
}
