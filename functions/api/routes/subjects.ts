import * as z from 'zod';
import { districtName } from '#domain/district.ts';
import type { Listing, Subject } from '#domain/model.ts';
import { validateUscc } from '#domain/uscc.ts';
import { canSeeDistrict, ownsListing, type Scope } from '#shared/auth.ts';
import { InvalidUsccError, NotFoundError } from '#shared/errors.ts';
import { type CursorContext, openCursor, sealCursor } from '#shared/http/cursor.ts';
import { defineRoute } from '#shared/http/route.ts';
import { actionKey, type RecordedAction, subjectActions } from '#storage/action-store.ts';
import { encodeListingId, keys } from '#storage/keys.ts';
import { getListings, getSubject } from '#storage/subject-store.ts';
import { subjectTrail } from '#storage/trail-store.ts';
import type { ApiDeps } from '../deps.ts';
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

const historyQuery = z.object({
  historyLimit: z.coerce.number().int().min(1).max(200).default(50),
  historyCursor: z
    .string()
    .max(2000)
    .optional()
    .describe('the `historyCursor` of the previous answer, for older entries'),
});

export const getSubjectRoute = defineRoute<ApiDeps, { uscc: string }, z.infer<typeof historyQuery>, unknown>({
  method: 'GET',
  path: '/subjects/{uscc}',
  summary: 'One subject with its listings, classification, plan, actions and history',
  tags: ['subjects'],
  roles: ['city', 'district', 'department'],
  params: usccParam,
  query: historyQuery,
  response: subjectDetailSchema,
  errors: [400, 401, 403, 404],
  handle: async ({ params, query, scope, deps }) => {
    const { uscc, warnings } = requireValidUscc(params.uscc);
    const subject = await getSubject(deps.store, uscc);
    if (subject === undefined) throw new NotFoundError(`主体 ${uscc}`);
    const listings = await getListings(deps.store, uscc);
    const visible = visibleListings(scope, subject, listings);
    if (visible === undefined) throw new NotFoundError(`主体 ${uscc}`);
    const actions = actionsOfListings(visible, await subjectActions(deps.store, uscc));
    const history = await visibleHistory(deps, scope, uscc, visible, actions, query);
    return {
      subject: {
        ...subject,
        districtName: districtName(subject.district),
        listed: subject.activeListings > 0,
      },
      warnings,
      listings: visible.map((listing) => {
        const listingId = encodeListingId(listing.uscc, listing.listType, listing.key);
        return { ...listing, listingId, actions: actions.get(listingId) ?? [] };
      }),
      history: history.entries,
      ...(history.cursor === undefined ? {} : { historyCursor: history.cursor }),
    };
  },
});

/** The actions on each visible listing, by listing id, oldest first; actions on other listings left out. */
function actionsOfListings(
  visible: readonly Listing[],
  actions: readonly RecordedAction[],
): Map<string, RecordedAction[]> {
  const byListing = new Map<string, RecordedAction[]>(
    visible.map((listing) => [encodeListingId(listing.uscc, listing.listType, listing.key), []]),
  );
  for (const action of actions) byListing.get(action.listingId)?.push(action);
  return byListing;
}

/**
 * A page of the subject's trail, newest first. A department sees the entries of its own listings and of
 * the actions on them only; its page may then hold fewer than the limit, with a cursor for the rest.
 */
async function visibleHistory(
  deps: ApiDeps,
  scope: Scope,
  uscc: string,
  visible: readonly Listing[],
  actions: ReadonlyMap<string, readonly RecordedAction[]>,
  query: z.infer<typeof historyQuery>,
) {
  const context: CursorContext = { route: `GET /subjects/${uscc}#history`, scope };
  const opened = await openCursor(deps.store, context, query.historyCursor);
  const before = opened === undefined ? undefined : Buffer.from(opened, 'base64url').toString('utf8');
  const page = await subjectTrail(deps.store, uscc, {
    limit: query.historyLimit,
    ...(before === undefined ? {} : { before }),
  });
  const ownKeys = new Set([
    ...visible.map((listing) => keys.listing(listing.uscc, listing.listType, listing.key).SK),
    ...[...actions.values()].flat().map((action) => actionKey(action).SK),
  ]);
  const entries =
    scope.role === 'department'
      ? page.entries.filter((entry) => ownKeys.has(entry.itemKey.SK))
      : page.entries;
  const position = page.next === undefined ? undefined : Buffer.from(page.next, 'utf8').toString('base64url');
  const cursor = await sealCursor(deps.store, context, position);
  return { entries, ...(cursor === undefined ? {} : { cursor }) };
}
