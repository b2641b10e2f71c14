/**
 * Listings as triage leaves them, written through the store's own paths: the subject and its listing by
 * `changeSubject`, the registry's facts by a registry update, the rule's answer by `retriageListing`, and
 * an override or a plan by `editListing`.
 */
import { planExitListing, planRecordListing, planRegistryUpdate } from '#domain/changes.ts';
import type {
  ClassificationOverride,
  ListingPlan,
  ListType,
  RegistrationStatus,
  SubjectFlags,
  TriageList,
} from '#domain/model.ts';
import { DEFAULT_RULE_TABLE } from '#domain/rule-table.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { decisionOf, nextClassification } from '#domain/triage-state.ts';
import { editListing } from '#storage/listing-edit.ts';
import { changeSubject, type ListingRef, type StoreDeps } from '#storage/subject-store.ts';
import { retriageListing, triageActor } from '#storage/triage-store.ts';

export interface SeededListing {
  readonly uscc: string;
  readonly name: string;
  /** A district code or UNASSIGNED. */
  readonly district: string;
  readonly listType: ListType;
  readonly key: string;
  readonly department: string;
  readonly listedAt?: string;
  readonly endsAt?: string;
  readonly registrationStatus?: RegistrationStatus;
  readonly flags?: SubjectFlags;
  /** Leave it unclassified. */
  readonly unclassified?: boolean;
  readonly override?: { readonly list: TriageList; readonly track: string; readonly reason: string };
  readonly planDeadline?: string;
  /** End it (a confirmed exit) after triage. */
  readonly exited?: boolean;
}

const SEED_ACTOR: ChangedBy = { principal: 'seed', role: 'city', cause: { kind: 'system', id: 'seed' } };

export function refOf(listing: Pick<SeededListing, 'uscc' | 'listType' | 'key'>): ListingRef {
  return { uscc: listing.uscc, listType: listing.listType, key: listing.key };
}

/** Writes one listing and brings it to the state `spec` describes, as of `today` (`yyyy-mm-dd`). */
export async function seedListing(deps: StoreDeps, spec: SeededListing, today: string): Promise<void> {
  const ref = refOf(spec);
  await changeSubject(
    deps,
    spec.uscc,
    ref,
    SEED_ACTOR,
    planRecordListing(
      {
        uscc: spec.uscc,
        name: spec.name,
        district: spec.district,
        districtSource: spec.district === 'UNASSIGNED' ? 'unassigned' : 'column',
      },
      {
        listType: spec.listType,
        key: spec.key,
        department: spec.department,
        source: 'test',
        ...(spec.listedAt === undefined ? {} : { listedAt: spec.listedAt }),
        ...(spec.endsAt === undefined ? {} : { endsAt: spec.endsAt }),
      },
      () => {},
    ),
  );
  await changeSubject(
    deps,
    spec.uscc,
    undefined,
    SEED_ACTOR,
    planRegistryUpdate(
      { registrationStatus: spec.registrationStatus ?? 'active', flags: spec.flags ?? {} },
      () => {},
    ),
  );
  const retriage = () => retriageAsOf(deps, ref, today);
  if (spec.unclassified !== true) await retriage();
  if (spec.override !== undefined) await overrideListing(deps, ref, spec.override, spec.department, today);
  if (spec.planDeadline !== undefined) await setPlan(deps, ref, spec.planDeadline, today);
  if (spec.exited === true) {
    await changeSubject(deps, spec.uscc, ref, SEED_ACTOR, planExitListing('test-exit'));
    // what the stream's re-triage does after an exit: the listing leaves the triage counts
    await retriage();
  }
}

function retriageAsOf(deps: StoreDeps, ref: ListingRef, today: string) {
  return retriageListing(deps, ref, {
    rules: DEFAULT_RULE_TABLE,
    today,
    actor: triageActor(SEED_ACTOR.cause),
  });
}

/** A registry update of the listing's subject, then the re-triage the table's stream makes of it. */
export async function changeRegistration(
  deps: StoreDeps,
  ref: ListingRef,
  registrationStatus: RegistrationStatus,
  today: string,
): Promise<void> {
  await changeSubject(
    deps,
    ref.uscc,
    undefined,
    SEED_ACTOR,
    planRegistryUpdate({ registrationStatus, flags: {} }, () => {}),
  );
  await retriageAsOf(deps, ref, today);
}

/** The designating department's override, kept beside the rule's answer. */
export async function overrideListing(
  deps: StoreDeps,
  ref: ListingRef,
  override: { readonly list: TriageList; readonly track: string; readonly reason: string },
  department: string,
  today: string,
): Promise<void> {
  const now = deps.clock.now();
  const decided: ClassificationOverride = { ...override, by: 'seed', department, at: now.toISOString() };
  await editListing(deps, ref, SEED_ACTOR, today, ({ listing }) => {
    if (listing.classification === undefined) throw new Error('override of an unclassified listing');
    const before = listing.classification;
    return {
      ...listing,
      classification: nextClassification(before, decisionOf(before), now, today, decided),
    };
  });
}

/** A plan with `deadline`, set through the listing edit path (tally and counters follow). */
export async function setPlan(
  deps: StoreDeps,
  ref: ListingRef,
  deadline: string,
  today: string,
): Promise<void> {
  const plan: ListingPlan = {
    unit: '长安区发展和改革局',
    person: '信用科科长',
    measures: [],
    deadline,
    setAt: deps.clock.now().toISOString(),
  };
  await editListing(deps, ref, SEED_ACTOR, today, ({ listing }) => ({ ...listing, plan }));
}
