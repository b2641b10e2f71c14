/**
 * What the triage rules read of one listing as of one date, and each condition of the rule table tested
 * against it with the facts it used written as Chinese phrases, so a reason names what decided.
 */
import { addDays, addMonths } from './calendar-dates.ts';
import { LIST_TYPE_LABELS, type Listing, type Subject } from './model.ts';
import { REGISTRATION_STATUS_LABELS } from './registration.ts';
import type {
  Condition,
  EarlyExitRule,
  ListingTextField,
  RepairMeasures,
  RuleTable,
  TermRule,
} from './rule-table.ts';

/** When the term ends: the first day the listing is no longer under it. */
export interface TermFact {
  readonly endsOn?: string;
  readonly text: string;
}

/** From when a performed obligation lets the listing leave early; `immediate` when at once. */
export interface EarlyExitFact {
  readonly from?: string;
  readonly immediate?: boolean;
  readonly text: string;
}

export interface TriageFacts {
  readonly listing: Listing;
  readonly subject: Subject;
  readonly asOf: string;
  readonly measures?: RepairMeasures;
  readonly term: TermFact;
  readonly earlyExit: EarlyExitFact;
}

export interface Evaluation {
  readonly matched: boolean;
  /** The facts the condition read, as phrases for a reason. */
  readonly facts: readonly string[];
}

/** The court's performance values as the import stores them (functions/import/parse/values.ts). */
const PERFORMANCE_LABELS: Readonly<Record<string, string>> = {
  none: '全部未履行',
  partial: '部分未履行',
  full: '全部履行',
};

const TEXT_FIELD_LABELS: Readonly<Record<ListingTextField, string>> = {
  reason: '列入原因',
  obligation: '确定的义务',
};

/** The repair measures in force on a date: the last whose `from` is not after it. */
export function measuresInForce(table: RuleTable, date: string): RepairMeasures | undefined {
  return table.repairMeasures.filter((measures) => measures.from <= date).at(-1);
}

export function triageFacts(listing: Listing, subject: Subject, asOf: string, table: RuleTable): TriageFacts {
  const period = table.periods[listing.listType];
  // Only a list whose periods follow the measures reads them, so new measures re-triage only those.
  const followsMeasures =
    period.term.kind === 'repair-measures' || period.earlyExit.kind === 'repair-measures';
  const measures = followsMeasures ? measuresInForce(table, asOf) : undefined;
  return {
    listing,
    subject,
    asOf,
    ...(measures === undefined ? {} : { measures }),
    term: termOf(listing, period.term, measures),
    earlyExit: earlyExitOf(listing, period.earlyExit, measures),
  };
}

function termOf(listing: Listing, rule: TermRule, measures: RepairMeasures | undefined): TermFact {
  const { endsAt, listedAt, reason } = listing;
  // The department's own last day prevails for `years` and `ends-at`: a court's extension arrives so.
  const byEndsAt =
    endsAt === undefined ? undefined : { endsOn: addDays(endsAt, 1), text: `截止日期为${endsAt}` };
  if (rule.kind === 'ends-at') return byEndsAt ?? { text: '未载明截止日期' };
  if (rule.kind === 'repair-measures') {
    if (measures === undefined || listedAt === undefined) return byEndsAt ?? { text: '未载明截止日期' };
    const maximum = addMonths(listedAt, measures.maximumMonths);
    if (byEndsAt !== undefined && byEndsAt.endsOn <= maximum) return byEndsAt;
    const text = `列入日期为${listedAt}，按《${measures.name}》最长公示${measures.maximumMonths}个月，于${maximum}届满`;
    return { endsOn: maximum, text };
  }
  if (byEndsAt !== undefined) return byEndsAt;
  if (listedAt === undefined) return { text: '列入日期未知，无法计算期限' };
  if (rule.noTermWhenReasonContains !== undefined) {
    if (reason === undefined) return { text: '列入原因未载明，无法确定是否适用固定期限' };
    const word = rule.noTermWhenReasonContains.find((candidate) => reason.includes(candidate));
    if (word !== undefined) return { text: `列入原因含“${word}”，无固定期限` };
  }
  const endsOn = addMonths(listedAt, rule.years * 12);
  return { endsOn, text: `列入日期为${listedAt}，期限${rule.years}年，于${endsOn}届满` };
}

function earlyExitOf(
  listing: Listing,
  rule: EarlyExitRule,
  measures: RepairMeasures | undefined,
): EarlyExitFact {
  if (rule.kind === 'none') return { text: `${LIST_TYPE_LABELS[listing.listType]}名单不得在期满前退出` };
  if (rule.kind === 'repair-measures') {
    if (measures === undefined) return { text: '无施行中的信用修复办法，不得在期满前退出' };
    return minimumPeriod(listing, measures.minimumMonths, `按《${measures.name}》最短公示`);
  }
  const { reason } = listing;
  const word = reason === undefined ? undefined : rule.notWhenReasonContains?.find((w) => reason.includes(w));
  if (word !== undefined) return { text: `列入原因含“${word}”，不适用提前退出` };
  return minimumPeriod(listing, rule.months, '最短');
}

function minimumPeriod(listing: Listing, months: number, label: string): EarlyExitFact {
  const { listedAt } = listing;
  if (months === 0)
    return { immediate: true, ...(listedAt === undefined ? {} : { from: listedAt }), text: '' };
  if (listedAt === undefined) return { text: '列入日期未知，无法计算最短期限' };
  const from = addMonths(listedAt, months);
  return { from, text: `列入日期为${listedAt}，${label}${months}个月，${from}起可提前退出` };
}

/** True when the listing's obligation is recorded as fully performed. */
export function isPerformed(listing: Listing): boolean {
  return listing.performance === 'full' || listing.performance === PERFORMANCE_LABELS.full;
}

export function minimumPassed(facts: TriageFacts): boolean {
  const { earlyExit, asOf } = facts;
  return earlyExit.immediate === true || (earlyExit.from !== undefined && asOf >= earlyExit.from);
}

/** Tests a condition of the rule table against the facts. */
export function evaluate(condition: Condition, facts: TriageFacts): Evaluation {
  switch (condition.kind) {
    case 'status-in':
      return fact(
        facts.subject.registrationStatus !== undefined &&
          condition.statuses.includes(facts.subject.registrationStatus),
        statusPhrase(facts.subject),
      );
    case 'flag':
      return fact(facts.subject.flags[condition.flag] === true, flagPhrase(facts.subject, condition.flag));
    case 'list-type':
      return fact(
        condition.listTypes.includes(facts.listing.listType),
        `名单类型为“${LIST_TYPE_LABELS[facts.listing.listType]}”`,
      );
    case 'term-ended':
      return fact(facts.term.endsOn !== undefined && facts.asOf >= facts.term.endsOn, facts.term.text);
    case 'obligation-performed-and-minimum-passed':
      return evaluatePerformance(facts);
    case 'listing-text':
      return evaluateText(condition.fields, condition.contains, facts.listing);
    case 'all':
    case 'any':
      return evaluateCombination(condition.kind, condition.conditions, facts);
    case 'not': {
      const inner = evaluate(condition.condition, facts);
      return { matched: !inner.matched, facts: inner.facts };
    }
    case 'always':
      return {
        matched: true,
        facts: [statusPhrase(facts.subject), flagPhrase(facts.subject, 'lostContact')],
      };
  }
}

function fact(matched: boolean, phrase: string): Evaluation {
  return { matched, facts: [phrase] };
}

function evaluatePerformance(facts: TriageFacts): Evaluation {
  const { performance } = facts.listing;
  const performed =
    performance === undefined
      ? '履行情况未记录'
      : `履行情况为“${PERFORMANCE_LABELS[performance] ?? performance}”`;
  const phrases = [performed, facts.earlyExit.text].filter((phrase) => phrase !== '');
  return { matched: isPerformed(facts.listing) && minimumPassed(facts), facts: phrases };
}

function evaluateText(
  fields: readonly ListingTextField[],
  words: readonly string[],
  listing: Listing,
): Evaluation {
  for (const field of fields) {
    const text = listing[field];
    const word = text === undefined ? undefined : words.find((candidate) => text.includes(candidate));
    if (word !== undefined) return fact(true, `${TEXT_FIELD_LABELS[field]}含“${word}”`);
  }
  return fact(false, `${fields.map((field) => TEXT_FIELD_LABELS[field]).join('、')}未含${words.join('、')}`);
}

/** `all` names every fact when it matches; `any` names only the branches that matched. */
function evaluateCombination(
  kind: 'all' | 'any',
  conditions: readonly Condition[],
  facts: TriageFacts,
): Evaluation {
  const parts = conditions.map((condition) => evaluate(condition, facts));
  const matched = kind === 'all' ? parts.every((part) => part.matched) : parts.some((part) => part.matched);
  const named = parts.filter((part) => part.matched === matched);
  return { matched, facts: [...new Set(named.flatMap((part) => part.facts))] };
}

function statusPhrase(subject: Subject): string {
  const { registrationStatus, movedTo } = subject;
  if (registrationStatus === undefined) return '企业登记状态未知';
  const label = `企业登记状态为“${REGISTRATION_STATUS_LABELS[registrationStatus]}”`;
  if (registrationStatus !== 'moved-out') return label;
  return movedTo === undefined ? `${label}（迁入地未注明）` : `${label}（迁往${movedTo}）`;
}

function flagPhrase(subject: Subject, flag: 'lostContact' | 'bankruptcy' | 'abnormal'): string {
  const set = subject.flags[flag] === true;
  if (flag === 'lostContact') return set ? '已失联' : '未失联';
  if (flag === 'abnormal') return set ? '已列入经营异常名录' : '未列入经营异常名录';
  const stage = subject.flags.bankruptcyStage;
  return set ? `已进入破产程序${stage === undefined ? '' : `（${stage}）`}` : '未进入破产程序';
}

/** A date the decision may change on, from the facts computed as of one point in time. */
export function datesOf(facts: TriageFacts): (string | undefined)[] {
  return [facts.term.endsOn, facts.earlyExit.from];
}
