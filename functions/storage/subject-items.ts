/**
 * The stored items of a subject and a listing: the facts, who made the last change and why, and the
 * index keys that follow from them (listed subjects, organisation code; a listed listing's district and
 * class, its department and status, its due day).
 */
import { effectiveList, isCountingStatus, type Listing, type Subject } from '#domain/model.ts';
import { listingSortKey } from '#domain/subject-writes.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { ITEM_TYPES, indexKeys, keys } from './keys.ts';

export function subjectItem(subject: Subject, changedBy: ChangedBy): Record<string, unknown> {
  return {
    ...keys.subject(subject.uscc),
    type: ITEM_TYPES.subject,
    ...subject,
    changedBy,
    ...(subject.activeListings > 0 ? indexKeys.listedSubject(subject.district, subject.uscc) : {}),
    ...indexKeys.subjectByOrgCode(subject.uscc.slice(8, 17), subject.uscc),
  };
}

export function listingItem(
  listing: Listing,
  version: number,
  changedBy: ChangedBy,
): Record<string, unknown> {
  return {
    ...keys.listing(listing.uscc, listing.listType, listing.key),
    type: ITEM_TYPES.listing,
    ...listing,
    version,
    changedBy,
    // listed while active or awaiting exit confirmation: the district's views and runs see both
    ...(isCountingStatus(listing.status)
      ? indexKeys.activeListingByDistrict(
          listing.district,
          listing.classification === undefined ? 'unclassified' : effectiveList(listing.classification),
          listing.listType,
          listing.uscc,
          listing.key,
        )
      : {}),
    ...indexKeys.listingByDepartment(listing.department, listing.status, listing.listedAt, listing.uscc),
    ...(listing.dueOn !== undefined && isCountingStatus(listing.status)
      ? indexKeys.listingDue(listing.dueOn, listing.uscc, listingSortKey(listing))
      : {}),
  };
}
