/**
 * Triage of one listing into the exit, assist or constrain list (docs/rules.md, Triage): the rules of a
 * rule table tried in order, the first that matches decides. Pure: the as-of date is an input.
 */
import type { Listing, ListType, RegistrationStatus, Subject, TriageList } from './model.ts';
import { type RuleTable, TRIAGE_TRACK_LABELS, type TriageRule, type TriageTrack } from './rule-table.ts';
import { datesOf, evaluate, type TriageFacts, triageFacts } from './triage-facts.ts';

/** The facts a decision was made on, so a person can check it. */
export interface DecisionInputs {
  readonly listType: ListType;
  readonly registrationStatus?: RegistrationStatus;
  readonly movedTo?: string;
  readonly lostContact: boolean;
  readonly bankruptcy: boolean;
  readonly bankruptcyStage?: string;
  readonly listedAt?: string;
  readonly endsAt?: string;
  readonly performance?: string;
  /** The first day the listing is out of its term, where it has one. */
  readonly termEndsOn?: string;
  /** From when a performed obligation lets it leave early, where it may. */
  readonly earlyExitFrom?: string;
  /** The credit repair measures in force on the as-of date, where the list's periods follow them. */
  readonly repairMeasures?: string;
}

export interface Decision {
  readonly list: TriageList;
  readonly track: TriageTrack;
  readonly ruleId: string;
  /** Chinese, naming the facts the rule used. */
  readonly reason: string;
  readonly inputs: DecisionInputs;
  readonly ruleTableVersion: string;
  readonly asOf: string;
  /** The next date on which time alone changes the decision; absent when none will. */
  readonly nextReviewDate?: string;
}

export interface ClassifyRequest {
  readonly listing: Listing;
  readonly subject: Subject;
  /** `yyyy-mm-dd`, Asia/Shanghai. */
  readonly asOf: string;
  readonly rules: RuleTable;
}

/** The rule table has no rule for the listing: a table that ends with an `always` rule cannot. */
export class NoTriageRuleMatchedError extends Error {
  constructor(readonly ruleTableVersion: string) {
    super(`no rule of rule table ${ruleTableVersion} matches the listing`);
    this.name = 'NoTriageRuleMatchedError';
  }
}

type DecisionAtDate = Omit<Decision, 'asOf' | 'nextReviewDate'>;

/** The list and track of a listing as of a date, with the rule, the reason and the next review date. */
export function classifyListing(request: ClassifyRequest): Decision {
  const decision = decideAt(request, request.asOf);
  const nextReviewDate = nextChange(request, decision);
  return { ...decision, asOf: request.asOf, ...(nextReviewDate === undefined ? {} : { nextReviewDate }) };
}

/** True when two decisions say the same, whatever their as-of dates: re-triage then writes nothing. */
export function sameDecision(a: Decision, b: Decision): boolean {
  const { asOf: _a, ...restA } = a;
  const { asOf: _b, ...restB } = b;
  return sameValue(restA, restB);
}

function decideAt(request: ClassifyRequest, date: string): DecisionAtDate {
  const facts = triageFacts(request.listing, request.subject, date, request.rules);
  for (const rule of request.rules.rules) {
    const evaluation = evaluate(rule.condition, facts);
    if (evaluation.matched) {
      return {
        list: rule.list,
        track: rule.track,
        ruleId: rule.id,
        reason: reasonText(rule, evaluation.facts),
        inputs: inputsOf(facts),
        ruleTableVersion: request.rules.version,
      };
    }
  }
  throw new NoTriageRuleMatchedError(request.rules.version);
}

function reasonText(rule: TriageRule, facts: readonly string[]): string {
  const verdict = `符合${TRIAGE_TRACK_LABELS[rule.track]}条件（规则${rule.id}）`;
  return facts.length === 0 ? verdict : `${facts.join('，')}，${verdict}`;
}

function inputsOf(facts: TriageFacts): DecisionInputs {
  const { listing, subject, term, earlyExit, measures } = facts;
  const optional = {
    registrationStatus: subject.registrationStatus,
    movedTo: subject.movedTo,
    bankruptcyStage: subject.flags.bankruptcyStage,
    listedAt: listing.listedAt,
    endsAt: listing.endsAt,
    performance: listing.performance,
    termEndsOn: term.endsOn,
    earlyExitFrom: earlyExit.from,
    repairMeasures: measures?.name,
  };
  return {
    listType: listing.listType,
    lostContact: subject.flags.lostContact === true,
    bankruptcy: subject.flags.bankruptcy === true,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}

/**
 * The first date after the as-of date on which the decision differs. Time moves a decision only where a
 * term ends, a minimum period passes or new repair measures come into force; between those dates it
 * stays, so trying each of them in order finds the next change.
 */
function nextChange(request: ClassifyRequest, current: DecisionAtDate): string | undefined {
  for (const date of candidateDates(request)) {
    if (!sameValue(decideAt(request, date), current)) return date;
  }
  return undefined;
}

function candidateDates({ listing, subject, asOf, rules }: ClassifyRequest): string[] {
  const measureStarts = rules.repairMeasures.map((measures) => measures.from).filter((from) => from > asOf);
  // The term and the minimum period are computed anew under each measures in force from then on.
  const dates = [asOf, ...measureStarts].flatMap((point) => [
    point,
    ...datesOf(triageFacts(listing, subject, point, rules)),
  ]);
  const later = dates.filter((date): date is string => date !== undefined && date > asOf);
  return [...new Set(later)].sort();
}

/** Deep equality of JSON-like values, key order ignored. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a).filter((key) => (a as Record<string, unknown>)[key] !== undefined);
  const keysB = Object.keys(b).filter((key) => (b as Record<string, unknown>)[key] !== undefined);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) =>
    sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}
