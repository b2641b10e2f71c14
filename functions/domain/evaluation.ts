/**
 * The monthly evaluation's shapes: the campaign it is judged against (configuration, docs/rules.md Monthly evaluation)
 * and the snapshot it stores as `EVAL#<month>`. Pure types and data; the arithmetic is in
 * evaluation-figures.ts, so reports and the API read the same shapes the evaluation writes.
 */
import type { ListType, TriageList } from './model.ts';

/** One phase of a campaign (制定措施, 组织实施, ...), inclusive `yyyy-mm-dd` dates. */
export interface CampaignPhase {
  readonly id: string;
  /** Chinese, as the plan names it. */
  readonly label: string;
  readonly from: string;
  readonly to: string;
}

/**
 * What a milestone asks of the city's ratio at the end of its `month`:
 * - `below-target`: below the campaign's target ratio;
 * - `below-benchmark`: below the benchmark (average of provincial capitals and sub-provincial cities)
 *   of that month, or the latest loaded before it;
 * - `below-month`: below the city's own ratio at the end of `reference`.
 */
export type MilestoneRule =
  | { readonly kind: 'below-target' }
  | { readonly kind: 'below-benchmark' }
  | { readonly kind: 'below-month'; readonly reference: string };

export interface CampaignMilestone {
  readonly id: string;
  /** Chinese, as read in the 通报. */
  readonly label: string;
  /** The last day (`yyyy-mm-dd`); judged on the figures at the end of that day's month. */
  readonly due: string;
  readonly rule: MilestoneRule;
}

/** A campaign: everything the evaluation is judged against. A new campaign is a new value of this. */
export interface Campaign {
  /** Incremented by every accepted change (PUT /campaigns/current). */
  readonly version: number;
  /** Chinese. */
  readonly name: string;
  readonly phases: readonly CampaignPhase[];
  /** The ratio every district and the city should be below: 0.01 = 1%. */
  readonly targetRatio: number;
  readonly milestones: readonly CampaignMilestone[];
  /** USCC prefixes counted in the numerator: `91` = enterprises. */
  readonly scopePrefixes: readonly string[];
  /** How many districts are named as best and as worst. */
  readonly namedCount: number;
}

/** The plan of 2022-10-31 (docs/rules.md, Monthly evaluation). */
export const DEFAULT_CAMPAIGN: Campaign = {
  version: 1,
  name: '信用领域突出问题专项治理',
  phases: [
    { id: 'plan', label: '制定措施', from: '2022-10-31', to: '2022-11-15' },
    { id: 'implementation', label: '组织实施', from: '2022-11-16', to: '2023-06-30' },
    { id: 'mid-term', label: '中期评估督导', from: '2023-03-01', to: '2023-03-31' },
    { id: 'review', label: '总结提升', from: '2023-07-01', to: '2023-11-30' },
    { id: 'assessment', label: '考核', from: '2023-12-01', to: '2023-12-31' },
  ],
  targetRatio: 0.01,
  milestones: [
    {
      id: 'below-target',
      label: '全市严重失信企业占比降至1%以下',
      due: '2023-03-31',
      rule: { kind: 'below-target' },
    },
    {
      id: 'below-benchmark',
      label: '全市占比低于省会及副省级城市平均水平',
      due: '2023-06-30',
      rule: { kind: 'below-benchmark' },
    },
    {
      id: 'lower-again',
      label: '年底占比较6月底进一步下降',
      due: '2023-12-31',
      rule: { kind: 'below-month', reference: '2023-06' },
    },
  ],
  scopePrefixes: ['91'],
  namedCount: 3,
};

/** Subjects in scope entering and leaving a district's (or the city's) count in the month. */
export interface EvaluationFlows {
  readonly newlyListed: number;
  readonly exited: number;
  /** Placed into or out of the district while listed (a move, or the city placing an unassigned one). */
  readonly movedIn: number;
  readonly movedOut: number;
  /** newlyListed − exited + movedIn − movedOut: the numerator's change over the month. */
  readonly net: number;
}

/** A figure against the previous month's. */
export interface MonthOnMonth {
  readonly previousMonth: string;
  readonly previousNumerator: number;
  readonly previousRatio: number | null;
  /** ratio − previous ratio (negative = better); null where either ratio is unknown. */
  readonly ratioChange: number | null;
  readonly numeratorChange: number;
}

export interface CityFigure {
  readonly numerator: number;
  /** Sum of the districts' denominators, each reporting unit (zones too) once. */
  readonly denominator: number;
  /** null while any district has no enterprise count at all (see `missingDenominators`). */
  readonly ratio: number | null;
  readonly flows: EvaluationFlows;
  readonly monthOnMonth: MonthOnMonth;
  /** Districts without any enterprise count up to the month. */
  readonly missingDenominators: readonly string[];
  readonly aboveTarget: boolean | null;
}

export interface DistrictFigure {
  readonly district: string;
  /** The report name: 长安区, 高新区. */
  readonly name: string;
  readonly kind: 'district' | 'county' | 'city' | 'zone';
  readonly numerator: number;
  /** Enterprise count of `denominatorMonth`; null where none was loaded up to the month. */
  readonly denominator: number | null;
  /** The month the denominator comes from: the evaluated month or the latest before it. */
  readonly denominatorMonth: string | null;
  readonly ratio: number | null;
  readonly flows: EvaluationFlows;
  /** Active listings per list type (all subjects), as at `computedAt`. */
  readonly byListType: Readonly<Partial<Record<ListType, number>>>;
  /** Active listings per triage list and unclassified, as at `computedAt`. */
  readonly byTriageList: Readonly<Partial<Record<TriageList | 'unclassified', number>>>;
  /** 1 = the lowest ratio; null without a ratio. */
  readonly rank: number | null;
  /** The ratio is at or above the target (not yet below it); null without a ratio. */
  readonly aboveTarget: boolean | null;
  readonly change: MonthOnMonth;
}

export interface MilestoneResult {
  readonly id: string;
  readonly label: string;
  readonly due: string;
  /** null: not yet due at the evaluated month, or a figure it needs is missing. */
  readonly met: boolean | null;
  /** Chinese: the figures compared, or why it cannot be judged yet. */
  readonly detail: string;
}

export interface DriftLine {
  readonly district: string;
  readonly attribute: string;
  readonly stored: number;
  readonly recount: number;
}

export interface EvaluationInputs {
  /** Each district's denominator month (absent where none). */
  readonly countsMonths: Readonly<Record<string, string>>;
  /** The oldest denominator month used, or null where none: the one month shown when all agree. */
  readonly countsMonth: string | null;
  readonly ruleTableVersion: string;
  readonly campaignVersion: number;
  /** The last month whose flows were read (the month of `computedAt`). */
  readonly flowsThrough: string;
}

export interface EvaluationSnapshot {
  /** `yyyy-mm`, Asia/Shanghai. */
  readonly month: string;
  readonly computedAt: string;
  readonly inputs: EvaluationInputs;
  readonly campaign: Pick<Campaign, 'version' | 'name' | 'targetRatio' | 'scopePrefixes'>;
  readonly city: CityFigure;
  /** The 24 reporting units, in the order of docs/codes.md. */
  readonly districts: readonly DistrictFigure[];
  /** Subjects in scope listed but placed in no district yet (not in any figure). */
  readonly unassigned: number;
  /** District codes, best first / worst first. */
  readonly ranking: { readonly best: readonly string[]; readonly worst: readonly string[] };
  readonly milestones: readonly MilestoneResult[];
  /** The benchmark of the month or the latest loaded before it. */
  readonly benchmark: { readonly month: string; readonly value: number } | undefined;
  /** Differences between the listed-subject counters and a recount from the listed-subject index. */
  readonly drift: readonly DriftLine[];
  /** Set when read: data of the month or before changed after `computedAt`; a rerun would differ. */
  readonly stale?: { readonly since: string; readonly reason: string };
}
