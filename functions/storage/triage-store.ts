/**
 * Triage against the table: the rule table in force, and one listing re-triaged through the listing
 * edit path. Runs over many listings are in `triage-job-store.ts`.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { isCountingStatus } from '#domain/model.ts';
import { DEFAULT_RULE_TABLE, type RuleTable } from '#domain/rule-table.ts';
import { parseRuleTable } from '#domain/rule-table-schema.ts';
import type { ListingRef } from '#domain/subject-writes.ts';
import type { ChangeCause, ChangedBy } from '#domain/trail.ts';
import { classifyListing } from '#domain/triage.ts';
import { nextClassification } from '#domain/triage-state.ts';
import { keys } from './keys.ts';
import { editListing, editListings, type ListingEdit, type ListingEditOutcome } from './listing-edit.ts';
import type { StoreDeps } from './subject-store.ts';

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

/** The edit triage makes: the rule's answer as of the run's day, for a listing that still counts. */
function retriageEdit(run: TriageRun, now: Date): ListingEdit {
  return ({ listing, subject }) => {
    if (!isCountingStatus(listing.status)) return undefined;
    const decision = classifyListing({ listing, subject, asOf: run.today, rules: run.rules });
    return {
      ...listing,
      classification: nextClassification(listing.classification, decision, now, run.today),
    };
  };
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
  return editListing(deps, ref, run.actor, run.today, retriageEdit(run, deps.clock.now()));
}

/** The same for a page of listings, read in batches (a run's slice); outcomes in the order of `refs`. */
export function retriageListings(
  deps: StoreDeps,
  refs: readonly ListingRef[],
  run: TriageRun,
): Promise<(ListingEditOutcome | Error)[]> {
  return editListings(deps, refs, run.actor, run.today, retriageEdit(run, deps.clock.now()));
}
