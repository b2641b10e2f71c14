/**
 * The listing view's filters and page as the route query holds them, so a link or a reload shows the
 * same view. The API cannot sort, so "overdue first" is two walks in a row: the overdue listings
 * (no plan, or a deadline passed) page by page, then the others; `phase` says which walk a page is in.
 */
import type { LocationQuery, LocationQueryRaw } from 'vue-router';

export interface ListingFilters {
  readonly list: string;
  readonly track: string;
  readonly listType: string;
  readonly district: string;
  readonly department: string;
  /** '' (every listing, overdue first), 'true' (overdue only) or 'false' (plan not yet due). */
  readonly overdue: string;
}

export type Phase = 'overdue' | 'due';

export interface ListingPosition {
  readonly phase: Phase;
  readonly cursor: string;
  /** 1-based, for display only: the cursor is what the API reads. */
  readonly page: number;
  readonly limit: number;
}

export const PAGE_SIZES = [20, 50, 100] as const;
const FILTER_NAMES = ['list', 'track', 'listType', 'district', 'department', 'overdue'] as const;

function text(value: LocationQuery[string] | undefined): string {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

export function filtersOf(query: LocationQuery): ListingFilters {
  const overdue = text(query.overdue);
  return {
    list: text(query.list),
    track: text(query.track),
    listType: text(query.listType),
    district: text(query.district),
    department: text(query.department),
    overdue: overdue === 'true' || overdue === 'false' ? overdue : '',
  };
}

export function positionOf(query: LocationQuery): ListingPosition {
  const limit = Number(text(query.limit));
  const page = Number(text(query.page));
  return {
    phase: text(query.phase) === 'due' ? 'due' : 'overdue',
    cursor: text(query.cursor),
    page: Number.isInteger(page) && page > 0 ? page : 1,
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : PAGE_SIZES[0],
  };
}

/** The route query of a view: only what is set, so the address stays short. */
export function routeQueryOf(filters: ListingFilters, position?: ListingPosition): LocationQueryRaw {
  const query: LocationQueryRaw = {};
  for (const name of FILTER_NAMES) if (filters[name] !== '') query[name] = filters[name];
  if (position === undefined) return query;
  if (position.limit !== PAGE_SIZES[0]) query.limit = String(position.limit);
  if (position.page > 1) query.page = String(position.page);
  if (position.phase === 'due' && filters.overdue === '') query.phase = 'due';
  if (position.cursor !== '') query.cursor = position.cursor;
  return query;
}

/** The query of `GET /subjects` for the view's filters (the ledger download takes the same). */
export function apiFiltersOf(filters: ListingFilters): Record<string, string | undefined> {
  const query: Record<string, string | undefined> = {};
  for (const name of FILTER_NAMES) if (filters[name] !== '') query[name] = filters[name];
  return query;
}

/** The query of the page at `position`: with no overdue filter, the phase picks the walk. */
export function pageQueryOf(
  filters: ListingFilters,
  position: ListingPosition,
): Record<string, string | undefined> {
  return {
    ...apiFiltersOf(filters),
    ...(filters.overdue === '' ? { overdue: position.phase === 'overdue' ? 'true' : 'false' } : {}),
    limit: String(position.limit),
    ...(position.cursor === '' ? {} : { cursor: position.cursor }),
  };
}

/**
 * Where the page after this one starts: the API's cursor within the walk; at the end of the overdue
 * walk (no filter chosen) the start of the other; undefined after the last page.
 */
export function nextPositionOf(
  filters: ListingFilters,
  position: ListingPosition,
  cursor: string | undefined,
): ListingPosition | undefined {
  const page = position.page + 1;
  if (cursor !== undefined) return { ...position, cursor, page };
  if (filters.overdue === '' && position.phase === 'overdue')
    return { ...position, phase: 'due', cursor: '', page };
  return undefined;
}
