/**
 * The demo city's shapes: the options a city is made from, and the city itself (its enterprise counts,
 * benchmarks and month-by-month listings and exits), as {@link generateCity} makes it and the loader writes it.
 */
import type { ExitRequest } from '#domain/exits.ts';
import type { ListType, RegistrationStatus, SubjectFlags } from '#domain/model.ts';

export interface CityOptions {
  /** Listed subjects over the whole campaign (one listing each). */
  readonly subjects: number;
  /** The months with listings and exits, oldest first (ended months: they are evaluated). */
  readonly months: readonly string[];
  /** Months with enterprise counts and a benchmark. @default months */
  readonly countMonths?: readonly string[];
  /** @default DEMO_SEED */
  readonly seed?: number;
}

export interface DemoListing {
  readonly uscc: string;
  readonly name: string;
  readonly district: string;
  readonly listType: ListType;
  readonly key: string;
  readonly department: string;
  readonly listedAt: string;
  readonly reason: string;
  readonly registrationStatus: RegistrationStatus;
  readonly movedTo?: string;
  readonly flags: SubjectFlags;
  /** When the listing is written (ISO): its month takes the newly-listed flow. */
  readonly writtenAt: string;
}

export interface DemoExit {
  readonly exitId: string;
  readonly uscc: string;
  readonly listType: ListType;
  readonly key: string;
  readonly department: string;
  readonly district: string;
  readonly request: ExitRequest;
  readonly submittedAt: string;
  readonly reviewedAt: string;
  readonly confirmedAt: string;
}

export interface DemoMonth {
  readonly month: string;
  readonly listings: readonly DemoListing[];
  readonly exits: readonly DemoExit[];
}

export interface DemoCity {
  /** month → district → legal-person enterprises. */
  readonly enterprises: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** month → the benchmark ratio of provincial capitals and sub-provincial cities. */
  readonly benchmarks: ReadonlyMap<string, number>;
  readonly months: readonly DemoMonth[];
}
