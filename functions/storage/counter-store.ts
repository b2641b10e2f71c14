/**
 * Reading the district counters, and recounting them from the data for the drift check.
 */
import { COUNTER, usccPrefix } from '#domain/counting.ts';
import { isCountingStatus, type ListingStatus } from '#domain/model.ts';
import { parallelScan, prefixQuery, queryAll } from './batch.ts';
import { ITEM_TYPES, keys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';
import { GSI } from './table-definition.ts';

/** Per district: counter attribute → value. */
export type DistrictCounts = Map<string, Record<string, number>>;

export async function readCurrentCounters(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
): Promise<DistrictCounts> {
  const items = await queryAll(
    deps.client,
    prefixQuery(deps.tableName, keys.currentCounterPrefix(), { ConsistentRead: true }),
  );
  const counts: DistrictCounts = new Map();
  for (const item of items) {
    const numbers: Record<string, number> = {};
    for (const [name, value] of Object.entries(item)) if (typeof value === 'number') numbers[name] = value;
    counts.set(String(item.district), numbers);
  }
  return counts;
}

function bump(counts: DistrictCounts, district: string, attribute: string) {
  const entry = counts.get(district) ?? {};
  entry[attribute] = (entry[attribute] ?? 0) + 1;
  counts.set(district, entry);
}

/**
 * Listed subjects per district from the sparse listed-subjects index, by a parallel scan: only listed
 * subjects carry its key, so the cost follows the listed, not the whole table.
 */
export async function recountListedSubjects(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
  segments = 4,
): Promise<DistrictCounts> {
  const counts: DistrictCounts = new Map();
  await parallelScan(
    deps.client,
    {
      TableName: deps.tableName,
      IndexName: GSI.listedSubjects.indexName,
      ProjectionExpression: 'uscc, district, activeListings',
    },
    segments,
    (items) => {
      for (const item of items) {
        if (typeof item.activeListings !== 'number' || item.activeListings <= 0) continue;
        const district = String(item.district);
        bump(counts, district, COUNTER.listedSubjects);
        bump(counts, district, COUNTER.listedByPrefix(usccPrefix(String(item.uscc))));
      }
    },
  );
  return counts;
}

/**
 * The ground truth: listed subjects per district counted from the listings themselves (a subject is
 * listed while one of its listings is active or exit-pending). A full scan, for tests and for a deep
 * drift check on demand; also reports subjects whose stored listing count is wrong.
 */
export async function recountFromListings(deps: Pick<StoreDeps, 'client' | 'tableName'>, segments = 4) {
  const countingListings = new Map<string, number>();
  const subjects = new Map<string, { district: string; activeListings: number }>();
  await parallelScan(
    deps.client,
    {
      TableName: deps.tableName,
      FilterExpression: '#type IN (:subject, :listing)',
      ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
      ExpressionAttributeValues: { ':subject': ITEM_TYPES.subject, ':listing': ITEM_TYPES.listing },
      ProjectionExpression: '#type, uscc, district, activeListings, #status',
    },
    segments,
    (items) => {
      for (const item of items) {
        const uscc = String(item.uscc);
        if (item.type === ITEM_TYPES.subject) {
          subjects.set(uscc, {
            district: String(item.district),
            activeListings: Number(item.activeListings ?? 0),
          });
        } else if (isCountingStatus(item.status as ListingStatus)) {
          countingListings.set(uscc, (countingListings.get(uscc) ?? 0) + 1);
        }
      }
    },
  );
  const counts: DistrictCounts = new Map();
  const mismatchedSubjects: string[] = [];
  for (const [uscc, subject] of subjects) {
    const actual = countingListings.get(uscc) ?? 0;
    if (actual !== subject.activeListings) mismatchedSubjects.push(uscc);
    if (actual > 0) {
      bump(counts, subject.district, COUNTER.listedSubjects);
      bump(counts, subject.district, COUNTER.listedByPrefix(usccPrefix(uscc)));
      const entry = counts.get(subject.district) ?? {};
      entry[COUNTER.activeListings] = (entry[COUNTER.activeListings] ?? 0) + actual;
      counts.set(subject.district, entry);
    }
  }
  return { counts, mismatchedSubjects };
}

/** Districts where the stored counter and the recount disagree on an attribute. */
export function compareCounts(
  stored: DistrictCounts,
  recount: DistrictCounts,
  attributes: readonly string[],
) {
  const drift: { district: string; attribute: string; stored: number; recount: number }[] = [];
  const districts = new Set([...stored.keys(), ...recount.keys()]);
  for (const district of districts) {
    for (const attribute of attributes) {
      const storedValue = stored.get(district)?.[attribute] ?? 0;
      const recountValue = recount.get(district)?.[attribute] ?? 0;
      if (storedValue !== recountValue)
        drift.push({ district, attribute, stored: storedValue, recount: recountValue });
    }
  }
  return drift.sort((a, b) => a.district.localeCompare(b.district) || a.attribute.localeCompare(b.attribute));
}
