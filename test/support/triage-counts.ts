/**
 * The triage counts recounted from the listings themselves (a full scan, for tests): what `GET /counts`
 * must answer, computed without the counters, tallies or any code of the route.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Listing } from '#domain/model.ts';
import type { StoreDeps } from '#storage/subject-store.ts';

export interface RecountedFigures {
  activeListings: number;
  lists: { exit: number; assist: number; constrain: number };
  unclassified: number;
  /** Only the tracks some listing is on. */
  tracks: Record<string, number>;
  overridden: number;
  overdue: number;
}

function emptyFigures(): RecountedFigures {
  return {
    activeListings: 0,
    lists: { exit: 0, assist: 0, constrain: 0 },
    unclassified: 0,
    tracks: {},
    overridden: 0,
    overdue: 0,
  };
}

/** Every listing item of the table. */
async function scanListings(deps: Pick<StoreDeps, 'client' | 'tableName'>): Promise<Listing[]> {
  const listings: Listing[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await deps.client.send(
      new ScanCommand({
        TableName: deps.tableName,
        FilterExpression: '#type = :listing',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':listing': 'listing' },
        ExclusiveStartKey,
      }),
    );
    listings.push(...((page.Items ?? []) as Listing[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey !== undefined);
  return listings;
}

/**
 * Per district (the listing's): listings active or exit-pending; of the classified ones, the list and
 * track (the override's where there is one), overridden; overdue as of `today` (no plan, or a deadline
 * before it), the unclassified included, which have no plan.
 */
export async function recountTriage(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
  today: string,
): Promise<Map<string, RecountedFigures>> {
  const figures = new Map<string, RecountedFigures>();
  for (const listing of await scanListings(deps)) {
    if (listing.status === 'exited') continue;
    const entry = figures.get(listing.district) ?? emptyFigures();
    figures.set(listing.district, entry);
    entry.activeListings++;
    const classification = listing.classification;
    if (classification === undefined) {
      entry.unclassified++;
      entry.overdue++;
      continue;
    }
    const list = classification.override?.list ?? classification.list;
    const track = classification.override?.track ?? classification.track;
    entry.lists[list]++;
    entry.tracks[track] = (entry.tracks[track] ?? 0) + 1;
    if (classification.override !== undefined) entry.overridden++;
    if (listing.plan === undefined || listing.plan.deadline < today) entry.overdue++;
  }
  return figures;
}
