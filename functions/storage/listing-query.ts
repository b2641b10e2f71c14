/**
 * Listings for the listing views (`GET /subjects` and its 台账), read through the indexes and never by
 * scanning: a district's active listings on GSI1 (list and list type as a sort-key prefix), a
 * department's on GSI2 (listed-date range on the sort key); every other filter is a FilterExpression.
 * Several districts (the city without a district filter) are walked one after the other, and a position
 * names the district reached and the last listing read there, so a page can end anywhere.
 */
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ListPlace } from '#domain/listing-row.ts';
import type { Listing, ListType } from '#domain/model.ts';
import { BATCH_GET_LIMIT, batchGetAll, queryPages } from './batch.ts';
import { indexPartitions, indexSortKeys, keys, withoutKeys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';
import { GSI, TABLE_PARTITION_KEY, TABLE_SORT_KEY } from './table-definition.ts';

/** The filters of a listing view; each one present narrows it. */
export interface ListingFilter {
  /** A district code or UNASSIGNED; applied on the department index only (districts are walked). */
  readonly district?: string;
  readonly list?: ListPlace;
  readonly listType?: ListType;
  readonly track?: string;
  /** Applied on the district index only (the department index is read by department). */
  readonly department?: string;
  /** True: no plan or a deadline before `today`; false: a plan not yet due. */
  readonly overdue?: boolean;
  /** `yyyy-mm-dd`, inclusive. */
  readonly listedFrom?: string;
  readonly listedTo?: string;
}

/** Which index partitions a view reads, in order. */
export type ListingSource =
  | { readonly kind: 'districts'; readonly districts: readonly string[] }
  | { readonly kind: 'department'; readonly department: string };

export interface ListingQuery {
  readonly source: ListingSource;
  readonly filter: ListingFilter;
  /** `yyyy-mm-dd`, Asia/Shanghai: the day the overdue filter compares deadlines with. */
  readonly today: string;
}

/** Where a walk stands: the partition reached and the key of the last listing read there. */
interface Position {
  readonly partition: number;
  readonly after?: Record<string, unknown>;
}

export class MalformedPositionError extends Error {
  constructor() {
    super('the listing position cannot be read');
    this.name = 'MalformedPositionError';
  }
}

function encodePosition(position: Position): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

function decodePosition(text: string): Position {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Position;
    if (Number.isInteger(parsed.partition) && parsed.partition >= 0) return parsed;
  } catch {
    // falls through
  }
  throw new MalformedPositionError();
}

/** The expression parts of the filters, with attribute names and values in placeholders. */
class Expression {
  readonly conditions: string[] = [];
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};

  name(attribute: string): string {
    const placeholder = `#${attribute}`;
    this.names[placeholder] = attribute;
    return placeholder;
  }

  value(placeholder: string, value: unknown): string {
    this.values[placeholder] = value;
    return placeholder;
  }
}

/** The filters the index's key does not already apply. */
function filterConditions(query: ListingQuery, onDepartmentIndex: boolean, expression: Expression) {
  const { filter } = query;
  const e = expression;
  if (onDepartmentIndex) {
    if (filter.district !== undefined)
      e.conditions.push(`${e.name('district')} = ${e.value(':district', filter.district)}`);
    if (filter.list === 'unclassified')
      e.conditions.push(`attribute_not_exists(${e.name('classification')})`);
    else if (filter.list !== undefined)
      e.conditions.push(`${e.name('tally')}.${e.name('list')} = ${e.value(':list', filter.list)}`);
  } else {
    if (filter.department !== undefined)
      e.conditions.push(`${e.name('department')} = ${e.value(':department', filter.department)}`);
    if (filter.listedFrom !== undefined)
      e.conditions.push(`${e.name('listedAt')} >= ${e.value(':listedFrom', filter.listedFrom)}`);
    if (filter.listedTo !== undefined)
      e.conditions.push(`${e.name('listedAt')} <= ${e.value(':listedTo', filter.listedTo)}`);
  }
  // the district index's sort key carries the list type only behind a list
  if (filter.listType !== undefined && (onDepartmentIndex || filter.list === undefined))
    e.conditions.push(`${e.name('listType')} = ${e.value(':listType', filter.listType)}`);
  if (filter.track !== undefined)
    e.conditions.push(`${e.name('tally')}.${e.name('track')} = ${e.value(':track', filter.track)}`);
  if (filter.overdue === true) {
    const plan = e.name('plan');
    e.conditions.push(
      `(attribute_not_exists(${plan}) OR ${plan}.${e.name('deadline')} < ${e.value(':today', query.today)})`,
    );
  } else if (filter.overdue === false) {
    e.conditions.push(`${e.name('plan')}.${e.name('deadline')} >= ${e.value(':today', query.today)}`);
  }
}

function districtQuery(tableName: string, query: ListingQuery, district: string): QueryCommandInput {
  const index = GSI.byDistrictClass;
  const e = new Expression();
  let keyCondition = `${index.partitionKey} = ${e.value(':pk', indexPartitions.activeListingsOfDistrict(district))}`;
  if (query.filter.list !== undefined) {
    const prefix = indexSortKeys.activeListingsOfClass(query.filter.list, query.filter.listType);
    keyCondition += ` AND begins_with(${index.sortKey}, ${e.value(':class', prefix)})`;
  }
  filterConditions(query, false, e);
  return finish(tableName, index.indexName, keyCondition, e);
}

function departmentQuery(tableName: string, query: ListingQuery, department: string): QueryCommandInput {
  const index = GSI.byOwnerStatus;
  const e = new Expression();
  const range = indexSortKeys.listingsListedBetween(query.filter.listedFrom, query.filter.listedTo);
  let keyCondition = `${index.partitionKey} = ${e.value(':pk', indexPartitions.listingsOfDepartment(department, 'active'))}`;
  if (query.filter.listedFrom !== undefined || query.filter.listedTo !== undefined)
    keyCondition += ` AND ${index.sortKey} BETWEEN ${e.value(':from', range.from)} AND ${e.value(':to', range.to)}`;
  filterConditions(query, true, e);
  return finish(tableName, index.indexName, keyCondition, e);
}

function finish(
  tableName: string,
  indexName: string,
  keyCondition: string,
  e: Expression,
): QueryCommandInput {
  return {
    TableName: tableName,
    IndexName: indexName,
    KeyConditionExpression: keyCondition,
    ExpressionAttributeValues: e.values,
    ...(Object.keys(e.names).length === 0 ? {} : { ExpressionAttributeNames: e.names }),
    ...(e.conditions.length === 0 ? {} : { FilterExpression: e.conditions.join(' AND ') }),
  };
}

/** The queries of a view, one per partition, in walking order. */
function queriesOf(tableName: string, query: ListingQuery): QueryCommandInput[] {
  const source = query.source;
  return source.kind === 'department'
    ? [departmentQuery(tableName, query, source.department)]
    : source.districts.map((district) => districtQuery(tableName, query, district));
}

/** The key DynamoDB resumes an index query after: the table's key and the index's. */
function resumeKey(item: Record<string, unknown>, indexName: string): Record<string, unknown> {
  const index = Object.values(GSI).find((candidate) => candidate.indexName === indexName);
  if (index === undefined) throw new Error(`unknown index ${indexName}`);
  const names = [TABLE_PARTITION_KEY, TABLE_SORT_KEY, index.partitionKey, index.sortKey];
  return Object.fromEntries(names.map((name) => [name, item[name]]));
}

interface Walked {
  readonly listing: Listing;
  /** The position just after this listing. */
  readonly position: Position;
}

/** Every listing of the view from `start` on, with the position after each. */
async function* walk(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
  query: ListingQuery,
  start: Position,
  readBatch: number | undefined,
): AsyncGenerator<Walked> {
  const queries = queriesOf(deps.tableName, query);
  for (let partition = start.partition; partition < queries.length; partition++) {
    const input = queries[partition] as QueryCommandInput;
    const after = partition === start.partition ? start.after : undefined;
    const paged: QueryCommandInput = {
      ...input,
      ...(after === undefined ? {} : { ExclusiveStartKey: after }),
      ...(readBatch === undefined ? {} : { Limit: readBatch }),
    };
    for await (const items of queryPages(deps.client, paged)) {
      for (const item of items) {
        const position = { partition, after: resumeKey(item, input.IndexName as string) };
        yield { listing: withoutKeys<Listing>(item), position };
      }
    }
  }
}

export interface ListingPage {
  readonly listings: Listing[];
  /** Where the next page starts (opaque); absent after the last. A next page may be empty. */
  readonly next?: string;
}

/** Items a query reads at most per request for a page: a filtered view needs more than it keeps. */
const PAGE_READ_BATCH = { min: 100, max: 1000 };

/** One page of the view: up to `limit` listings after `after` (a `next` of an earlier page). */
export async function listingPage(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
  query: ListingQuery,
  options: { readonly limit: number; readonly after?: string },
): Promise<ListingPage> {
  const start = options.after === undefined ? { partition: 0 } : decodePosition(options.after);
  const readBatch = Math.min(Math.max(options.limit, PAGE_READ_BATCH.min), PAGE_READ_BATCH.max);
  const listings: Listing[] = [];
  let last: Position | undefined;
  for await (const { listing, position } of walk(deps, query, start, readBatch)) {
    listings.push(listing);
    last = position;
    if (listings.length === options.limit) break;
  }
  const full = listings.length === options.limit && last !== undefined;
  return { listings, ...(full ? { next: encodePosition(last as Position) } : {}) };
}

/**
 * Every listing of the view, up to `cap`: the answer says `complete: false` when there were more (the
 * ledger refuses then, rather than hand out part of a list as if it were all of it).
 */
export async function allListings(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
  query: ListingQuery,
  cap: number,
): Promise<{ listings: Listing[]; complete: boolean }> {
  const listings: Listing[] = [];
  for await (const { listing } of walk(deps, query, { partition: 0 }, undefined)) {
    if (listings.length === cap) return { listings, complete: false };
    listings.push(listing);
  }
  return { listings, complete: true };
}

/** BatchGetItem calls in flight at once when reading subjects' names. */
const NAME_READS_IN_FLIGHT = 8;

/** The names of the subjects (the listing items do not carry them), by code; unknown ones absent. */
export async function subjectNames(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
  usccs: Iterable<string>,
): Promise<Map<string, string>> {
  const unique = [...new Set(usccs)];
  const chunks: string[][] = [];
  for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT)
    chunks.push(unique.slice(start, start + BATCH_GET_LIMIT));
  const names = new Map<string, string>();
  for (let start = 0; start < chunks.length; start += NAME_READS_IN_FLIGHT) {
    const batches = await Promise.all(
      chunks.slice(start, start + NAME_READS_IN_FLIGHT).map((chunk) =>
        batchGetAll(
          deps.client,
          deps.tableName,
          chunk.map((uscc) => keys.subject(uscc)),
          { ProjectionExpression: 'uscc, #name', ExpressionAttributeNames: { '#name': 'name' } },
        ),
      ),
    );
    for (const item of batches.flat()) names.set(String(item.uscc), String(item.name ?? ''));
  }
  return names;
}
