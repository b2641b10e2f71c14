/**
 * How a change to a subject moves the district counters. Pure: the repository applies the deltas in the
 * same transaction as the change, so `STAT#CURRENT` always equals a recount.
 */
import type { ListType } from './model.ts';

/** What of a subject matters to the counters, before or after a change. */
export interface CountingState {
  readonly district: string;
  /** Listings with status active or exit-pending. */
  readonly activeListings: number;
  /** The same, by list type. */
  readonly activeByListType?: Partial<Record<string, number>>;
}

export interface CounterDelta {
  readonly district: string;
  readonly attribute: string;
  readonly delta: number;
}

export interface FlowDelta {
  readonly district: string;
  readonly attribute: string;
  readonly delta: number;
}

/** Counter attribute names, kept here so the evaluation reads what the writes wrote. */
export const COUNTER = {
  listedSubjects: 'listedSubjects',
  /** Listed subjects whose USCC starts with this two-character prefix (`91` = enterprises). */
  listedByPrefix: (prefix: string) => `listed_${prefix}`,
  activeListings: 'activeListings',
  activeByListType: (listType: ListType) => `active_${listType}`,
} as const;

export const FLOW = {
  newlyListed: 'newlyListed',
  newlyListedByPrefix: (prefix: string) => `newlyListed_${prefix}`,
  exited: 'exited',
  exitedByPrefix: (prefix: string) => `exited_${prefix}`,
  exitedByReason: (reason: string) => `exitedBy_${reason}`,
  movedIn: 'movedIn',
  movedInByPrefix: (prefix: string) => `movedIn_${prefix}`,
  movedOut: 'movedOut',
  movedOutByPrefix: (prefix: string) => `movedOut_${prefix}`,
} as const;

export function usccPrefix(uscc: string): string {
  return uscc.slice(0, 2);
}

/**
 * The counter and flow deltas of one change of a subject. `before` is undefined for a new subject;
 * `exitReason` names the reason when the change ends the subject's last listing.
 */
export function subjectDeltas(
  uscc: string,
  before: CountingState | undefined,
  after: CountingState,
  exitReason?: string,
): { counters: CounterDelta[]; flows: FlowDelta[] } {
  const listed: ListedMove = {
    prefix: usccPrefix(uscc),
    from: before !== undefined && before.activeListings > 0 ? before.district : undefined,
    to: after.activeListings > 0 ? after.district : undefined,
  };
  return {
    counters: [...activeListingDeltas(before, after), ...listedSubjectDeltas(listed)],
    flows: listingFlows(listed, exitReason),
  };
}

/** Where a subject was listed before a change and is listed after it: undefined where it is not listed. */
interface ListedMove {
  readonly prefix: string;
  readonly from: string | undefined;
  readonly to: string | undefined;
}

/**
 * Active listings leave the old state's district and arrive in the new one's; where the district is the
 * same, groupByDistrict nets the two out to the change.
 */
function activeListingDeltas(before: CountingState | undefined, after: CountingState): CounterDelta[] {
  const counters: CounterDelta[] = [];
  for (const [state, sign] of [
    [before, -1],
    [after, 1],
  ] as const) {
    if (state === undefined) continue;
    if (state.activeListings !== 0) {
      counters.push({
        district: state.district,
        attribute: COUNTER.activeListings,
        delta: sign * state.activeListings,
      });
    }
    for (const [listType, count] of Object.entries(state.activeByListType ?? {})) {
      if (count !== undefined && count !== 0) {
        counters.push({ district: state.district, attribute: `active_${listType}`, delta: sign * count });
      }
    }
  }
  return counters;
}

/** The subject leaves the listed count of the district it was listed in and joins that of the new one. */
function listedSubjectDeltas({ prefix, from, to }: ListedMove): CounterDelta[] {
  const counters: CounterDelta[] = [];
  if (from !== undefined && from !== to) {
    counters.push(
      { district: from, attribute: COUNTER.listedSubjects, delta: -1 },
      { district: from, attribute: COUNTER.listedByPrefix(prefix), delta: -1 },
    );
  }
  if (to !== undefined && to !== from) {
    counters.push(
      { district: to, attribute: COUNTER.listedSubjects, delta: 1 },
      { district: to, attribute: COUNTER.listedByPrefix(prefix), delta: 1 },
    );
  }
  return counters;
}

/** The month's flows: newly listed, exited (and why), or moved between districts while listed. */
function listingFlows({ prefix, from, to }: ListedMove, exitReason: string | undefined): FlowDelta[] {
  if (from === undefined && to !== undefined) {
    return [
      { district: to, attribute: FLOW.newlyListed, delta: 1 },
      { district: to, attribute: FLOW.newlyListedByPrefix(prefix), delta: 1 },
    ];
  }
  if (from !== undefined && to === undefined) {
    return [
      { district: from, attribute: FLOW.exited, delta: 1 },
      { district: from, attribute: FLOW.exitedByPrefix(prefix), delta: 1 },
      ...(exitReason === undefined
        ? []
        : [{ district: from, attribute: FLOW.exitedByReason(exitReason), delta: 1 }]),
    ];
  }
  if (from !== undefined && to !== undefined && from !== to) {
    return [
      { district: from, attribute: FLOW.movedOut, delta: 1 },
      { district: from, attribute: FLOW.movedOutByPrefix(prefix), delta: 1 },
      { district: to, attribute: FLOW.movedIn, delta: 1 },
      { district: to, attribute: FLOW.movedInByPrefix(prefix), delta: 1 },
    ];
  }
  return [];
}

/** Groups deltas by district, dropping those that cancel out, so each counter item is updated once. */
export function groupByDistrict(deltas: readonly { district: string; attribute: string; delta: number }[]) {
  const grouped = new Map<string, Map<string, number>>();
  for (const { district, attribute, delta } of deltas) {
    const attributes = grouped.get(district) ?? new Map<string, number>();
    attributes.set(attribute, (attributes.get(attribute) ?? 0) + delta);
    grouped.set(district, attributes);
  }
  for (const [district, attributes] of grouped) {
    for (const [attribute, delta] of attributes) if (delta === 0) attributes.delete(attribute);
    if (attributes.size === 0) grouped.delete(district);
  }
  return grouped;
}
