/**
 * The triage counts a person asks for (`GET /counts`), per district and for the city: active listings,
 * on each list and each track, unclassified, overridden and overdue. Pure: made from the district
 * counters as the store sums them over their shards.
 */

import { COUNTER } from './counting.ts';
import { DISTRICTS } from './district.ts';
import { districtLabel } from './listing-row.ts';
import { TRIAGE_LISTS, type TriageList, UNASSIGNED_DISTRICT } from './model.ts';
import { TRIAGE_TRACKS } from './rule-table.ts';
import { TRIAGE_COUNTER } from './triage-state.ts';

export interface TriageFigures {
  /** Listings active or awaiting exit confirmation. */
  readonly activeListings: number;
  readonly lists: Readonly<Record<TriageList, number>>;
  /** `activeListings` less those on a list. */
  readonly unclassified: number;
  /** Every track of the rule table, and any other a counter holds. */
  readonly tracks: Readonly<Record<string, number>>;
  readonly overridden: number;
  /**
   * Without a plan, or past its deadline, as of each listing's last triage; unclassified listings have
   * no plan, so they count here too (as `GET /subjects?overdue=true` lists them).
   */
  readonly overdue: number;
}

export interface DistrictFigures extends TriageFigures {
  readonly district: string;
  readonly districtName: string;
}

const TRACK_PREFIX = TRIAGE_COUNTER.track('');

function figuresOf(counters: Readonly<Record<string, number>>): TriageFigures {
  const lists = Object.fromEntries(
    TRIAGE_LISTS.map((list) => [list, counters[TRIAGE_COUNTER.list(list)] ?? 0]),
  ) as Record<TriageList, number>;
  const tracks: Record<string, number> = Object.fromEntries(TRIAGE_TRACKS.map((track) => [track, 0]));
  for (const [attribute, value] of Object.entries(counters))
    if (attribute.startsWith(TRACK_PREFIX)) tracks[attribute.slice(TRACK_PREFIX.length)] = value;
  const activeListings = counters[COUNTER.activeListings] ?? 0;
  const classified = TRIAGE_LISTS.reduce((sum, list) => sum + lists[list], 0);
  const unclassified = activeListings - classified;
  return {
    activeListings,
    lists,
    unclassified,
    tracks,
    overridden: counters[TRIAGE_COUNTER.overridden] ?? 0,
    overdue: (counters[TRIAGE_COUNTER.overdue] ?? 0) + unclassified,
  };
}

/** Every reporting unit, then the unassigned, then any other code the counters hold. */
function districtOrder(counted: Iterable<string>): string[] {
  const known = [...DISTRICTS.map((district) => district.code), UNASSIGNED_DISTRICT];
  const others = [...counted].filter((code) => !known.includes(code)).sort();
  return [...known, ...others];
}

/** The figures of each district, in report order (`only`: those districts alone). */
export function districtFigures(
  counters: ReadonlyMap<string, Readonly<Record<string, number>>>,
  only?: readonly string[],
): DistrictFigures[] {
  return (only ?? districtOrder(counters.keys())).map((district) => ({
    district,
    districtName: districtLabel(district),
    ...figuresOf(counters.get(district) ?? {}),
  }));
}

/** The city's figures: the districts' summed. */
export function cityFigures(districts: readonly TriageFigures[]): TriageFigures {
  const sum = (pick: (figures: TriageFigures) => number) =>
    districts.reduce((total, figures) => total + pick(figures), 0);
  const trackNames = new Set(districts.flatMap((figures) => Object.keys(figures.tracks)));
  return {
    activeListings: sum((figures) => figures.activeListings),
    lists: Object.fromEntries(
      TRIAGE_LISTS.map((list) => [list, sum((figures) => figures.lists[list])]),
    ) as Record<TriageList, number>,
    unclassified: sum((figures) => figures.unclassified),
    tracks: Object.fromEntries(
      [...trackNames].map((track) => [track, sum((figures) => figures.tracks[track] ?? 0)]),
    ),
    overridden: sum((figures) => figures.overridden),
    overdue: sum((figures) => figures.overdue),
  };
}
