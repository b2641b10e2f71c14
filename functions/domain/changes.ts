/**
 * Changes to a subject and its listings, as pure planners: given what is stored, what should be. The
 * store turns a plan into one transaction with the counters; planners never see counts or versions.
 */
import type { DistrictSource, Listing, Subject, SubjectFlags } from './model.ts';

/** The new state a change wants. */
export interface ChangePlan {
  readonly subject: Omit<
    Subject,
    'activeListings' | 'activeByListType' | 'version' | 'createdAt' | 'updatedAt'
  >;
  readonly listing?: Omit<Listing, 'createdAt' | 'updatedAt'>;
  /** The exit reason, when the change may end the subject's last listing. */
  readonly exitReason?: string;
}

export type Planner = (current: { subject?: Subject; listing?: Listing }) => ChangePlan | undefined;

export interface SubjectFacts {
  readonly uscc: string;
  readonly name: string;
  readonly district: string;
  readonly districtSource: DistrictSource;
}

/** What a list row says of a listing; status, district and timestamps are the store's business. */
export type ListingFacts = Pick<
  Listing,
  | 'listType'
  | 'key'
  | 'department'
  | 'caseNo'
  | 'listedAt'
  | 'endsAt'
  | 'reason'
  | 'obligation'
  | 'performance'
  | 'source'
  | 'importId'
>;

export type RecordOutcome = 'new' | 'unchanged' | 'updated' | 'revived' | 'exited-reappeared';

const LISTING_FACT_FIELDS = [
  'department',
  'caseNo',
  'listedAt',
  'endsAt',
  'reason',
  'obligation',
  'performance',
] as const;

/**
 * Which district a subject keeps when a list row names one: a district taken from a row's column wins
 * over one inferred from the code or none; an existing column or manual placement is kept (a move is
 * the registry's business, not a list's).
 */
export function chooseDistrict(existing: Subject | undefined, facts: SubjectFacts) {
  if (existing === undefined) return { district: facts.district, districtSource: facts.districtSource };
  const existingIsWeak =
    existing.districtSource === 'unassigned' || existing.districtSource === 'inferred-from-uscc';
  if (existingIsWeak && facts.districtSource === 'column') {
    return { district: facts.district, districtSource: facts.districtSource };
  }
  if (existing.districtSource === 'unassigned' && facts.districtSource === 'inferred-from-uscc') {
    return { district: facts.district, districtSource: facts.districtSource };
  }
  return { district: existing.district, districtSource: existing.districtSource };
}

function baseSubject(existing: Subject | undefined, facts: SubjectFacts): ChangePlan['subject'] {
  const placement = chooseDistrict(existing, facts);
  const flags: SubjectFlags = existing?.flags ?? {};
  return {
    uscc: facts.uscc,
    name: facts.name !== '' ? facts.name : (existing?.name ?? ''),
    ...placement,
    ...(existing?.registrationStatus === undefined
      ? {}
      : { registrationStatus: existing.registrationStatus }),
    ...(existing?.movedTo === undefined ? {} : { movedTo: existing.movedTo }),
    flags,
  };
}

/**
 * Records one listing as a list carries it. New listings start active; an active listing flagged
 * missing from a push and seen again is revived; an exited listing seen again stays exited (only its
 * department can list it anew, with a new case number) and is reported.
 */
export function planRecordListing(
  facts: SubjectFacts,
  listingFacts: ListingFacts,
  report: (outcome: RecordOutcome) => void,
): Planner {
  return ({ subject, listing }) => {
    const nextSubject = baseSubject(subject, facts);
    if (listing === undefined) {
      report('new');
      return {
        subject: nextSubject,
        listing: { uscc: facts.uscc, ...listingFacts, status: 'active', district: nextSubject.district },
      };
    }
    if (listing.status === 'exited') {
      report('exited-reappeared');
      return undefined;
    }
    const factsChanged = LISTING_FACT_FIELDS.some(
      (field) => (listingFacts[field] ?? '') !== (listing[field] ?? ''),
    );
    const subjectChanged =
      subject === undefined ||
      subject.name !== nextSubject.name ||
      subject.district !== nextSubject.district ||
      subject.districtSource !== nextSubject.districtSource;
    const revived = listing.missingFromPush !== undefined;
    if (!factsChanged && !subjectChanged && !revived && listing.district === nextSubject.district) {
      report('unchanged');
      return undefined;
    }
    report(revived ? 'revived' : factsChanged ? 'updated' : 'unchanged');
    const { missingFromPush: _cleared, ...kept } = listing;
    return {
      subject: nextSubject,
      listing: { ...kept, ...listingFacts, district: nextSubject.district },
    };
  };
}

/**
 * Ends a listing (confirmed exit), recording the exit's id, date and reason on it when given.
 * Idempotent: ending an exited listing changes nothing.
 */
export function planExitListing(
  reason: string,
  exit?: { readonly exitId: string; readonly exitedAt: string },
): Planner {
  return ({ subject, listing }) => {
    if (subject === undefined || listing === undefined || listing.status === 'exited') return undefined;
    return {
      subject: { ...subject },
      listing: {
        ...listing,
        status: 'exited',
        ...(exit === undefined ? {} : { exitId: exit.exitId, exitedAt: exit.exitedAt, exitReason: reason }),
      },
      exitReason: reason,
    };
  };
}

/** Moves a subject to another district (registry update or the city placing an unassigned subject). */
export function planMoveSubject(district: string, source: 'column' | 'manual'): Planner {
  return ({ subject }) => {
    if (subject === undefined || subject.district === district) return undefined;
    return { subject: { ...subject, district, districtSource: source } };
  };
}

export interface RegistryFacts {
  readonly name?: string;
  readonly district?: string;
  readonly registrationStatus?: Subject['registrationStatus'];
  readonly movedTo?: string;
  readonly flags: SubjectFlags;
}

export type RegistryOutcome = 'updated' | 'unchanged' | 'unknown' | 'moved';

/**
 * A registry row: status, moved-to and flags of a subject we track, and its district when the registry
 * names one (the count moves with it). Subjects we do not track are left alone: the registry pushes
 * every enterprise, we keep only listed ones.
 */
export function planRegistryUpdate(
  facts: RegistryFacts,
  report: (outcome: RegistryOutcome) => void,
): Planner {
  return ({ subject }) => {
    if (subject === undefined) {
      report('unknown');
      return undefined;
    }
    const flags: SubjectFlags = { ...subject.flags, ...facts.flags };
    const next = {
      ...subject,
      ...(facts.name === undefined ? {} : { name: facts.name }),
      ...(facts.registrationStatus === undefined ? {} : { registrationStatus: facts.registrationStatus }),
      ...(facts.movedTo === undefined ? {} : { movedTo: facts.movedTo }),
      ...(facts.district === undefined
        ? {}
        : { district: facts.district, districtSource: 'column' as const }),
      flags,
    };
    const moved = next.district !== subject.district;
    const changed =
      moved ||
      next.name !== subject.name ||
      next.registrationStatus !== subject.registrationStatus ||
      next.movedTo !== subject.movedTo ||
      JSON.stringify(sortedFlags(flags)) !== JSON.stringify(sortedFlags(subject.flags));
    if (!changed) {
      report('unchanged');
      return undefined;
    }
    report(moved ? 'moved' : 'updated');
    const {
      activeListings: _count,
      activeByListType: _byType,
      version: _version,
      createdAt: _created,
      updatedAt: _updated,
      ...plain
    } = next;
    return { subject: plain };
  };
}

function sortedFlags(flags: SubjectFlags) {
  return Object.fromEntries(Object.entries(flags).sort(([a], [b]) => a.localeCompare(b)));
}
