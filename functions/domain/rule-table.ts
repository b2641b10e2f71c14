/**
 * The triage rules as data (docs/rules.md, Triage): the ordered rules E1–E5, A1, C1, the periods of each
 * list type and the credit repair measures by the date they came into force. A campaign that changes a
 * rule changes this table, validated by {@link parseRuleTable}, not the code that reads it (triage.ts).
 */
import { z } from 'zod';
import { isIsoDate } from './calendar-dates.ts';
import {
  LIST_TYPES,
  type ListType,
  REGISTRATION_STATUSES,
  type RegistrationStatus,
  TRIAGE_LISTS,
  type TriageList,
} from './model.ts';

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

/** A rule table given by a person failed validation; `issues` are Chinese, one a line, with the path. */
export class InvalidRuleTableError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`规则表无效：${issues.join('；')}`);
    this.name = 'InvalidRuleTableError';
  }
}

const nonEmptyText = (what: string) =>
  z
    .string({ error: `${what}须为文字` })
    .trim()
    .min(1, `${what}不能为空`);
const wholeMonths = (what: string) =>
  z
    .number({ error: `${what}须为数字` })
    .int(`${what}须为整数`)
    .min(0, `${what}不能为负数`)
    .max(120, `${what}不能超过120`);
const words = (what: string) =>
  z.array(nonEmptyText(what), { error: `${what}须为文字列表` }).min(1, `${what}不能为空`);
const isoDate = (what: string) =>
  z.string({ error: `${what}须为日期` }).refine(isIsoDate, `${what}须为 yyyy-mm-dd 格式的有效日期`);

const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion(
    'kind',
    [
      z.object({
        kind: z.literal('status-in'),
        statuses: z
          .array(z.enum(REGISTRATION_STATUSES, { error: '未知的登记状态' }))
          .min(1, '登记状态列表不能为空'),
      }),
      z.object({ kind: z.literal('flag'), flag: z.enum(SUBJECT_FLAG_NAMES, { error: '未知的主体标记' }) }),
      z.object({
        kind: z.literal('list-type'),
        listTypes: z.array(z.enum(LIST_TYPES, { error: '未知的名单类型' })).min(1, '名单类型列表不能为空'),
      }),
      z.object({ kind: z.literal('term-ended') }),
      z.object({ kind: z.literal('obligation-performed-and-minimum-passed') }),
      z.object({
        kind: z.literal('listing-text'),
        fields: z
          .array(z.enum(LISTING_TEXT_FIELDS, { error: '未知的名单文字字段' }))
          .min(1, '字段列表不能为空'),
        contains: words('关键词'),
      }),
      z.object({ kind: z.literal('all'), conditions: z.array(conditionSchema).min(1, '组合条件不能为空') }),
      z.object({ kind: z.literal('any'), conditions: z.array(conditionSchema).min(1, '组合条件不能为空') }),
      z.object({ kind: z.literal('not'), condition: conditionSchema }),
      z.object({ kind: z.literal('always') }),
    ],
    { error: '未知的条件类型' },
  ),
);

const ruleSchema = z.object({
  id: nonEmptyText('规则编号'),
  list: z.enum(TRIAGE_LISTS, { error: '清单须为 exit（退出）、assist（帮扶）或 constrain（约束）之一' }),
  track: z.enum(TRIAGE_TRACKS, { error: `处置路径须为 ${TRIAGE_TRACKS.join('、')} 之一` }),
  condition: conditionSchema,
});

const termSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('years'),
      years: z
        .number({ error: '年限须为数字' })
        .int('年限须为整数')
        .min(1, '年限至少1年')
        .max(10, '年限不能超过10年'),
      noTermWhenReasonContains: words('无固定期限的列入原因').optional(),
    }),
    z.object({ kind: z.literal('ends-at') }),
    z.object({ kind: z.literal('repair-measures') }),
  ],
  { error: '期限规则须为 years、ends-at 或 repair-measures' },
);

const earlyExitSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('after-months'),
      months: wholeMonths('提前退出的最短月数'),
      notWhenReasonContains: words('不适用提前退出的列入原因').optional(),
    }),
    z.object({ kind: z.literal('none') }),
    z.object({ kind: z.literal('repair-measures') }),
  ],
  { error: '提前退出规则须为 after-months、none 或 repair-measures' },
);

const periodSchema = z.object({ term: termSchema, earlyExit: earlyExitSchema });

const repairMeasuresSchema = z
  .object({
    from: isoDate('施行日期'),
    name: nonEmptyText('办法名称'),
    minimumMonths: wholeMonths('最短公示月数'),
    maximumMonths: wholeMonths('最长公示月数'),
  })
  .refine((measures) => measures.minimumMonths <= measures.maximumMonths, {
    error: '最短公示月数不能大于最长公示月数',
  });

export const ruleTableSchema: z.ZodType<RuleTable> = z
  .object({
    version: nonEmptyText('版本号'),
    rules: z.array(ruleSchema, { error: '规则须为列表' }).min(1, '规则表至少要有一条规则'),
    periods: z.object(
      Object.fromEntries(LIST_TYPES.map((listType) => [listType, periodSchema])) as Record<
        ListType,
        typeof periodSchema
      >,
      { error: '须为每种名单类型给出期限' },
    ),
    repairMeasures: z.array(repairMeasuresSchema, { error: '信用修复办法须为列表' }),
  })
  .superRefine((table, context) => {
    for (const issue of tableIssues(table))
      context.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });

/** What the field-by-field schema cannot see: the order and completeness of the table. */
function tableIssues(
  table: Pick<RuleTable, 'rules' | 'repairMeasures'>,
): { message: string; path: (string | number)[] }[] {
  const issues: { message: string; path: (string | number)[] }[] = [];
  const ids = table.rules.map((rule) => rule.id);
  ids.forEach((id, index) => {
    if (ids.indexOf(id) !== index)
      issues.push({ message: `规则编号“${id}”重复`, path: ['rules', index, 'id'] });
  });
  const last = table.rules.at(-1);
  if (last !== undefined && last.condition.kind !== 'always')
    issues.push({
      message: '最后一条规则的条件须为 always（兜底），使每个名单都归入一类清单',
      path: ['rules', table.rules.length - 1, 'condition'],
    });
  table.repairMeasures.forEach((measures, index) => {
    const previous = table.repairMeasures[index - 1];
    if (previous !== undefined && previous.from >= measures.from)
      issues.push({ message: '信用修复办法须按施行日期先后排列', path: ['repairMeasures', index, 'from'] });
  });
  return issues;
}

/** A rule table a person gave, validated; throws {@link InvalidRuleTableError} with Chinese issues. */
export function parseRuleTable(input: unknown): RuleTable {
  const result = ruleTableSchema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidRuleTableError(
    result.error.issues.map((issue) =>
      issue.path.length === 0 ? issue.message : `${issue.path.join('.')}：${issue.message}`,
    ),
  );
}
