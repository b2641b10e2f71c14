/**
 * What triage keeps on a listing besides the rule's answer: the constraint measures in force, where the
 * listing is counted (its tally), the next day triage must look at it again, and how a change of tally
 * moves the district's triage counters. Pure: the store writes the result with the counters in one
 * transaction.
 */
import { addDays } from './calendar-dates.ts';
import {
  type Classification,
  type ConstraintMeasure,
  effectiveList,
  isCountingStatus,
  type Listing,
  type TriageList,
  type TriageTally,
} from './model.ts';
import { type Decision, sameDecision } from './triage.ts';

/** The constraint measures of the plan (四(四)): all apply to a listing on the constraint list. */
export const CONSTRAINT_MEASURES = [
  { code: 'key-supervision', label: '列为重点监管对象' },
  { code: 'more-spot-checks', label: '提高抽查比例和频次' },
  { code: 'no-fiscal-support', label: '限制财政资金补贴和项目支持' },
  { code: 'no-public-resource-trading', label: '限制参与公共资源交易' },
  { code: 'no-procurement-tendering', label: '限制参与政府采购和招标投标' },
  { code: 'honours-withdrawn', label: '撤销荣誉称号，取消评优评先资格' },
] as const;

/** Counter attributes of the triage counts, beside the district's other current counters. */
export const TRIAGE_COUNTER = {
  list: (list: TriageList) => `triage_${list}`,
  track: (track: string) => `track_${track}`,
  overridden: 'triageOverridden',
  overdue: 'planOverdue',
} as const;

/** The rule's answer as a {@link Decision}, without what triage keeps beside it. */
export function decisionOf(classification: Classification): Decision {
  const { decidedAt: _decidedAt, override: _override, measures: _measures, ...decision } = classification;
  return decision as Decision;
}

/**
 * The constraint measures in force: none off the constraint list; on it, the ones already in force keep
 * their date, and a listing that just went on it gets them from `today`, on the override's or the rule's
 * decision.
 */
function measuresOf(
  classification: Omit<Classification, 'measures'>,
  before: Classification | undefined,
  today: string,
): readonly ConstraintMeasure[] | undefined {
  if (effectiveList(classification) !== 'constrain') return undefined;
  if (before?.measures !== undefined && effectiveList(before) === 'constrain') return before.measures;
  const decidedBy =
    classification.override === undefined
      ? `rule:${classification.ruleId}`
      : `department:${classification.override.department}`;
  return CONSTRAINT_MEASURES.map(({ code, label }) => ({ code, label, since: today, decidedBy }));
}

/**
 * The classification after a new rule answer (or the same one) and, where given, a new override: the
 * rule's answer replaces the stored one only when it says something else, and the override stays until
 * the department changes it.
 */
export function nextClassification(
  before: Classification | undefined,
  decision: Decision,
  now: Date,
  today: string,
  override: Classification['override'] | null = null,
): Classification {
  const unchanged = before !== undefined && sameDecision(decisionOf(before), decision);
  const base = unchanged ? decisionOf(before) : decision;
  const kept = override === null ? before?.override : override;
  const next = {
    ...base,
    decidedAt: unchanged ? before.decidedAt : now.toISOString(),
    ...(kept === undefined ? {} : { override: kept }),
  };
  const measures = measuresOf(next, before, today);
  return { ...next, ...(measures === undefined ? {} : { measures }) };
}

/** Where the listing is counted as of `today`; undefined once it no longer counts or while unclassified. */
export function tallyOf(listing: Listing, today: string): TriageTally | undefined {
  const classification = listing.classification;
  if (classification === undefined || !isCountingStatus(listing.status)) return undefined;
  const override = classification.override;
  return {
    district: listing.district,
    list: effectiveList(classification),
    track: override?.track ?? classification.track,
    overridden: override !== undefined,
    overdue: listing.plan === undefined || listing.plan.deadline < today,
  };
}

/**
 * The next day triage must look at the listing: the rule's next review date, or the day after its plan's
 * deadline (when it turns overdue), whichever comes first; none for a listing that no longer counts.
 */
export function dueOnOf(listing: Listing, today: string): string | undefined {
  if (!isCountingStatus(listing.status)) return undefined;
  const dates = [listing.classification?.nextReviewDate];
  if (listing.plan !== undefined && listing.plan.deadline >= today)
    dates.push(addDays(listing.plan.deadline, 1));
  const later = dates.filter((date): date is string => date !== undefined && date > today).sort();
  return later[0];
}

export interface TallyDelta {
  readonly district: string;
  readonly attribute: string;
  readonly delta: number;
}

function tallyAttributes(tally: TriageTally): string[] {
  return [
    TRIAGE_COUNTER.list(tally.list),
    TRIAGE_COUNTER.track(tally.track),
    ...(tally.overridden ? [TRIAGE_COUNTER.overridden] : []),
    ...(tally.overdue ? [TRIAGE_COUNTER.overdue] : []),
  ];
}

/** The counter deltas of a listing moving from one tally to another; none when they are the same. */
export function tallyDeltas(before: TriageTally | undefined, after: TriageTally | undefined): TallyDelta[] {
  const deltas = new Map<string, TallyDelta>();
  const add = (tally: TriageTally | undefined, delta: number) => {
    if (tally === undefined) return;
    for (const attribute of tallyAttributes(tally)) {
      const key = `${tally.district}\u0000${attribute}`;
      const sum = (deltas.get(key)?.delta ?? 0) + delta;
      deltas.set(key, { district: tally.district, attribute, delta: sum });
    }
  };
  add(before, -1);
  add(after, 1);
  return [...deltas.values()].filter((entry) => entry.delta !== 0);
}

/** True when the two tallies count the listing in the same place. */
export function sameTally(a: TriageTally | undefined, b: TriageTally | undefined): boolean {
  return tallyDeltas(a, b).length === 0;
}
