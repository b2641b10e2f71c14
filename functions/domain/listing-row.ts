/**
 * One line of a listing view (`GET /subjects`) and of its 台账: what a clerk reads of a listing, with the
 * Chinese words beside the codes. Pure: the store supplies the listing, its subject's name and today.
 */
import { districtName } from './district.ts';
import {
  effectiveList,
  LIST_TYPE_LABELS,
  type Listing,
  type ListingStatus,
  type ListType,
  type TriageList,
  UNASSIGNED_DISTRICT,
} from './model.ts';
import { TRIAGE_TRACK_LABELS } from './rule-table.ts';

/** Where a listing sits: one of the three lists, or nowhere yet. */
export type ListPlace = TriageList | 'unclassified';

export const LIST_PLACES = ['exit', 'assist', 'constrain', 'unclassified'] as const;

export const LIST_PLACE_LABELS: Readonly<Record<ListPlace, string>> = {
  exit: '退出清单',
  assist: '帮扶清单',
  constrain: '约束清单',
  unclassified: '未分类',
};

export const LISTING_STATUS_LABELS: Readonly<Record<ListingStatus, string>> = {
  active: '在列',
  'exit-pending': '退出审核中',
  exited: '已退出',
};

/** The name of a subject the city office has still to place. */
export const UNASSIGNED_DISTRICT_NAME = '待指定区县';

/** The report name of a district code, or the unassigned one's. */
export function districtLabel(code: string): string {
  return code === UNASSIGNED_DISTRICT ? UNASSIGNED_DISTRICT_NAME : (districtName(code) ?? code);
}

export interface ListingRow {
  readonly listingId: string;
  readonly uscc: string;
  /** Empty when the subject has no name on record. */
  readonly name: string;
  readonly district: string;
  readonly districtName: string;
  readonly listType: ListType;
  readonly listTypeLabel: string;
  readonly department: string;
  readonly listedAt?: string;
  readonly status: ListingStatus;
  readonly statusLabel: string;
  readonly list: ListPlace;
  readonly listLabel: string;
  readonly track?: string;
  readonly trackLabel?: string;
  /** The designating department changed the rule's answer. */
  readonly overridden: boolean;
  /** The rule's reason (Chinese, naming the facts it used). */
  readonly reason?: string;
  /** The department's reason, when it overrode the rule. */
  readonly overrideReason?: string;
  readonly planDeadline?: string;
  /** No plan, or its deadline is before `today`. */
  readonly overdue: boolean;
}

/**
 * Overdue as of `today` (`yyyy-mm-dd`, Asia/Shanghai): no plan, or a plan whose deadline has passed. An
 * unclassified listing has no plan, so it is overdue.
 */
export function isOverdue(listing: Pick<Listing, 'plan'>, today: string): boolean {
  return listing.plan === undefined || listing.plan.deadline < today;
}

/** The view's line for a listing, its subject's name and its opaque id. */
export function listingRow(listing: Listing, name: string, listingId: string, today: string): ListingRow {
  const classification = listing.classification;
  const list: ListPlace = classification === undefined ? 'unclassified' : effectiveList(classification);
  const track = classification?.override?.track ?? classification?.track;
  const trackLabel =
    track === undefined ? undefined : (TRIAGE_TRACK_LABELS as Readonly<Record<string, string>>)[track];
  return {
    listingId,
    uscc: listing.uscc,
    name,
    district: listing.district,
    districtName: districtLabel(listing.district),
    listType: listing.listType,
    listTypeLabel: LIST_TYPE_LABELS[listing.listType],
    department: listing.department,
    ...(listing.listedAt === undefined ? {} : { listedAt: listing.listedAt }),
    status: listing.status,
    statusLabel: LISTING_STATUS_LABELS[listing.status],
    list,
    listLabel: LIST_PLACE_LABELS[list],
    ...(track === undefined ? {} : { track, trackLabel: trackLabel ?? track }),
    overridden: classification?.override !== undefined,
    ...(classification === undefined ? {} : { reason: classification.reason }),
    ...(classification?.override === undefined ? {} : { overrideReason: classification.override.reason }),
    ...(listing.plan === undefined ? {} : { planDeadline: listing.plan.deadline }),
    overdue: isOverdue(listing, today),
  };
}
