/**
 * The one table definition. The CDK stack and the local runtime's CreateTable both read it, so the
 * cloud table and DynamoDB Local cannot drift apart.
 */
export interface IndexDefinition {
  /** Index name as DynamoDB knows it. */
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** What the index answers, for the README and the stack's documentation. */
  readonly purpose: string;
}

export const TABLE_PARTITION_KEY = 'PK';
export const TABLE_SORT_KEY = 'SK';

export const GSI = {
  /** Listed listings (active or awaiting exit confirmation) by district and class; only they carry the key. */
  byDistrictClass: { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  /** Listings by department and status; exit submissions by city-wide status; imports newest first. */
  byOwnerStatus: { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  /** Exit queue by district and status. */
  byDistrictQueue: { indexName: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK' },
  /** Listed subjects (at least one active listing) by district; sparse, scanned by the drift recount. */
  listedSubjects: { indexName: 'GSI4', partitionKey: 'GSI4PK', sortKey: 'GSI4SK' },
  /** Trail entries by month, spread over shards (`AUDIT#<yyyy-mm>#<nn>`). */
  auditByMonth: { indexName: 'GSI5', partitionKey: 'GSI5PK', sortKey: 'GSI5SK' },
  /** Subjects by their 9-character organisation code (positions 9–17), to match older lists. */
  byOrgCode: { indexName: 'GSI6', partitionKey: 'GSI6PK', sortKey: 'GSI6SK' },
  /** Listings by the day triage must look at them again, spread over shards (`DUE#<nn>`, sorted by day). */
  byDueDate: { indexName: 'GSI7', partitionKey: 'GSI7PK', sortKey: 'GSI7SK' },
} as const;

export type IndexName = keyof typeof GSI;

export const INDEX_PURPOSES: Record<IndexName, string> = {
  byDistrictClass: 'listed listings (active or exit-pending) by district and class (sparse)',
  byOwnerStatus: 'listings by department and status; exits by city-wide status; imports newest first',
  byDistrictQueue: 'exit queue by district and status',
  listedSubjects: 'listed subjects by district (sparse: subjects with an active listing)',
  auditByMonth: 'trail entries by month, spread over 16 shard partitions',
  byOrgCode: 'subjects by organisation code (GB 11714), to match lists that carry only the old code',
  byDueDate: 'listings due for re-triage by day (sparse), read by the daily triage job up to today',
};

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
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
}
