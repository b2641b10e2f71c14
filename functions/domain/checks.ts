/**
 * The joint-punishment check (联合惩戒核查): before a subsidy, a tender or an honour, another system asks
 * whether a company is under joint punishment. This module tells what each code asked about is (a USCC,
 * an old 9-character organisation code, or neither) and builds the answer for one code from what the
 * table holds. Pure: the store reads the subjects and listings and records the check.
 */
import {
  effectiveList,
  isCountingStatus,
  LIST_TYPE_LABELS,
  type Listing,
  type ListType,
  type TriageList,
} from './model.ts';
import { classifyIdentifier, normalizeCode, validateOrgCode, validateUscc } from './uscc.ts';

/** Why a code gets no answer of its own (English, stable, for programs). */
export type CheckErrorCode =
  | 'empty'
  | 'invalid-uscc'
  | 'invalid-org-code'
  | 'not-a-code'
  | 'person-id'
  | 'ambiguous-org-code';

export interface CheckError {
  readonly code: CheckErrorCode;
  /** Chinese, for the person who reads the answer. */
  readonly message: string;
}

/** A code asked about, after clean-up: what it is, or why it is none. */
export type CheckedCode =
  | { readonly kind: 'uscc'; readonly code: string; readonly uscc: string }
  | { readonly kind: 'org-code'; readonly code: string; readonly orgCode: string }
  | { readonly kind: 'malformed'; readonly code: string; readonly error: CheckError };

/** Lengths a code may have: a USCC, an organisation code, and one written `XXXXXXXX-X`. */
const USCC_LENGTH = 18;
const ORG_CODE_LENGTHS = new Set([9, 10]);

/**
 * The code as it is compared: trimmed, every space removed, full-width turned half-width, upper-cased.
 * Look-alike letters stay, so that the check can name them instead of guessing.
 */
export function normalizeCheckCode(raw: string): string {
  return normalizeCode(raw).value;
}

function malformed(code: string, errorCode: CheckErrorCode, message: string): CheckedCode {
  return { kind: 'malformed', code, error: { code: errorCode, message } };
}

/**
 * What a code asked about is. `code` is the raw value as given (the answer echoes it). An 18-character
 * value is checked as a USCC, a 9-character one (or `XXXXXXXX-X`) as an organisation code; a resident ID
 * is refused (natural persons are out of scope) and anything else is not a code.
 */
export function classifyCheckCode(code: string): CheckedCode {
  const value = normalizeCheckCode(code);
  if (value === '') return malformed(code, 'empty', '代码为空');
  if (classifyIdentifier(value) === 'person-id') {
    return malformed(code, 'person-id', '自然人身份证号码不在核查范围内，请以统一社会信用代码查询');
  }
  if (value.length === USCC_LENGTH) {
    const uscc = validateUscc(value);
    return uscc.ok ? { kind: 'uscc', code, uscc: uscc.uscc } : malformed(code, 'invalid-uscc', uscc.message);
  }
  if (ORG_CODE_LENGTHS.has(value.length)) {
    const org = validateOrgCode(value);
    if (org.ok) return { kind: 'org-code', code, orgCode: org.orgCode };
    if (value.length === 9 || /^.{8}[-‐‑–—].$/.test(value))
      return malformed(code, 'invalid-org-code', org.message);
  }
  return malformed(
    code,
    'not-a-code',
    `代码应为18位统一社会信用代码或9位组织机构代码，实际为${value.length}位`,
  );
}

/** The list a listing is on, or `unclassified` while triage has not reached it. */
export type CheckList = TriageList | 'unclassified';

/** A constraint measure in force, as the check answers it. */
export interface CheckMeasure {
  readonly code: string;
  readonly label: string;
  /** `yyyy-mm-dd`. */
  readonly since: string;
  /** `rule:<id>` or `department:<name>`. */
  readonly decidedBy: string;
}

/** One active (or exit-pending) listing of the subject, as the check answers it. */
export interface CheckListing {
  readonly listingId: string;
  readonly uscc: string;
  readonly listType: ListType;
  readonly listTypeLabel: string;
  /** The designating department (认定部门). */
  readonly department: string;
  readonly listedAt?: string;
  readonly status: 'active' | 'exit-pending';
  /** The override's list where the department set one, else the rule's. */
  readonly list: CheckList;
  readonly track?: string;
  /** Only on the constraint list. */
  readonly measures: readonly CheckMeasure[];
}

/** The answer for one code. */
export interface CheckAnswer {
  /** The code as asked. */
  readonly code: string;
  /** The USCC the code stands for, where the system knows exactly one. */
  readonly uscc?: string;
  /** True while the subject has a listing that is active or awaiting exit confirmation. */
  readonly listed: boolean;
  readonly listings: readonly CheckListing[];
  /** The USCCs an organisation code matched when it matched several. */
  readonly candidates?: readonly string[];
  readonly error?: CheckError;
}

/** The fields of a listing the check reads; the store asks the table for these only. */
export type CheckedListing = Pick<
  Listing,
  'uscc' | 'listType' | 'key' | 'department' | 'listedAt' | 'status' | 'classification'
>;

/** A listing as the check answers it; undefined for an exited one. */
export function checkListingOf(listing: CheckedListing, listingId: string): CheckListing | undefined {
  if (!isCountingStatus(listing.status)) return undefined;
  const classification = listing.classification;
  const list: CheckList = classification === undefined ? 'unclassified' : effectiveList(classification);
  const track = classification?.override?.track ?? classification?.track;
  const measures =
    list === 'constrain'
      ? (classification?.measures ?? []).map(({ code, label, since, decidedBy }) => ({
          code,
          label,
          since,
          decidedBy,
        }))
      : [];
  return {
    listingId,
    uscc: listing.uscc,
    listType: listing.listType,
    listTypeLabel: LIST_TYPE_LABELS[listing.listType],
    department: listing.department,
    ...(listing.listedAt === undefined ? {} : { listedAt: listing.listedAt }),
    status: listing.status as CheckListing['status'],
    list,
    ...(track === undefined ? {} : { track }),
    measures,
  };
}

/**
 * The answer for one code from the subjects it matched (none, one, or for an organisation code
 * possibly several) and their counting listings. Several matches are answered with every candidate's
 * listings and an error asking for the USCC: a check must never miss a listed company because its old
 * code was ambiguous, nor pin a listing on the wrong one.
 */
export function answerFor(
  checked: CheckedCode,
  matched: readonly string[],
  listingsOf: (uscc: string) => readonly CheckListing[],
): CheckAnswer {
  if (checked.kind === 'malformed')
    return { code: checked.code, listed: false, listings: [], error: checked.error };
  if (matched.length === 0) {
    return {
      code: checked.code,
      ...(checked.kind === 'uscc' ? { uscc: checked.uscc } : {}),
      listed: false,
      listings: [],
    };
  }
  const listings = matched.flatMap((uscc) => listingsOf(uscc));
  if (matched.length === 1) {
    return { code: checked.code, uscc: matched[0] as string, listed: listings.length > 0, listings };
  }
  return {
    code: checked.code,
    listed: listings.length > 0,
    listings,
    candidates: [...matched],
    error: {
      code: 'ambiguous-org-code',
      message: `该组织机构代码对应多个统一社会信用代码（${matched.join('、')}），请以统一社会信用代码查询`,
    },
  };
}

/** What a check keeps of one code: what was asked, whom it matched, and whether the answer said listed. */
export interface CheckedCodeRecord {
  /** The normalised code; a resident ID is never kept (natural persons are out of scope). */
  readonly code: string;
  readonly uscc?: string;
  readonly listed: boolean;
  readonly error?: CheckErrorCode;
}

/** Stands in for a resident ID in the check's record, which must hold nothing of a person. */
export const PERSON_ID_PLACEHOLDER = '（自然人身份证号码，未记录）';

/** The record of one answer, for the check item the trail reads. */
export function checkRecordOf(answer: CheckAnswer): CheckedCodeRecord {
  const isPerson = answer.error?.code === 'person-id';
  return {
    code: isPerson ? PERSON_ID_PLACEHOLDER : normalizeCheckCode(answer.code),
    ...(answer.uscc === undefined ? {} : { uscc: answer.uscc }),
    listed: answer.listed,
    ...(answer.error === undefined ? {} : { error: answer.error.code }),
  };
}
