/**
 * Exits (docs/rules.md, Exits): the reasons and the evidence each needs, the submission with its rounds,
 * and the four-eyes path — the designating department submits, the district office of the listing's
 * district reviews, the city office confirms — as pure transitions. Only confirmation ends the listing;
 * the store writes that in one transaction with the counts. Nobody reviews or confirms a submission they
 * made or reviewed.
 */
import type { ListType } from './model.ts';

export const EXIT_REASONS = [
  'deregistered',
  'moved-out',
  'liquidation',
  'bankruptcy',
  'obligations-performed',
  'credit-repaired',
  'term-expired',
  'wrongly-listed',
  'other',
] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

export const EXIT_REASON_LABELS: Readonly<Record<ExitReason, string>> = {
  deregistered: '已注销',
  'moved-out': '已迁出',
  liquidation: '清算',
  bankruptcy: '破产',
  'obligations-performed': '履行完毕',
  'credit-repaired': '信用修复',
  'term-expired': '公示期满',
  'wrongly-listed': '错误列入',
  other: '其他',
};

export const EVIDENCE_KINDS = [
  'registry-record',
  'court-ruling',
  'payment-proof',
  'repair-decision',
  'written-statement',
  'other-document',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const EVIDENCE_KIND_LABELS: Readonly<Record<EvidenceKind, string>> = {
  'registry-record': '登记机关注销、迁出或清算记录',
  'court-ruling': '法院裁定书',
  'payment-proof': '履行证明或缴款凭证',
  'repair-decision': '信用修复决定书',
  'written-statement': '认定部门书面说明',
  'other-document': '其他材料',
};

/**
 * The evidence a reason needs: at least one item of one of these kinds. `term-expired` needs none: the
 * listing's own dates show it, and triage has checked them (rule E2).
 */
export const REQUIRED_EVIDENCE: Readonly<Record<ExitReason, readonly EvidenceKind[]>> = {
  deregistered: ['registry-record'],
  'moved-out': ['registry-record'],
  liquidation: ['registry-record', 'court-ruling'],
  bankruptcy: ['court-ruling'],
  'obligations-performed': ['payment-proof', 'court-ruling'],
  'credit-repaired': ['repair-decision'],
  'term-expired': [],
  'wrongly-listed': ['written-statement'],
  other: ['written-statement'],
};

/** The exit reason that follows from a direct-exit triage decision (rule E1), by registration status. */
export const DIRECT_EXIT_REASONS: Readonly<Record<string, ExitReason>> = {
  deregistered: 'deregistered',
  'revoked-deregistered': 'deregistered',
  cancelled: 'deregistered',
  'moved-out': 'moved-out',
  liquidating: 'liquidation',
};

export interface Evidence {
  readonly kind: EvidenceKind;
  /** A document number, or the key of a file uploaded for this exit. */
  readonly ref: string;
  readonly sha256?: string;
}

/** Where and when the designating department revoked the publication (撤销公示). */
export interface PublicationRevoked {
  readonly system: string;
  /** `yyyy-mm-dd`. */
  readonly date: string;
}

/** Who acted on a submission, and when. */
export interface ExitActor {
  readonly principal: string;
  readonly role: string;
  readonly department?: string;
  readonly district?: string;
  readonly at: string;
}

export interface ExitDecision extends ExitActor {
  readonly decision: 'approve' | 'reject';
  readonly comment: string;
}

/** What the department submits (again, after a rejection). */
export interface ExitRequest {
  readonly reason: ExitReason;
  /** `yyyy-mm-dd`: the day the listing ends; its month takes the exit in the monthly flows. */
  readonly effectiveDate: string;
  readonly evidence: readonly Evidence[];
  readonly publicationRevoked: PublicationRevoked;
  readonly note?: string;
}

/** One submission and what the offices decided on it. Earlier rounds are kept as they were. */
export interface ExitRound extends ExitRequest {
  readonly round: number;
  readonly submitted: ExitActor;
  readonly review?: ExitDecision;
  readonly confirmation?: ExitDecision;
  readonly withdrawn?: ExitActor;
}

/**
 * `submitted`: waits for the district office; `reviewed`: approved there, waits for the city;
 * `returned`: rejected by either, back with the department to correct and resubmit; `withdrawn`: the
 * department took it back; `confirmed`: the listing has ended.
 */
export const EXIT_STATUSES = ['submitted', 'reviewed', 'returned', 'withdrawn', 'confirmed'] as const;
export type ExitStatus = (typeof EXIT_STATUSES)[number];

/** Statuses of a submission still open: the listing stays `exit-pending` and no second one is taken. */
export function isOpenExit(status: ExitStatus): boolean {
  return status === 'submitted' || status === 'reviewed' || status === 'returned';
}

export interface ExitSubmission {
  readonly exitId: string;
  readonly listingId: string;
  readonly uscc: string;
  readonly listType: ListType;
  readonly key: string;
  readonly subjectName: string;
  /** The listing's district when submitted: whose office reviews it. */
  readonly district: string;
  /** The designating department. */
  readonly department: string;
  readonly listedAt?: string;
  readonly status: ExitStatus;
  readonly rounds: readonly ExitRound[];
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The 信用中国 batch that reported it, once reported. */
  readonly reportId?: string;
}

/** A step the submission's state does not allow (409). */
export class ExitStateError extends Error {
  constructor(
    readonly code: 'exit-not-submitted' | 'exit-not-reviewed' | 'exit-not-returned' | 'exit-closed',
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ExitStateError';
  }
}

/** A person acting on a submission they made or reviewed (403). */
export class FourEyesError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'FourEyesError';
  }
}

/** The evidence missing for a reason, as a Chinese message; undefined when the evidence is enough. */
export function missingEvidence(request: Pick<ExitRequest, 'reason' | 'evidence'>): string | undefined {
  const needed = REQUIRED_EVIDENCE[request.reason];
  if (needed.length === 0 || request.evidence.some((item) => needed.includes(item.kind))) return undefined;
  const kinds = needed.map((kind) => EVIDENCE_KIND_LABELS[kind]).join('或');
  return `退出原因“${EXIT_REASON_LABELS[request.reason]}”须提供${kinds}`;
}

function currentRound(exit: ExitSubmission): ExitRound {
  const round = exit.rounds.at(-1);
  if (round === undefined) throw new ExitStateError('exit-closed', '该退出申报没有申报记录');
  return round;
}

function withRound(exit: ExitSubmission, round: ExitRound, status: ExitStatus, at: string): ExitSubmission {
  return { ...exit, status, rounds: [...exit.rounds.slice(0, -1), round], updatedAt: at };
}

/** The district office's decision on a submitted exit. */
export function reviewExit(exit: ExitSubmission, decision: ExitDecision): ExitSubmission {
  if (exit.status !== 'submitted')
    throw new ExitStateError(
      'exit-not-submitted',
      `该退出申报当前状态为“${EXIT_STATUS_LABELS[exit.status]}”，不能审核`,
    );
  const round = currentRound(exit);
  if (round.submitted.principal === decision.principal) throw new FourEyesError('不能审核本人提交的退出申报');
  const status = decision.decision === 'approve' ? 'reviewed' : 'returned';
  return withRound(exit, { ...round, review: decision }, status, decision.at);
}

/** The city office's decision on a reviewed exit; `confirmed` ends the listing (the store's transaction). */
export function confirmExit(exit: ExitSubmission, decision: ExitDecision): ExitSubmission {
  if (exit.status !== 'reviewed')
    throw new ExitStateError(
      'exit-not-reviewed',
      `该退出申报当前状态为“${EXIT_STATUS_LABELS[exit.status]}”，须经区县审核后才能确认`,
    );
  const round = currentRound(exit);
  if (round.submitted.principal === decision.principal) throw new FourEyesError('不能确认本人提交的退出申报');
  if (round.review?.principal === decision.principal) throw new FourEyesError('不能确认本人审核过的退出申报');
  const status = decision.decision === 'approve' ? 'confirmed' : 'returned';
  return withRound(exit, { ...round, confirmation: decision }, status, decision.at);
}

/** The department's corrected submission after a rejection: a new round, the earlier ones kept. */
export function resubmitExit(
  exit: ExitSubmission,
  request: ExitRequest,
  submitted: ExitActor,
): ExitSubmission {
  if (exit.status !== 'returned')
    throw new ExitStateError(
      'exit-not-returned',
      `该退出申报当前状态为“${EXIT_STATUS_LABELS[exit.status]}”，只有被退回的申报可以重新提交`,
    );
  const round: ExitRound = { ...request, round: exit.rounds.length + 1, submitted };
  return { ...exit, status: 'submitted', rounds: [...exit.rounds, round], updatedAt: submitted.at };
}

/** The department takes its submission back, before the district office has approved it. */
export function withdrawExit(exit: ExitSubmission, withdrawn: ExitActor): ExitSubmission {
  if (exit.status !== 'submitted' && exit.status !== 'returned')
    throw new ExitStateError(
      'exit-closed',
      `该退出申报当前状态为“${EXIT_STATUS_LABELS[exit.status]}”，不能撤回`,
    );
  return withRound(exit, { ...currentRound(exit), withdrawn }, 'withdrawn', withdrawn.at);
}

export const EXIT_STATUS_LABELS: Readonly<Record<ExitStatus, string>> = {
  submitted: '待区县审核',
  reviewed: '待市级确认',
  returned: '已退回',
  withdrawn: '已撤回',
  confirmed: '已确认退出',
};
