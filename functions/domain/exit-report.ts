/**
 * The 信用中国 batches (docs/rules.md, Exits): the city reports its confirmed exits
 * in numbered batches, each exit in exactly one, each batch kept as it was made. A line holds what the
 * exit said when the batch was made, so a batch reads the same however often it is downloaded.
 */
import { currentExitRound } from './exit-queue.ts';
import type { ExitReason, ExitSubmission } from './exits.ts';
import type { ListType } from './model.ts';

/** One batch: its number (1, 2, 3 … without gaps), its size, and who made it when. */
export interface ExitReport {
  /** The number as text, as the API names it: `"3"`. */
  readonly reportId: string;
  readonly reportNumber: number;
  readonly exitCount: number;
  readonly createdAt: string;
  readonly createdBy: { readonly principal: string; readonly role: string };
}

/** One line of a batch. */
export interface ExitReportLine {
  /** 序号: 1 … n in the batch's order (confirmation time, then exit id). */
  readonly position: number;
  readonly exitId: string;
  readonly listingId: string;
  readonly uscc: string;
  readonly subjectName: string;
  readonly district: string;
  readonly listType: ListType;
  readonly department: string;
  readonly listedAt?: string;
  /** 退出日期: the exit's effective date. */
  readonly exitDate: string;
  readonly reason: ExitReason;
  readonly revokedSystem: string;
  readonly revokedDate: string;
  /** The district whose credit office reviewed the exit (审核单位). */
  readonly reviewedByDistrict: string;
  readonly confirmedAt: string;
}

/** A batch whose every line an office needs: no exit is reported that is not confirmed. */
export class ExitNotConfirmedError extends Error {
  constructor(exitId: string) {
    super(`exit ${exitId} is not confirmed`);
    this.name = 'ExitNotConfirmedError';
  }
}

/** When the city confirmed the exit: the batch's order. */
export function confirmedAt(exit: ExitSubmission): string {
  return currentExitRound(exit)?.confirmation?.at ?? exit.updatedAt;
}

/** The batch's order: confirmation time, then exit id. */
export function reportOrder(a: ExitSubmission, b: ExitSubmission): number {
  const byTime = confirmedAt(a).localeCompare(confirmedAt(b));
  return byTime !== 0 ? byTime : a.exitId.localeCompare(b.exitId);
}

/** The line of a confirmed exit at `position`. */
export function exitReportLine(exit: ExitSubmission, position: number): ExitReportLine {
  const round = currentExitRound(exit);
  if (exit.status !== 'confirmed' || round === undefined) throw new ExitNotConfirmedError(exit.exitId);
  return {
    position,
    exitId: exit.exitId,
    listingId: exit.listingId,
    uscc: exit.uscc,
    subjectName: exit.subjectName,
    district: exit.district,
    listType: exit.listType,
    department: exit.department,
    ...(exit.listedAt === undefined ? {} : { listedAt: exit.listedAt }),
    exitDate: round.effectiveDate,
    reason: round.reason,
    revokedSystem: round.publicationRevoked.system,
    revokedDate: round.publicationRevoked.date,
    reviewedByDistrict: round.review?.district ?? exit.district,
    confirmedAt: confirmedAt(exit),
  };
}
