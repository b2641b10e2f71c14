/**
 * The only module that knows the key prefixes. Every PK/SK/GSI key of the table is built here from
 * typed parts; repositories never concatenate strings of their own.
 */
import type { ListingStatus, ListType, TriageList } from '#domain/model.ts';
import { KEY_ATTRIBUTES } from './table-definition.ts';

export type Key = { PK: string; SK: string };

const STORAGE_ATTRIBUTES = new Set([...KEY_ATTRIBUTES, 'type']);

/** An item as the rest of the code sees it: without its table and index keys and its item type. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !STORAGE_ATTRIBUTES.has(name))) as T;
}

function shardPart(shard: number): string {
  return String(shard).padStart(2, '0');
}

export const ITEM_TYPES = {
  subject: 'subject',
  listing: 'listing',
  /** A trail entry (history), written from the table's stream. */
  audit: 'audit',
  exit: 'exit',
  importBatch: 'import',
  importError: 'import-error',
  importHash: 'import-hash',
  importChunk: 'import-chunk',
  counter: 'counter',
  flow: 'flow',
  enterpriseCount: 'enterprise-count',
  benchmark: 'benchmark',
  evaluation: 'evaluation',
  /** The line of an evaluated month in the list of months evaluated. */
  evaluationMonth: 'evaluation-month',
  campaign: 'campaign',
  idempotency: 'idempotency',
  cursorKey: 'cursor-key',
  /** An action taken on a listing (pairing, warning, interview, repair guidance, repair application). */
  action: 'action',
  /** One joint-punishment check: who asked about which codes, and what the answer said. */
  check: 'check',
  /** A re-triage run for a scope, with its counts. */
  triageJob: 'triage-job',
  /** A 信用中国 batch of confirmed exits (numbered, immutable once written). */
  exitReport: 'exit-report',
  /** One line of a 信用中国 batch, as it was when the batch was made. */
  exitReportRow: 'exit-report-row',
  /** The numbering of the 信用中国 batches and the lease of the one being built. */
  exitReportSequence: 'exit-report-sequence',
} as const;

export const keys = {
  subject: (uscc: string): Key => ({ PK: `SUBJ#${uscc}`, SK: 'PROFILE' }),
  listing: (uscc: string, listType: ListType, key: string): Key => ({
    PK: `SUBJ#${uscc}`,
    SK: `LIST#${listType}#${key}`,
  }),
  listingPrefix: (uscc: string) => ({ PK: `SUBJ#${uscc}`, SKPrefix: 'LIST#' }),
  /** A trail entry lives beside the item it records, under the same partition (a subject's history). */
  trail: (itemPK: string, at: string, recordId: string): Key => ({
    PK: itemPK,
    SK: `AUDIT#${at}#${recordId}`,
  }),
  subjectTrailPrefix: (uscc: string) => ({ PK: `SUBJ#${uscc}`, SKPrefix: 'AUDIT#' }),
  exit: (exitId: string): Key => ({ PK: `EXIT#${exitId}`, SK: 'EXIT' }),
  /** The last 信用中国 batch number issued, and the lease of the batch being built. */
  exitReportSequence: (): Key => ({ PK: 'EXITREPORT', SK: 'SEQUENCE' }),
  /** A 信用中国 batch; numbers padded so that the sort key orders them. */
  exitReport: (reportNumber: number): Key => ({
    PK: 'EXITREPORT',
    SK: `REPORT#${String(reportNumber).padStart(6, '0')}`,
  }),
  exitReportPrefix: () => ({ PK: 'EXITREPORT', SKPrefix: 'REPORT#' }),
  /** A line of a batch, in a partition of its own so that a batch of any size is one query. */
  exitReportRow: (reportNumber: number, exitId: string): Key => ({
    PK: `EXITREPORT#${String(reportNumber).padStart(6, '0')}`,
    SK: `ROW#${exitId}`,
  }),
  exitReportRowPrefix: (reportNumber: number) => ({
    PK: `EXITREPORT#${String(reportNumber).padStart(6, '0')}`,
    SKPrefix: 'ROW#',
  }),
  importBatch: (importId: string): Key => ({ PK: `IMPORT#${importId}`, SK: 'META' }),
  /** A row error, ordered by sheet and line as the user sees them. */
  importError: (importId: string, sheetIndex: number, line: number): Key => ({
    PK: `IMPORT#${importId}`,
    SK: `ERR#${String(sheetIndex).padStart(3, '0')}#${String(line).padStart(9, '0')}`,
  }),
  importChunk: (importId: string, chunk: number): Key => ({
    PK: `IMPORT#${importId}`,
    SK: `CHUNK#${String(chunk).padStart(5, '0')}`,
  }),
  importChunkPrefix: (importId: string) => ({ PK: `IMPORT#${importId}`, SKPrefix: 'CHUNK#' }),
  importErrorPrefix: (importId: string) => ({ PK: `IMPORT#${importId}`, SKPrefix: 'ERR#' }),
  /** A file's content as seen by one source: the same bytes dropped into another source import there too. */
  importHash: (source: string, sha256: string): Key => ({
    PK: `IMPORTHASH#${source}#${sha256}`,
    SK: 'HASH',
  }),
  /**
   * A district's current counters on one write shard: parallel writers pick different shards, so their
   * transactions rarely touch the same item; readers sum the shards.
   */
  currentCounter: (shard: number, district: string): Key => ({
    PK: `STAT#CURRENT#${shardPart(shard)}`,
    SK: `DIST#${district}`,
  }),
  currentCounterPrefix: (shard: number) => ({ PK: `STAT#CURRENT#${shardPart(shard)}`, SKPrefix: 'DIST#' }),
  /** A district's flows of a month (Asia/Shanghai) on one write shard, like the current counters. */
  monthlyFlow: (month: string, shard: number, district: string): Key => ({
    PK: `STAT#${month}#${shardPart(shard)}`,
    SK: `DIST#${district}`,
  }),
  monthlyFlowPrefix: (month: string, shard: number) => ({
    PK: `STAT#${month}#${shardPart(shard)}`,
    SKPrefix: 'DIST#',
  }),
  enterpriseCount: (month: string, district: string): Key => ({
    PK: `ENTCOUNT#${month}`,
    SK: `DIST#${district}`,
  }),
  enterpriseCountPrefix: (month: string) => ({ PK: `ENTCOUNT#${month}`, SKPrefix: 'DIST#' }),
  benchmark: (month: string): Key => ({ PK: `BENCH#${month}`, SK: 'BENCH' }),
  evaluationCity: (month: string): Key => ({ PK: `EVAL#${month}`, SK: 'CITY' }),
  evaluationDistrict: (month: string, district: string): Key => ({
    PK: `EVAL#${month}`,
    SK: `DIST#${district}`,
  }),
  /** One line per evaluated month, so the months evaluated are one query. */
  evaluationMonth: (month: string): Key => ({ PK: 'EVALS', SK: `MONTH#${month}` }),
  evaluationMonthPrefix: () => ({ PK: 'EVALS', SKPrefix: 'MONTH#' }),
  campaign: (campaignId: string): Key => ({ PK: 'CONFIG', SK: `CAMPAIGN#${campaignId}` }),
  /** The secret that signs the API's pagination cursors. */
  cursorKey: (): Key => ({ PK: 'CONFIG', SK: 'CURSOR_KEY' }),
  /** An action on a listing, beside it in its subject's partition, in the order taken. */
  action: (uscc: string, listingSortKey: string, at: string, actionId: string): Key => ({
    PK: `SUBJ#${uscc}`,
    SK: `ACTION#${listingSortKey}#${at}#${actionId}`,
  }),
  actionPrefix: (uscc: string) => ({ PK: `SUBJ#${uscc}`, SKPrefix: 'ACTION#' }),
  check: (checkId: string): Key => ({ PK: `CHECK#${checkId}`, SK: 'CHECK' }),
  triageJob: (jobId: string): Key => ({ PK: `TRIAGEJOB#${jobId}`, SK: 'JOB' }),
  idempotency: (scope: string, idempotencyKey: string): Key => ({
    PK: `IDEMPOTENCY#${scope}`,
    SK: `KEY#${idempotencyKey}`,
  }),
};

/** Sparse index keys: a function returns the attributes to set, or `undefined` where the item stays out. */
export const indexKeys = {
  activeListingByDistrict: (
    district: string,
    list: TriageList | 'unclassified',
    listType: ListType,
    uscc: string,
    key: string,
  ) => ({
    GSI1PK: `DIST#${district}#ACTIVE`,
    GSI1SK: `${list}#${listType}#${uscc}#${key}`,
  }),
  listingByDepartment: (
    department: string,
    status: ListingStatus,
    listedAt: string | undefined,
    uscc: string,
  ) => ({
    GSI2PK: `DEPT#${department}#${status}`,
    GSI2SK: `${listedAt ?? '0000-00-00'}#${uscc}`,
  }),
  exitByCity: (status: string, submittedAt: string, exitId: string) => ({
    GSI2PK: `EXITQ#CITY#${status}`,
    GSI2SK: `${submittedAt}#${exitId}`,
  }),
  exitByDistrict: (district: string, status: string, submittedAt: string, exitId: string) => ({
    GSI3PK: `EXITQ#${district}#${status}`,
    GSI3SK: `${submittedAt}#${exitId}`,
  }),
  importsNewestFirst: (createdAt: string, importId: string) => ({
    GSI2PK: 'IMPORTS',
    GSI2SK: `${createdAt}#${importId}`,
  }),
  listedSubject: (district: string, uscc: string) => ({ GSI4PK: `LISTED#${district}`, GSI4SK: uscc }),
  /**
   * The month's trail, spread over `shard` partitions so that a busy month is not one hot key (a
   * partition key takes about 1 000 writes a second); readers query every shard and merge.
   */
  trailByMonth: (month: string, shard: number, at: string, recordId: string) => ({
    GSI5PK: `AUDIT#${month}#${String(shard).padStart(2, '0')}`,
    GSI5SK: `${at}#${recordId}`,
  }),
  subjectByOrgCode: (orgCode: string, uscc: string) => ({ GSI6PK: `ORG#${orgCode}`, GSI6SK: uscc }),
  /**
   * A listing due for re-triage on `day`, on one of {@link DUE_SHARDS} partitions picked by its code (a
   * rule-table change can make a hundred thousand listings due on one day).
   */
  listingDue: (day: string, uscc: string, sortKey: string) => ({
    GSI7PK: indexPartitions.listingsDue(dueShardOf(uscc)),
    GSI7SK: `${day}#${uscc}#${sortKey}`,
  }),
};

/** Partitions of the due-date index. */
export const DUE_SHARDS = 8;

function dueShardOf(uscc: string): number {
  let sum = 0;
  for (let index = 0; index < uscc.length; index++) sum += uscc.charCodeAt(index);
  return sum % DUE_SHARDS;
}

export const indexPartitions = {
  activeListingsOfDistrict: (district: string) => `DIST#${district}#ACTIVE`,
  listingsOfDepartment: (department: string, status: ListingStatus) => `DEPT#${department}#${status}`,
  exitsOfCity: (status: string) => `EXITQ#CITY#${status}`,
  exitsOfDistrict: (district: string, status: string) => `EXITQ#${district}#${status}`,
  imports: () => 'IMPORTS',
  listedSubjectsOfDistrict: (district: string) => `LISTED#${district}`,
  trailOfMonth: (month: string, shard: number) => `AUDIT#${month}#${String(shard).padStart(2, '0')}`,
  subjectsOfOrgCode: (orgCode: string) => `ORG#${orgCode}`,
  listingsDue: (shard: number) => `DUE#${shardPart(shard)}`,
};

/** Sort-key prefixes and ranges of the indexes, for queries that read part of a partition. */
export const indexSortKeys = {
  /** GSI1: a district's active listings on one list (`unclassified` too), of one list type when given. */
  activeListingsOfClass: (list: TriageList | 'unclassified', listType?: ListType) =>
    listType === undefined ? `${list}#` : `${list}#${listType}#`,
  /**
   * GSI2: a department's listings listed from `from` to `to` (inclusive, `yyyy-mm-dd`, either open); a
   * listing without a listed date (`0000-00-00`) falls outside every range.
   */
  listingsListedBetween: (from: string | undefined, to: string | undefined) => ({
    from: from ?? '0000-00-01',
    to: `${to ?? '9999-12-31'}#\uffff`,
  }),
};

/** Opaque listing id for the API: base64url of the listing's natural key. */
export function encodeListingId(uscc: string, listType: ListType, key: string): string {
  return Buffer.from(JSON.stringify([uscc, listType, key]), 'utf8').toString('base64url');
}

export function decodeListingId(
  listingId: string,
): { uscc: string; listType: string; key: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(listingId, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 3 && parsed.every((part) => typeof part === 'string')) {
      const [uscc, listType, key] = parsed as [string, string, string];
      return { uscc, listType, key };
    }
  } catch {
    // not a listing id
  }
  return undefined;
}
