/**
 * Triage against the table: the rule table in force, one listing re-triaged through the listing edit
 * path, and the listings of a scope or due on a day, found through indexes (never by scanning the
 * table).
 */
import { GetCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { DISTRICTS } from '#domain/district.ts';
import { isCountingStatus, type ListType, UNASSIGNED_DISTRICT } from '#domain/model.ts';
import { DEFAULT_RULE_TABLE, type RuleTable } from '#domain/rule-table.ts';
import { parseRuleTable } from '#domain/rule-table-schema.ts';
import type { ListingRef } from '#domain/subject-writes.ts';
import type { ChangeCause, ChangedBy } from '#domain/trail.ts';
import { classifyListing } from '#domain/triage.ts';
import { nextClassification } from '#domain/triage-state.ts';
import { queryPages } from './batch.ts';
import { DUE_SHARDS, indexPartitions, keys } from './keys.ts';
import { editListing, type ListingEditOutcome } from './listing-edit.ts';
import type { StoreDeps } from './subject-store.ts';
import { GSI } from './table-definition.ts';

/** The principal of every change triage makes; its own changes are not triaged again. */
export const TRIAGE_PRINCIPAL = 'system:triage';

/** The campaign whose configuration holds the rule table in force. */
export const CURRENT_CAMPAIGN = 'current';

export function triageActor(cause: ChangeCause): ChangedBy {
  return { principal: TRIAGE_PRINCIPAL, role: 'system', cause };
}

/** The rule table of the current campaign, or the built-in one while no campaign names one. */
export async function readRuleTable(deps: Pick<StoreDeps, 'client' | 'tableName'>): Promise<RuleTable> {
  const result = await deps.client.send(
    new GetCommand({ TableName: deps.tableName, Key: keys.campaign(CURRENT_CAMPAIGN), ConsistentRead: true }),
  );
  const configured = result.Item?.ruleTable;
  return configured === undefined ? DEFAULT_RULE_TABLE : parseRuleTable(configured);
}

export interface TriageRun {
  readonly rules: RuleTable;
  /** `yyyy-mm-dd`, Asia/Shanghai. */
  readonly today: string;
  readonly actor: ChangedBy;
}

/**
 * Triage of one listing as of the run's day: the rule's answer stored when it says something new, the
 * override kept, the tally, due day and counters following; nothing written when nothing changes.
 */
export function retriageListing(
  deps: StoreDeps,
  ref: ListingRef,
  run: TriageRun,
): Promise<ListingEditOutcome> {
  const now = deps.clock.now();
  return editListing(deps, ref, run.actor, run.today, ({ listing, subject }) => {
    if (!isCountingStatus(listing.status)) return undefined;
    const decision = classifyListing({ listing, subject, asOf: run.today, rules: run.rules });
    return {
      ...listing,
      classification: nextClassification(listing.classification, decision, now, run.today),
    };
  });
}

/** Which listings a re-triage on request covers. */
export type TriageScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'district'; readonly district: string }
  | { readonly kind: 'department'; readonly department: string }
  | { readonly kind: 'import'; readonly importId: string };

const REF_PROJECTION = 'uscc, listType, #key, importId';

function refOf(item: Record<string, unknown>): ListingRef {
  return { uscc: String(item.uscc), listType: item.listType as ListType, key: String(item.key) };
}

function activeOfDistrict(tableName: string, district: string): QueryCommandInput {
  return {
    TableName: tableName,
    IndexName: GSI.byDistrictClass.indexName,
    KeyConditionExpression: `${GSI.byDistrictClass.partitionKey} = :pk`,
    ExpressionAttributeValues: { ':pk': indexPartitions.activeListingsOfDistrict(district) },
    ExpressionAttributeNames: { '#key': 'key' },
    ProjectionExpression: REF_PROJECTION,
  };
}

function queriesOf(tableName: string, scope: TriageScope): QueryCommandInput[] {
  const everyDistrict = [...DISTRICTS.map((district) => district.code), UNASSIGNED_DISTRICT];
  switch (scope.kind) {
    case 'district':
      return [activeOfDistrict(tableName, scope.district)];
    case 'department':
      return (['active', 'exit-pending'] as const).map((status) => ({
        TableName: tableName,
        IndexName: GSI.byOwnerStatus.indexName,
        KeyConditionExpression: `${GSI.byOwnerStatus.partitionKey} = :pk`,
        ExpressionAttributeValues: { ':pk': indexPartitions.listingsOfDepartment(scope.department, status) },
        ExpressionAttributeNames: { '#key': 'key' },
        ProjectionExpression: REF_PROJECTION,
      }));
    case 'import':
      return everyDistrict.map((district) => ({
        ...activeOfDistrict(tableName, district),
        FilterExpression: 'importId = :importId',
        ExpressionAttributeValues: {
          ':pk': indexPartitions.activeListingsOfDistrict(district),
          ':importId': scope.importId,
        },
      }));
    default:
      return everyDistrict.map((district) => activeOfDistrict(tableName, district));
  }
}

/** The listings of a scope, page by page, from the district and department indexes. */
export async function* listingsOfScope(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
  scope: TriageScope,
): AsyncGenerator<ListingRef[]> {
  for (const query of queriesOf(deps.tableName, scope)) {
    for await (const page of queryPages(deps.client, query)) if (page.length > 0) yield page.map(refOf);
  }
}

/** The listings due on or before `day`, page by page, from every shard of the due-day index. */
export async function* listingsDue(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
  day: string,
): AsyncGenerator<ListingRef[]> {
  for (let shard = 0; shard < DUE_SHARDS; shard++) {
    const query: QueryCommandInput = {
      TableName: deps.tableName,
      IndexName: GSI.byDueDate.indexName,
      KeyConditionExpression: `${GSI.byDueDate.partitionKey} = :pk AND ${GSI.byDueDate.sortKey} < :after`,
      ExpressionAttributeValues: { ':pk': indexPartitions.listingsDue(shard), ':after': `${day}#\uffff` },
      ExpressionAttributeNames: { '#key': 'key' },
      ProjectionExpression: REF_PROJECTION,
    };
    for await (const page of queryPages(deps.client, query)) if (page.length > 0) yield page.map(refOf);
  }
}
