/**
 * The joint-punishment check against the table, answered fast for a batch of up to a thousand codes:
 * the subjects in BatchGetItem calls of 100 (all in flight at once), organisation codes through their
 * index, and listings read only for the subjects that have active ones, 50 subjects to a PartiQL
 * statement (a bounded number in flight). Every check is then recorded as one item, which the trail reads from the stream: who asked
 * about which codes, when, and what the answer said.
 */
import { ExecuteStatementCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
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
import { mapLimited } from '#shared/map-limited.ts';
import { BATCH_GET_LIMIT, batchGetAll } from './batch.ts';
import { encodeListingId, ITEM_TYPES, indexPartitions, keys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';
import { GSI } from './table-definition.ts';

/** Requests in flight at once: enough to hide DynamoDB's latency, few enough to stay in the SDK's sockets. */
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

/** The subjects whose organisation code is `orgCode`, from GSI6 (which projects uscc and activeListings). */
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

/** Partition keys one PartiQL `IN` may name (DynamoDB's limit). */
const PARTITIONS_PER_STATEMENT = 50;

/** The listing's fields the answer needs; the classification whole (PartiQL flattens nested paths). */
const LISTING_FIELDS = ['uscc', 'listType', 'key', 'department', 'listedAt', 'status', 'classification'];

/**
 * The counting listings of up to 50 subjects in one PartiQL statement (a query of each partition, its
 * pages followed). One statement instead of one Query per subject: on DynamoDB Local every request costs
 * about as much as a GetItem whatever it reads, and 300 queries alone would exceed the check's budget.
 */
async function readListingsOf(deps: StoreDeps, usccs: readonly string[]): Promise<CheckListing[]> {
  const partitions = usccs.map((uscc) => keys.listingPrefix(uscc));
  const statement = `SELECT ${LISTING_FIELDS.map((name) => `"${name}"`).join(', ')} FROM "${deps.tableName}" WHERE "PK" IN [${partitions.map(() => '?').join(', ')}] AND begins_with("SK", ?) AND "status" IN [?, ?]`;
  const parameters = [
    ...partitions.map((partition) => partition.PK),
    partitions[0]?.SKPrefix,
    'active',
    'exit-pending',
  ];
  const found: CheckListing[] = [];
  let NextToken: string | undefined;
  do {
    const page = await deps.client.send(
      new ExecuteStatementCommand({ Statement: statement, Parameters: parameters, NextToken }),
    );
    for (const item of page.Items ?? []) {
      const listing = item as unknown as CheckedListing;
      const answer = checkListingOf(listing, encodeListingId(listing.uscc, listing.listType, listing.key));
      if (answer !== undefined) found.push(answer);
    }
    NextToken = page.NextToken;
  } while (NextToken !== undefined);
  return found;
}

/** The counting listings of the subjects, by USCC: statements of 50 subjects, several in flight. */
async function readCheckListings(
  deps: StoreDeps,
  usccs: readonly string[],
): Promise<Map<string, CheckListing[]>> {
  const chunks: string[][] = [];
  for (let start = 0; start < usccs.length; start += PARTITIONS_PER_STATEMENT)
    chunks.push(usccs.slice(start, start + PARTITIONS_PER_STATEMENT));
  const pages = await mapLimited(chunks, CHECK_QUERY_CONCURRENCY, (chunk) => readListingsOf(deps, chunk));
  const byUscc = new Map<string, CheckListing[]>();
  for (const listing of pages.flat())
    byUscc.set(listing.uscc, [...(byUscc.get(listing.uscc) ?? []), listing]);
  return byUscc;
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
  const listingsByUscc = await readCheckListings(deps, listed);
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
