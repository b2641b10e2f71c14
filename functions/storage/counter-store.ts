/**
 * The district counters (listed subjects and active listings now) and the monthly flows: written in
 * the transaction of the change that moves them, spread over write shards so that parallel writers
 * (file chunks in the cloud) rarely update the same item, and summed over the shards when read. Also
 * the recounts from the data for the drift check.
 */
import { randomInt } from 'node:crypto';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { COUNTER, groupByDistrict, usccPrefix } from '#domain/counting.ts';
import { isCountingStatus, type ListingStatus, shanghaiMonth } from '#domain/model.ts';
import { parallelScan, prefixQuery, queryAll } from './batch.ts';
import { ITEM_TYPES, keys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';
import { GSI } from './table-definition.ts';

/** Per district: counter attribute → value. */
export type DistrictCounts = Map<string, Record<string, number>>;

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;
type Delta = { district: string; attribute: string; delta: number };

/**
 * Write shards of a district's counters when the configuration names none: 8 writers (the import's
 * parallel chunks) then meet on one counter item in about 1 transaction pair in 8 instead of every one.
 */
export const DEFAULT_COUNTER_SHARDS = 8;

function shardCount(deps: Pick<StoreDeps, 'counterShards'>): number {
  return deps.counterShards ?? DEFAULT_COUNTER_SHARDS;
}

/**
 * The counter and flow updates for deltas of one or more subjects: one update per district, all on one
 * shard picked at random for this transaction (a retry may pick another; the sum is the same). Flows go
 * to `flowMonth` (`yyyy-mm`), by default this month in Asia/Shanghai; an exit's flows go to the month of
 * its effective date.
 */
export function counterActions(
  deps: Pick<StoreDeps, 'tableName' | 'clock' | 'counterShards'>,
  counters: readonly Delta[],
  flows: readonly Delta[],
  flowMonth?: string,
): TransactItems {
  const now = deps.clock.now();
  const at = now.toISOString();
  const month = flowMonth ?? shanghaiMonth(now);
  const shard = randomInt(shardCount(deps));
  const actions: TransactItems = [];
  for (const [district, attributes] of groupByDistrict(counters)) {
    const key = keys.currentCounter(shard, district);
    actions.push(counterUpdate(deps.tableName, key, ITEM_TYPES.counter, district, attributes, at));
  }
  for (const [district, attributes] of groupByDistrict(flows)) {
    const key = keys.monthlyFlow(month, shard, district);
    actions.push(counterUpdate(deps.tableName, key, ITEM_TYPES.flow, district, attributes, at));
  }
  return actions;
}

function counterUpdate(
  tableName: string,
  key: { PK: string; SK: string },
  type: string,
  district: string,
  attributes: Map<string, number>,
  at: string,
): TransactItems[number] {
  const names: Record<string, string> = {
    '#type': 'type',
    '#district': 'district',
    '#updatedAt': 'updatedAt',
  };
  const values: Record<string, unknown> = { ':type': type, ':district': district, ':at': at };
  const adds: string[] = [];
  let index = 0;
  for (const [attribute, delta] of attributes) {
    names[`#a${index}`] = attribute;
    values[`:d${index}`] = delta;
    adds.push(`#a${index} :d${index}`);
    index++;
  }
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET #type = :type, #district = :district, #updatedAt = :at ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** Sums the numeric attributes of counter items per district. */
function sumByDistrict(items: readonly Record<string, unknown>[]): DistrictCounts {
  const counts: DistrictCounts = new Map();
  for (const item of items) {
    const numbers = counts.get(String(item.district)) ?? {};
    for (const [name, value] of Object.entries(item)) {
      if (typeof value === 'number') numbers[name] = (numbers[name] ?? 0) + value;
    }
    counts.set(String(item.district), numbers);
  }
  return counts;
}

async function readShards(
  deps: Pick<StoreDeps, 'client' | 'tableName' | 'counterShards'>,
  prefix: (shard: number) => { PK: string; SKPrefix: string },
): Promise<DistrictCounts> {
  const shards = Array.from({ length: shardCount(deps) }, (_, shard) => shard);
  const pages = await Promise.all(
    shards.map((shard) =>
      queryAll(deps.client, prefixQuery(deps.tableName, prefix(shard), { ConsistentRead: true })),
    ),
  );
  return sumByDistrict(pages.flat());
}

/** Each district's current counters, summed over the shards. */
export function readCurrentCounters(
  deps: Pick<StoreDeps, 'client' | 'tableName' | 'counterShards'>,
): Promise<DistrictCounts> {
  return readShards(deps, (shard) => keys.currentCounterPrefix(shard));
}

/** Each district's flows of a month (`yyyy-mm`, Asia/Shanghai), summed over the shards. */
export function readMonthlyFlows(
  deps: Pick<StoreDeps, 'client' | 'tableName' | 'counterShards'>,
  month: string,
): Promise<DistrictCounts> {
  return readShards(deps, (shard) => keys.monthlyFlowPrefix(month, shard));
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
