/**
 * The one table definition. The CDK stack and the local runtime's CreateTable both read it, so the
 * cloud table and DynamoDB Local cannot drift apart.
 */
/**
 * What an index copies of each item besides the keys (the table's and its own, always there). An index
 * is written whenever a projected attribute of an item in it changes, and a query on it reads (and
 * pays for) the projected item, so each index projects only what its queries read.
 */
export type IndexProjection =
  | { readonly type: 'KEYS_ONLY' }
  | { readonly type: 'INCLUDE'; readonly attributes: readonly string[] }
  | { readonly type: 'ALL' };

export interface IndexDefinition {
  /** Index name as DynamoDB knows it. */
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** What the index answers, for the README and the stack's documentation. */
  readonly purpose: string;
  readonly projection: IndexProjection;
  /** Which queries read which attributes, and why this projection serves them at the least cost. */
  readonly projectionReason: string;
}

export const TABLE_PARTITION_KEY = 'PK';
export const TABLE_SORT_KEY = 'SK';

export const GSI = {
  /** Listed listings (active or awaiting exit confirmation) by district and class; only they carry the key. */
  byDistrictClass: {
    indexName: 'GSI1',
    partitionKey: 'GSI1PK',
    sortKey: 'GSI1SK',
    purpose: 'listed listings (active or exit-pending) by district and class (sparse)',
    projection: { type: 'ALL' },
    projectionReason:
      'the listing views (GET /subjects, the ledger) return whole listings and filter on department, ' +
      'listedAt, listType, tally and plan; KEYS_ONLY would need a BatchGetItem of every listing read ' +
      '(a second read of each, filters applied after it), dearer than the projected copy. Triage runs ' +
      'and the import diff read only uscc, listType, key (status, importId) from it.',
  },
  /** Listings by department and status; exit submissions by city-wide status; imports newest first. */
  byOwnerStatus: {
    indexName: 'GSI2',
    partitionKey: 'GSI2PK',
    sortKey: 'GSI2SK',
    purpose: 'listings by department and status; exits by city-wide status; imports newest first',
    projection: { type: 'ALL' },
    projectionReason:
      "a department's listing view returns whole listings (filters on district, classification, " +
      'tally, plan), the city exit queue and the report build whole submissions, GET /imports whole ' +
      'receipts: every item kind on it is read whole by one of its queries.',
  },
  /** Exit queue by district and status. */
  byDistrictQueue: {
    indexName: 'GSI3',
    partitionKey: 'GSI3PK',
    sortKey: 'GSI3SK',
    purpose: 'exit queue by district and status',
    projection: { type: 'ALL' },
    projectionReason:
      "a district's exit queue (GET /exits) returns whole submissions, filtered on department and the " +
      "current round's reason; a BatchGetItem after a KEYS_ONLY query would read each again.",
  },
  /** Listed subjects (at least one active listing) by district; sparse, scanned by the drift recount. */
  listedSubjects: {
    indexName: 'GSI4',
    partitionKey: 'GSI4PK',
    sortKey: 'GSI4SK',
    purpose: 'listed subjects by district (sparse: subjects with an active listing)',
    projection: { type: 'INCLUDE', attributes: ['uscc', 'district', 'activeListings'] },
    projectionReason:
      "the drift recount's parallel scan (the evaluation run) reads uscc, district and activeListings " +
      "only; a subject's other facts (name, flags, registry) change without writing the index.",
  },
  /** Trail entries by month, spread over shards (`AUDIT#<yyyy-mm>#<nn>`). */
  auditByMonth: {
    indexName: 'GSI5',
    partitionKey: 'GSI5PK',
    sortKey: 'GSI5SK',
    purpose: 'trail entries by month, spread over 16 shard partitions',
    projection: { type: 'KEYS_ONLY' },
    projectionReason:
      'GET /trail?month= queries all 16 shards for a page each and keeps one page of the merge: it ' +
      'reads the kept entries whole by BatchGetItem, so the 15 pages it drops cost only their keys; ' +
      'entries (before and after images) are the largest and most numerous items and are not copied.',
  },
  /** Subjects by their 9-character organisation code (positions 9–17), to match older lists. */
  byOrgCode: {
    indexName: 'GSI6',
    partitionKey: 'GSI6PK',
    sortKey: 'GSI6SK',
    purpose: 'subjects by organisation code (GB 11714), to match lists that carry only the old code',
    projection: { type: 'INCLUDE', attributes: ['uscc', 'activeListings'] },
    projectionReason:
      'the check reads uscc and activeListings of the subjects an organisation code matches (whether ' +
      "to read listings), the import's code resolver uscc only; every subject is on it, so only those " +
      'two are copied.',
  },
  /** Listings by the day triage must look at them again, spread over shards (`DUE#<nn>`, sorted by day). */
  byDueDate: {
    indexName: 'GSI7',
    partitionKey: 'GSI7PK',
    sortKey: 'GSI7SK',
    purpose: 'listings due for re-triage by day (sparse), read by the daily triage job up to today',
    projection: { type: 'INCLUDE', attributes: ['uscc', 'listType', 'key'] },
    projectionReason:
      "the daily triage run reads each due listing's reference (uscc, listType, key) and reads the " +
      'listing itself when it re-triages it; triage changes to a listing do not write the index.',
  },
} as const satisfies Record<string, IndexDefinition>;

export type IndexName = keyof typeof GSI;

export const INDEX_PURPOSES = Object.fromEntries(
  Object.entries(GSI).map(([name, index]) => [name, index.purpose]),
) as Record<IndexName, string>;

/**
 * The attribute DynamoDB expires items on (epoch seconds): records kept for a while only, such as
 * Idempotency-Key claims, set it; everything else never carries it.
 */
export const TIME_TO_LIVE_ATTRIBUTE = 'expiresAt';

/** Every attribute used as a key anywhere; all are strings. */
export const KEY_ATTRIBUTES: readonly string[] = [
  TABLE_PARTITION_KEY,
  TABLE_SORT_KEY,
  ...Object.values(GSI).flatMap((index) => [index.partitionKey, index.sortKey]),
];

/**
 * The table streams every change with both images: the trail (who, why, before and after) and triage
 * are written from it, never by the code that made the change.
 */
export const STREAM_VIEW_TYPE = 'NEW_AND_OLD_IMAGES' as const;

/** An index's projection as CreateTable and CloudFormation spell it. */
export function projectionOf(index: IndexDefinition) {
  const { projection } = index;
  return projection.type === 'INCLUDE'
    ? { ProjectionType: projection.type, NonKeyAttributes: [...projection.attributes] }
    : { ProjectionType: projection.type };
}

/** The input of CreateTable, shared by DynamoDB Local and the tests; the CDK stack maps the same constants. */
export function createTableInput(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW_TYPE },
    AttributeDefinitions: KEY_ATTRIBUTES.map((name) => ({
      AttributeName: name,
      AttributeType: 'S' as const,
    })),
    KeySchema: [
      { AttributeName: TABLE_PARTITION_KEY, KeyType: 'HASH' as const },
      { AttributeName: TABLE_SORT_KEY, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: Object.values(GSI).map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: projectionOf(index),
    })),
  };
}
