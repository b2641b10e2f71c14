/**
 * The numerator/denominator arithmetic of the monthly evaluation (docs/rules.md, Monthly evaluation).
 * The numerator at the end of a month is never counted from listings: it is the current counter minus
 * what the flows of every later month added, so a month long past costs a few reads per month since,
 * whatever the number of listed subjects. Pure.
 */
import { COUNTER, FLOW } from './counting.ts';
import { DISTRICTS } from './district.ts';
import type { EvaluationFlows, MonthOnMonth } from './evaluation.ts';
import { COUNTS_LOOKBACK_MONTHS, type EvaluationData, monthRange, shiftMonth } from './evaluation-months.ts';
import { LIST_TYPES, type ListType, TRIAGE_LISTS, type TriageList } from './model.ts';
import { TRIAGE_COUNTER } from './triage-state.ts';

function scoped(
  record: Readonly<Record<string, number>> | undefined,
  attribute: (p: string) => string,
  prefixes: readonly string[],
) {
  let sum = 0;
  for (const prefix of prefixes) sum += record?.[attribute(prefix)] ?? 0;
  return sum;
}

function flowsOf(
  record: Readonly<Record<string, number>> | undefined,
  prefixes: readonly string[],
): EvaluationFlows {
  const newlyListed = scoped(record, FLOW.newlyListedByPrefix, prefixes);
  const exited = scoped(record, FLOW.exitedByPrefix, prefixes);
  const movedIn = scoped(record, FLOW.movedInByPrefix, prefixes);
  const movedOut = scoped(record, FLOW.movedOutByPrefix, prefixes);
  return { newlyListed, exited, movedIn, movedOut, net: newlyListed - exited + movedIn - movedOut };
}

export function addFlows(a: EvaluationFlows, b: EvaluationFlows): EvaluationFlows {
  return {
    newlyListed: a.newlyListed + b.newlyListed,
    exited: a.exited + b.exited,
    movedIn: a.movedIn + b.movedIn,
    movedOut: a.movedOut + b.movedOut,
    net: a.net + b.net,
  };
}

export const NO_FLOWS: EvaluationFlows = { newlyListed: 0, exited: 0, movedIn: 0, movedOut: 0, net: 0 };

/** A district's figures at the end of one month. */
export interface MonthFigure {
  readonly numerator: number;
  readonly denominator: number | null;
  readonly denominatorMonth: string | null;
  readonly ratio: number | null;
}

interface CityAt {
  readonly numerator: number;
  readonly denominator: number;
  readonly ratio: number | null;
  readonly missing: string[];
}

/** The figures of every reporting unit and the city at the end of any judged month. */
export class MonthFigures {
  private readonly reportingUnits = new Set<string>(DISTRICTS.map((d) => d.code));

  constructor(private readonly data: EvaluationData) {}

  /** Subjects in scope listed in `district` at the end of `month`: now, less what later months added. */
  numerator(district: string, month: string): number {
    const { current, flows, currentMonth, campaign } = this.data;
    let numerator = scoped(current.get(district), COUNTER.listedByPrefix, campaign.scopePrefixes);
    for (const later of monthRange(shiftMonth(month, 1), currentMonth)) {
      numerator -= flowsOf(flows.get(later)?.get(district), campaign.scopePrefixes).net;
    }
    return numerator;
  }

  /** The enterprise count of the month, or the latest before it within the look-back. */
  denominator(district: string, month: string): { value: number; month: string } | undefined {
    for (let back = 0; back <= COUNTS_LOOKBACK_MONTHS; back++) {
      const candidate = shiftMonth(month, -back);
      const value = this.data.enterpriseCounts.get(candidate)?.get(district);
      if (value !== undefined) return { value, month: candidate };
    }
    return undefined;
  }

  district(district: string, month: string): MonthFigure {
    const numerator = this.numerator(district, month);
    const denominator = this.denominator(district, month);
    return {
      numerator,
      denominator: denominator?.value ?? null,
      denominatorMonth: denominator?.month ?? null,
      ratio: ratioOf(numerator, denominator?.value),
    };
  }

  /** Each reporting unit once (the zones are units of their own, never added to a host district too). */
  city(month: string): CityAt {
    let numerator = 0;
    let denominator = 0;
    const missing: string[] = [];
    for (const { code } of DISTRICTS) {
      const figure = this.district(code, month);
      numerator += figure.numerator;
      if (figure.denominator === null) missing.push(code);
      else denominator += figure.denominator;
    }
    return {
      numerator,
      denominator,
      missing,
      ratio: missing.length > 0 ? null : ratioOf(numerator, denominator),
    };
  }

  /** Listed subjects in scope under no reporting unit (unassigned, or a code that is none). */
  unassigned(month: string): number {
    let sum = 0;
    const codes = new Set(this.data.current.keys());
    for (const monthFlows of this.data.flows.values()) for (const code of monthFlows.keys()) codes.add(code);
    for (const code of codes) if (!this.reportingUnits.has(code)) sum += this.numerator(code, month);
    return sum;
  }

  flows(district: string, month: string): EvaluationFlows {
    return flowsOf(this.data.flows.get(month)?.get(district), this.data.campaign.scopePrefixes);
  }
}

function ratioOf(numerator: number, denominator: number | undefined): number | null {
  return denominator === undefined || denominator <= 0 ? null : numerator / denominator;
}

export function change(
  previousMonth: string,
  now: { numerator: number; ratio: number | null },
  before: { numerator: number; ratio: number | null },
): MonthOnMonth {
  return {
    previousMonth,
    previousNumerator: before.numerator,
    previousRatio: before.ratio,
    ratioChange: now.ratio === null || before.ratio === null ? null : now.ratio - before.ratio,
    numeratorChange: now.numerator - before.numerator,
  };
}

export function activeCounts(record: Readonly<Record<string, number>> | undefined) {
  const byListType: Partial<Record<ListType, number>> = {};
  for (const listType of LIST_TYPES) {
    const value = record?.[COUNTER.activeByListType(listType)] ?? 0;
    if (value !== 0) byListType[listType] = value;
  }
  const byTriageList: Partial<Record<TriageList | 'unclassified', number>> = {};
  let classified = 0;
  for (const list of TRIAGE_LISTS) {
    const value = record?.[TRIAGE_COUNTER.list(list)] ?? 0;
    classified += value;
    if (value !== 0) byTriageList[list] = value;
  }
  const unclassified = (record?.[COUNTER.activeListings] ?? 0) - classified;
  if (unclassified !== 0) byTriageList.unclassified = unclassified;
  return { byListType, byTriageList };
}
