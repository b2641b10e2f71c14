/**
 * The triage rules as data (docs/rules.md, Triage): the ordered rules E1–E5, A1, C1, the periods of each
 * list type and the credit repair measures by the date they came into force. A campaign that changes a
 * rule changes this table, validated by `parseRuleTable` (rule-table-schema.ts), not the code that reads
 * it (triage.ts).
 */
import type { ListType, RegistrationStatus, TriageList } from './model.ts';

export const TRIAGE_TRACKS = [
  'direct',
  'expired',
  'fulfilled',
  'urge-deregistration',
  'bankruptcy-referral',
  'repair-guidance',
  'joint-punishment',
] as const;
export type TriageTrack = (typeof TRIAGE_TRACKS)[number];

/** What a track means, in the words a reason uses (符合…条件). */
export const TRIAGE_TRACK_LABELS: Readonly<Record<TriageTrack, string>> = {
  direct: '直接退出',
  expired: '期满退出',
  fulfilled: '履行退出',
  'urge-deregistration': '督促注销',
  'bankruptcy-referral': '移送破产审查',
  'repair-guidance': '信用修复指导',
  'joint-punishment': '联合惩戒',
};

/** The subject flags a rule may test (docs/codes.md, Flags). */
export const SUBJECT_FLAG_NAMES = ['lostContact', 'bankruptcy', 'abnormal'] as const;
export type SubjectFlagName = (typeof SUBJECT_FLAG_NAMES)[number];

/** Free-text fields of a listing a rule may search for words. */
export const LISTING_TEXT_FIELDS = ['reason', 'obligation'] as const;
export type ListingTextField = (typeof LISTING_TEXT_FIELDS)[number];

export type Condition =
  | { readonly kind: 'status-in'; readonly statuses: readonly RegistrationStatus[] }
  | { readonly kind: 'flag'; readonly flag: SubjectFlagName }
  | { readonly kind: 'list-type'; readonly listTypes: readonly ListType[] }
  /** The listing's term has ended (see {@link TermRule}). */
  | { readonly kind: 'term-ended' }
  /** The obligation is recorded as fully performed and the list's minimum period has passed. */
  | { readonly kind: 'obligation-performed-and-minimum-passed' }
  | {
      readonly kind: 'listing-text';
      readonly fields: readonly ListingTextField[];
      readonly contains: readonly string[];
    }
  | { readonly kind: 'all'; readonly conditions: readonly Condition[] }
  | { readonly kind: 'any'; readonly conditions: readonly Condition[] }
  | { readonly kind: 'not'; readonly condition: Condition }
  | { readonly kind: 'always' };

export interface TriageRule {
  readonly id: string;
  readonly list: TriageList;
  readonly track: TriageTrack;
  readonly condition: Condition;
}

/**
 * When a listing's term ends. A listing's own `endsAt` (the last day the department set) ends it the day
 * after, whatever the kind: it is how a court's extension or a debarment's end arrives.
 * - `years`: that many years after the listed date, unless the listing's reason names grounds that carry
 *   no fixed term (the court's 有履行能力而拒不履行), or the reason is unknown;
 * - `ends-at`: only the listing's own `endsAt`;
 * - `repair-measures`: the maximum publication of the repair measures in force, or `endsAt` if earlier.
 */
export type TermRule =
  | { readonly kind: 'years'; readonly years: number; readonly noTermWhenReasonContains?: readonly string[] }
  | { readonly kind: 'ends-at' }
  | { readonly kind: 'repair-measures' };

/**
 * When a performed obligation lets the listing leave before its term: `after-months` from the listed
 * date (not for a reason naming a repeat offence), `none`, or the minimum publication of the repair
 * measures in force (none while no measures are in force).
 */
export type EarlyExitRule =
  | {
      readonly kind: 'after-months';
      readonly months: number;
      readonly notWhenReasonContains?: readonly string[];
    }
  | { readonly kind: 'none' }
  | { readonly kind: 'repair-measures' };

export interface ListPeriod {
  readonly term: TermRule;
  readonly earlyExit: EarlyExitRule;
}

/** National credit repair measures, in force from `from` until the next entry's `from`. */
export interface RepairMeasures {
  readonly from: string;
  readonly name: string;
  readonly minimumMonths: number;
  readonly maximumMonths: number;
}

export interface RuleTable {
  readonly version: string;
  /** Tried in order; the first that matches decides. The last must be `always`. */
  readonly rules: readonly TriageRule[];
  readonly periods: Readonly<Record<ListType, ListPeriod>>;
  /** Sorted by `from`. */
  readonly repairMeasures: readonly RepairMeasures[];
}

const CONSTRAINED_STATUSES: readonly RegistrationStatus[] = [
  'deregistered',
  'revoked-deregistered',
  'cancelled',
  'moved-out',
  'liquidating',
];

/** docs/rules.md, Triage and List types, as of the plan of 2022-10-31 and the NDRC measures of 2026. */
export const DEFAULT_RULE_TABLE: RuleTable = {
  version: '2026-04-01.1',
  rules: [
    {
      id: 'E1',
      list: 'exit',
      track: 'direct',
      condition: {
        kind: 'any',
        conditions: [
          { kind: 'status-in', statuses: CONSTRAINED_STATUSES },
          { kind: 'flag', flag: 'bankruptcy' },
        ],
      },
    },
    { id: 'E2', list: 'exit', track: 'expired', condition: { kind: 'term-ended' } },
    {
      id: 'E3',
      list: 'exit',
      track: 'fulfilled',
      condition: { kind: 'obligation-performed-and-minimum-passed' },
    },
    {
      id: 'E4',
      list: 'exit',
      track: 'urge-deregistration',
      condition: { kind: 'status-in', statuses: ['revoked'] },
    },
    {
      id: 'E5',
      list: 'exit',
      track: 'bankruptcy-referral',
      condition: {
        kind: 'all',
        conditions: [
          { kind: 'list-type', listTypes: ['court-debtor'] },
          {
            kind: 'any',
            conditions: [
              { kind: 'flag', flag: 'lostContact' },
              {
                kind: 'listing-text',
                fields: ['reason', 'obligation'],
                contains: ['无可供执行财产', '未发现可供执行的财产', '无财产可供执行', '终结本次执行'],
              },
            ],
          },
        ],
      },
    },
    {
      id: 'A1',
      list: 'assist',
      track: 'repair-guidance',
      condition: {
        kind: 'all',
        conditions: [
          { kind: 'status-in', statuses: ['active'] },
          { kind: 'not', condition: { kind: 'flag', flag: 'lostContact' } },
        ],
      },
    },
    { id: 'C1', list: 'constrain', track: 'joint-punishment', condition: { kind: 'always' } },
  ],
  periods: {
    'court-debtor': {
      term: {
        kind: 'years',
        years: 2,
        noTermWhenReasonContains: ['有履行能力而拒不履行', '有能力履行而拒不履行', '有履行能力拒不履行'],
      },
      // Deleted as soon as the obligation is performed.
      earlyExit: { kind: 'after-months', months: 0 },
    },
    'tax-violation': {
      term: { kind: 'years', years: 3 },
      earlyExit: {
        kind: 'after-months',
        months: 6,
        notWhenReasonContains: ['两次以上', '再次', '多次', '屡次'],
      },
    },
    'procurement-violation': { term: { kind: 'ends-at' }, earlyExit: { kind: 'none' } },
    'market-violation': {
      term: { kind: 'years', years: 3 },
      earlyExit: { kind: 'after-months', months: 12 },
    },
    other: { term: { kind: 'repair-measures' }, earlyExit: { kind: 'repair-measures' } },
  },
  repairMeasures: [{ from: '2026-04-01', name: '信用修复管理办法', minimumMonths: 12, maximumMonths: 36 }],
};
