/**
 * The direct exits of rule E1 (docs/rules.md, Exits, bulk): a listing triaged onto the exit list's
 * direct track ends because its subject is gone from the register (deregistered, moved out, liquidating)
 * or bankrupt. The request a department would write for it follows from the registry's facts, so a bulk
 * submission prefills it: the reason from the registration status, and the registry's record as evidence
 * where the reason needs one.
 */
import {
  DIRECT_EXIT_REASONS,
  type Evidence,
  type ExitReason,
  type ExitRequest,
  missingEvidence,
  type PublicationRevoked,
  REQUIRED_EVIDENCE,
} from './exits.ts';
import type { Classification, Subject } from './model.ts';
import { registrationStatusLabel } from './registration.ts';
import type { ChangedBy } from './trail.ts';

/** The list and track of a direct exit (rule E1). */
export const DIRECT_EXIT = { list: 'exit', track: 'direct' } as const;

/** Whether the listing's classification, the override prevailing, is the direct exit of rule E1. */
export function isDirectExit(classification: Classification | undefined): boolean {
  if (classification === undefined) return false;
  const decided = classification.override ?? classification;
  return decided.list === DIRECT_EXIT.list && decided.track === DIRECT_EXIT.track;
}

/** A listing a bulk submission cannot prefill (409). */
export class DirectExitError extends Error {
  constructor(
    readonly code: 'not-direct-exit' | 'no-direct-exit-reason',
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'DirectExitError';
  }
}

/** The exit reason the registry's facts give: the registration status first, then the bankruptcy flag. */
export function directExitReason(
  subject: Pick<Subject, 'registrationStatus' | 'flags'>,
): ExitReason | undefined {
  const byStatus =
    subject.registrationStatus === undefined ? undefined : DIRECT_EXIT_REASONS[subject.registrationStatus];
  if (byStatus !== undefined) return byStatus;
  return subject.flags.bankruptcy === true ? 'bankruptcy' : undefined;
}

/**
 * The registry's record of the subject's status, naming the import that last wrote the subject where an
 * import did (a registry push sets the status; a later request, e.g. another exit, does not name one).
 */
export function registryEvidence(
  subject: Pick<Subject, 'registrationStatus' | 'movedTo'> & { readonly changedBy?: ChangedBy },
): Evidence {
  const status =
    subject.registrationStatus === undefined
      ? '未载明'
      : registrationStatusLabel(subject.registrationStatus, subject.movedTo);
  const cause = subject.changedBy?.cause;
  const source = cause?.kind === 'import' ? `，导入批次 ${cause.id}` : '';
  return { kind: 'registry-record', ref: `登记机关记录：登记状态“${status}”${source}` };
}

/** What the bulk request gives for every listing it submits. */
export interface DirectExitDefaults {
  /** `yyyy-mm-dd`. */
  readonly effectiveDate: string;
  readonly publicationRevoked: PublicationRevoked;
  /** Added to every submission; the registry's record joins it where the reason still needs one. */
  readonly evidence: readonly Evidence[];
  readonly note?: string;
}

/**
 * The exit request of a direct exit, prefilled: throws {@link DirectExitError} where the listing is not
 * on the direct track or the registry's facts give no reason (they changed since triage).
 */
export function directExitRequest(
  subject: Pick<Subject, 'registrationStatus' | 'movedTo' | 'flags'> & { readonly changedBy?: ChangedBy },
  classification: Classification | undefined,
  defaults: DirectExitDefaults,
): ExitRequest {
  if (!isDirectExit(classification))
    throw new DirectExitError('not-direct-exit', '该名单记录的分类不是“退出—直接退出”，不能批量申报');
  const reason = directExitReason(subject);
  if (reason === undefined)
    throw new DirectExitError(
      'no-direct-exit-reason',
      '企业登记信息已不属于注销、迁出、清算或破产情形，请重新分类后单独申报',
    );
  const given = defaults.evidence;
  const needsRecord =
    REQUIRED_EVIDENCE[reason].includes('registry-record') &&
    missingEvidence({ reason, evidence: given }) !== undefined;
  return {
    reason,
    effectiveDate: defaults.effectiveDate,
    evidence: needsRecord ? [...given, registryEvidence(subject)] : given,
    publicationRevoked: defaults.publicationRevoked,
    ...(defaults.note === undefined ? {} : { note: defaults.note }),
  };
}
