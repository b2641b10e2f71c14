/**
 * The joint-punishment check against the table, answered fast for a batch of up to a thousand codes:
 * the subjects in BatchGetItem calls of 100 (all in flight at once), organisation codes through their
 * index, and listings read only for the subjects that have active ones (a bounded number of queries in
 * flight). Every check is then recorded as one item, which the trail reads from the stream: who asked
 * about which codes, when, and what the answer said.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  answerFor,
  type CheckAnswer,
  type CheckedCode,
  type CheckedListing,
  type CheckListing,
  checkListingOf,
  checkRecordOf,
  classifyCheckCode,
} from '#domain/checks.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { BATCH_GET_LIMIT, batchGetAll, prefixQuery, queryPages } from './batch.ts';
import { encodeListingId, ITEM_TYPES, indexPartitions, keys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';
import { GSI } from './table-definition.ts';

/** Queries in flight at once: enough to hide DynamoDB's latency, few enough to stay in the SDK's sockets. */
export const CHECK_QUERY_CONCURRENCY = 32;

/** How a check reached us: through the API, or as a file in the drop folder. */
export type CheckChannel = 'api' | 'drop-folder';

export interface CheckRequest {
  readonly checkId: string;
  readonly codes: readonly string[];
  readonly actor: ChangedBy;
  readonly channel: CheckChannel;
  /** The dropped file's key, for a drop-folder check. */
  readonly fileKey?: string;
}

type Item = Record<string, unknown>;

/** Runs `work` over `items` with at most `limit` in flight; results in the order of `items`. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>) {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** `activeListings` of each subject found, by USCC; BatchGetItem calls of 100 all in flight at once. */
async function readSubjects(deps: StoreDeps, usccs: readonly string[]): Promise<Map<string, number>> {
  const chunks: string[][] = [];
  for (let start = 0; start < usccs.length; start += BATCH_GET_LIMIT)
    chunks.push(usccs.slice(start, start + BATCH_GET_LIMIT));
  const pages = await Promise.all(
    chunks.map((chunk) =>
      batchGetAll(
        deps.client,
        deps.tableName,
        chunk.map((uscc) => keys.subject(uscc)),
        { ProjectionExpression: 'uscc, activeListings' },
      ),
    ),
  );
  return new Map(pages.flat().map((item) => [String(item.uscc), Number(item.activeListings ?? 0)]));
}

/** The subjects whose organisation code is `orgCode`, from GSI6 (which projects the whole subject). */
async function subjectsOfOrgCode(deps: StoreDeps, orgCode: string): Promise<Item[]> {
  const result = await deps.client.send(
    new QueryCommand({
      TableName: deps.tableName,
      IndexName: GSI.byOrgCode.indexName,
      KeyConditionExpression: `${GSI.byOrgCode.partitionKey} = :pk`,
      ExpressionAttributeValues: { ':pk': indexPartitions.subjectsOfOrgCode(orgCode) },
      ProjectionExpression: 'uscc, activeListings',
    }),
  );
  return (result.Items ?? []) as Item[];
}

/** Only what the answer needs of a listing: the classification's inputs and reason stay in the table. */
const LISTING_FIELDS = ['uscc', 'listType', 'key', 'department', 'listedAt', 'status'];
const CLASSIFICATION_FIELDS = ['list', 'track', 'override', 'measures'];
const LISTING_PROJECTION = {
  ProjectionExpression: [
    ...LISTING_FIELDS.map((name) => `#${name}`),
    ...CLASSIFICATION_FIELDS.map((name) => `#classification.#${name}`),
  ].join(', '),
  // every name aliased: some (key, status, list) are words DynamoDB reserves
  ExpressionAttributeNames: Object.fromEntries(
    [...LISTING_FIELDS, 'classification', ...CLASSIFICATION_FIELDS].map((name) => [`#${name}`, name]),
  ),
};

/** The counting listings of one subject, as the check answers them. */
async function readCheckListings(deps: StoreDeps, uscc: string): Promise<CheckListing[]> {
  const found: CheckListing[] = [];
  const query = prefixQuery(deps.tableName, keys.listingPrefix(uscc), LISTING_PROJECTION);
  for await (const page of queryPages(deps.client, query)) {
    for (const item of page) {
      const listing = item as unknown as CheckedListing;
      const answer = checkListingOf(listing, encodeListingId(listing.uscc, listing.listType, listing.key));
      if (answer !== undefined) found.push(answer);
    }
  }
  return found;
}

/** Whom each code matched: a USCC itself when the subject exists, an organisation code its subjects. */
async function matchCodes(deps: StoreDeps, checked: readonly CheckedCode[]) {
  const usccs = [...new Set(checked.flatMap((code) => (code.kind === 'uscc' ? [code.uscc] : [])))];
  const orgCodes = [...new Set(checked.flatMap((code) => (code.kind === 'org-code' ? [code.orgCode] : [])))];
  const [active, byOrgCode] = await Promise.all([
    readSubjects(deps, usccs),
    mapLimited(orgCodes, CHECK_QUERY_CONCURRENCY, (orgCode) => subjectsOfOrgCode(deps, orgCode)),
  ]);
  const matchedOrg = new Map<string, string[]>();
  orgCodes.forEach((orgCode, index) => {
    const subjects = byOrgCode[index] ?? [];
    for (const subject of subjects) active.set(String(subject.uscc), Number(subject.activeListings ?? 0));
    matchedOrg.set(
      orgCode,
      subjects.map((subject) => String(subject.uscc)),
    );
  });
  const matched = (code: CheckedCode): string[] => {
    if (code.kind === 'uscc') return active.has(code.uscc) ? [code.uscc] : [];
    if (code.kind === 'org-code') return matchedOrg.get(code.orgCode) ?? [];
    return [];
  };
  return { active, matched };
}

/**
 * The answers for `codes`, in their order: each code classified, the subjects matched, and the
 * listings read only for subjects with active ones. Reads only; {@link runCheck} also records it.
 */
export async function answerCodes(deps: StoreDeps, codes: readonly string[]): Promise<CheckAnswer[]> {
  const checked = codes.map(classifyCheckCode);
  const { active, matched } = await matchCodes(deps, checked);
  const listed = [...active].filter(([, count]) => count > 0).map(([uscc]) => uscc);
  const listingLists = await mapLimited(listed, CHECK_QUERY_CONCURRENCY, (uscc) =>
    readCheckListings(deps, uscc),
  );
  const listingsByUscc = new Map(listed.map((uscc, index) => [uscc, listingLists[index] ?? []]));
  return checked.map((code) => answerFor(code, matched(code), (uscc) => listingsByUscc.get(uscc) ?? []));
}

/**
 * Records a check as one item (an audited type: the trail writes its entry from the stream): who asked,
 * when, through which channel, each code asked and whether the answer said listed.
 */
export async function recordCheck(
  deps: StoreDeps,
  request: Omit<CheckRequest, 'codes'>,
  answers: readonly CheckAnswer[],
): Promise<void> {
  const at = deps.clock.now().toISOString();
  const codes = answers.map(checkRecordOf);
  await deps.client.send(
    new PutCommand({
      TableName: deps.tableName,
      Item: {
        ...keys.check(request.checkId),
        type: ITEM_TYPES.check,
        checkId: request.checkId,
        channel: request.channel,
        ...(request.fileKey === undefined ? {} : { fileKey: request.fileKey }),
        codes,
        asked: codes.length,
        listed: codes.filter((code) => code.listed).length,
        at,
        updatedAt: at,
        version: 1,
        changedBy: request.actor,
      },
    }),
  );
}

/**
 * A check as the API and the drop folder run it: the answers, then the record of them. The answer is
 * given only once it is recorded, so that every answer a refusal may rest on can be traced.
 */
export async function runCheck(deps: StoreDeps, request: CheckRequest): Promise<CheckAnswer[]> {
  const answers = await answerCodes(deps, request.codes);
  await recordCheck(deps, request, answers);
  return answers;
}
