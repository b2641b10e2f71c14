/** The words of the field as types. docs/README.md (Words) gives the Chinese for each. */
import type { ExitStatus } from './exits.ts';
import type { DecisionInputs } from './triage.ts';

export const LIST_TYPES = [
  'court-debtor',
  'tax-violation',
  'procurement-violation',
  'market-violation',
  'other',
] as const;
export type ListType = (typeof LIST_TYPES)[number];

export const LIST_TYPE_LABELS: Record<ListType, string> = {
  'court-debtor': '失信被执行人',
  'tax-violation': '重大税收违法失信主体',
  'procurement-violation': '政府采购严重违法失信',
  'market-violation': '市场监管严重违法失信',
  other: '其他',
};

export const LISTING_STATUSES = ['active', 'exit-pending', 'exited'] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];

/** The three lists every active listing is triaged into. */
export const TRIAGE_LISTS = ['exit', 'assist', 'constrain'] as const;
export type TriageList = (typeof TRIAGE_LISTS)[number];

export const REGISTRATION_STATUSES = [
  'active',
  'revoked',
  'revoked-deregistered',
  'deregistered',
  'cancelled',
  'moved-out',
  'suspended',
  'liquidating',
  'other',
] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** Flags kept apart from the registration status (docs/codes.md, Flags). */
export interface SubjectFlags {
  readonly lostContact?: boolean;
  readonly bankruptcy?: boolean;
  /** The stage as the registry wrote it, e.g. 破产重整. */
  readonly bankruptcyStage?: string;
  readonly abnormal?: boolean;
}

/** Where a subject's district came from. */
export type DistrictSource = 'column' | 'inferred-from-uscc' | 'unassigned' | 'manual';

/** The district code of a subject the city office has still to place. */
export const UNASSIGNED_DISTRICT = 'UNASSIGNED';

export interface Subject {
  readonly uscc: string;
  readonly name: string;
  /** A district code of docs/codes.md (Districts), or UNASSIGNED. */
  readonly district: string;
  readonly districtSource: DistrictSource;
  readonly registrationStatus?: RegistrationStatus;
  readonly movedTo?: string;
  readonly flags: SubjectFlags;
  /** Number of listings with status active or exit-pending: the subject counts as listed while > 0. */
  readonly activeListings: number;
  /**
   * The same count by list type, so that a move between districts can move the district's
   * per-list-type counters without reading every listing.
   */
  readonly activeByListType?: Partial<Record<ListType, number>>;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The designating department's own answer, kept beside the rule's; re-triage never undoes it. */
export interface ClassificationOverride {
  readonly list: TriageList;
  readonly track: string;
  /** Chinese, as the department wrote it. */
  readonly reason: string;
  /** The principal who decided. */
  readonly by: string;
  readonly department: string;
  readonly at: string;
}

/** A constraint measure (docs/rules.md, Constraint measures) in force on a listing of the constraint list. */
export interface ConstraintMeasure {
  readonly code: string;
  readonly label: string;
  /** `yyyy-mm-dd`: the day the listing went on the constraint list. */
  readonly since: string;
  /** On whose decision: `rule:<id>` for the rule table, `department:<code>` for an override. */
  readonly decidedBy: string;
}

/**
 * The rule's answer for a listing (`triage.ts` Decision: list, track, rule, reason, inputs, rule table
 * version, as-of date, next review date), when it was reached, the department's override if any, and
 * the constraint measures in force while the listing's list is `constrain`.
 */
export interface Classification {
  readonly list: TriageList;
  readonly track: string;
  readonly ruleId: string;
  /** Chinese, naming the facts used. */
  readonly reason: string;
  readonly inputs: DecisionInputs;
  readonly ruleTableVersion: string;
  /** `yyyy-mm-dd`, Asia/Shanghai. */
  readonly asOf: string;
  /** The next date on which time alone changes the rule's answer. */
  readonly nextReviewDate?: string;
  /** When the rule's answer last changed. */
  readonly decidedAt: string;
  readonly override?: ClassificationOverride;
  readonly measures?: readonly ConstraintMeasure[];
}

/** The list a listing is on: the department's override where there is one, else the rule's. */
export function effectiveList(classification: Classification): TriageList {
  return classification.override?.list ?? classification.list;
}

/** A listing's plan (docs/rules.md, Plans): who, what and by when. */
export interface ListingPlan {
  /** The responsible unit (a department or a township/street office). */
  readonly unit: string;
  /** The responsible person as a role title (科长, 联络员), never a private person's ID. */
  readonly person: string;
  /** Codes from the fixed set of the listing's list. */
  readonly measures: readonly string[];
  readonly note?: string;
  /** `yyyy-mm-dd`: the last day. */
  readonly deadline: string;
  readonly setAt: string;
}

/**
 * Where a listing is counted in its district's triage counts: kept on the listing by triage and moved
 * with the counters in one transaction, so the counts equal a recount.
 */
export interface TriageTally {
  readonly district: string;
  readonly list: TriageList;
  readonly track: string;
  readonly overridden: boolean;
  /** No plan, or its deadline has passed (as of the tally's date). */
  readonly overdue: boolean;
}

export interface Listing {
  readonly uscc: string;
  readonly listType: ListType;
  /** Natural key inside the subject: case/document number, or the listed date when there is none. */
  readonly key: string;
  readonly department: string;
  readonly caseNo?: string;
  readonly listedAt?: string;
  readonly endsAt?: string;
  readonly reason?: string;
  readonly obligation?: string;
  readonly performance?: string;
  readonly status: ListingStatus;
  /** The district of the subject when the listing was written; kept for the district index. */
  readonly district: string;
  readonly classification?: Classification;
  readonly plan?: ListingPlan;
  /** Where triage counts the listing; absent while unclassified or once exited. */
  readonly tally?: TriageTally;
  /** The next day triage must look at the listing again (a review date, a plan deadline passing). */
  readonly dueOn?: string;
  readonly missingFromPush?: { readonly importId: string; readonly at: string };
  /** The exit submission open on the listing, or the one that ended it. */
  readonly exitId?: string;
  /** That submission's status, mirrored so that each of its steps shows in the subject's history. */
  readonly exitStatus?: ExitStatus;
  /** `yyyy-mm-dd`: the day a confirmed exit ended the listing (its effective date). */
  readonly exitedAt?: string;
  /** The confirmed exit's reason (docs/rules.md, Exits). */
  readonly exitReason?: string;
  readonly source: string;
  /** The last import that changed the listing's facts. */
  readonly importId?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A listing counts towards its subject being listed while it is active or awaiting exit confirmation. */
export function isCountingStatus(status: ListingStatus): boolean {
  return status !== 'exited';
}

/** `yyyy-mm` in Asia/Shanghai for an instant. */
export function shanghaiMonth(instant: Date): string {
  return shanghaiDate(instant).slice(0, 7);
}

/**
 * One formatter for the module: building an Intl.DateTimeFormat costs tens of microseconds and native
 * memory only a full garbage collection frees, and this runs for every write.
 */
const SHANGHAI_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** `yyyy-mm-dd` in Asia/Shanghai for an instant. */
export function shanghaiDate(instant: Date): string {
  return SHANGHAI_DATE.format(instant);
}
