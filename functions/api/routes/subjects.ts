import { districtName } from '#domain/district.ts';
import type { Listing, Subject } from '#domain/model.ts';
import { validateUscc } from '#domain/uscc.ts';
import { canSeeDistrict, ownsListing, type Scope } from '#shared/auth.ts';
import { InvalidUsccError, NotFoundError } from '#shared/errors.ts';
import { encodeListingId } from '#storage/keys.ts';
import { getAudit, getListings, getSubject } from '#storage/subject-store.ts';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http.ts';
import { subjectDetailSchema, usccParam } from '../schemas.ts';

/** The code as the caller sent it, checked; a code that fails the check is a 400 with the reason in Chinese. */
export function requireValidUscc(raw: string): {
  uscc: string;
  warnings: { code: string; message: string }[];
} {
  const result = validateUscc(raw);
  if (!result.ok) throw new InvalidUsccError(result.message, { error: result.error });
  return { uscc: result.uscc, warnings: result.warnings };
}

/**
 * What of a subject a caller may see. City: everything. District: subjects placed in its district.
 * Department: subjects with a listing it designated (and in its district, if the token names one).
 * Anything else is answered as unknown, so a token cannot probe other districts' subjects.
 */
export function visibleListings(
  scope: Scope,
  subject: Subject,
  listings: readonly Listing[],
): Listing[] | undefined {
  if (scope.role === 'city') return [...listings];
  if (scope.role === 'district') return canSeeDistrict(scope, subject.district) ? [...listings] : undefined;
  if (scope.role === 'department') {
    const own = listings.filter((listing) =>
      ownsListing(scope, { department: listing.department, district: subject.district }),
    );
    return own.length > 0 ? own : undefined;
  }
  return undefined;
}

export const getSubjectRoute = defineRoute<ApiDeps, { uscc: string }, unknown, unknown>({
  method: 'GET',
  path: '/subjects/{uscc}',
  summary: 'One subject with its listings, classification, plan, actions and history',
  tags: ['subjects'],
  roles: ['city', 'district', 'department'],
  params: usccParam,
  response: subjectDetailSchema,
  errors: [400, 401, 403, 404],
  handle: async ({ params, scope, deps }) => {
    const { uscc, warnings } = requireValidUscc(params.uscc);
    const subject = await getSubject(deps.store, uscc);
    if (subject === undefined) throw new NotFoundError(`主体 ${uscc}`);
    const listings = await getListings(deps.store, uscc);
    const visible = visibleListings(scope, subject, listings);
    const history = scope.role === 'department' ? [] : await getAudit(deps.store, uscc);
    if (visible === undefined) throw new NotFoundError(`主体 ${uscc}`);
    return {
      subject: {
        ...subject,
        districtName: districtName(subject.district),
        listed: subject.activeListings > 0,
      },
      warnings,
      listings: visible.map((listing) => ({
        ...listing,
        listingId: encodeListingId(listing.uscc, listing.listType, listing.key),
      })),
      history,
    };
  },
});
