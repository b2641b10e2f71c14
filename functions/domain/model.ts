/** The words of the field as types. docs/README.md (Words) gives the Chinese for each. */

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

export interface Classification {
  readonly list: TriageList;
  readonly track: string;
  readonly ruleId: string;
  /** Chinese, naming the facts used. */
  readonly reason: string;
  readonly decidedAt: string;
  readonly override?: {
    readonly list: TriageList;
    readonly track: string;
    readonly reason: string;
    readonly by: string;
    readonly at: string;
  };
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
  readonly missingFromPush?: { readonly importId: string; readonly at: string };
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
