/**
 * Validation of a rule table a person gives (rule-table.ts), with Chinese messages naming the place of
 * each problem, so a campaign can change its rules without a code change.
 */
import * as z from 'zod';
import { isIsoDate } from './calendar-dates.ts';
import { LIST_TYPES, type ListType, REGISTRATION_STATUSES, TRIAGE_LISTS } from './model.ts';
import {
  type Condition,
  LISTING_TEXT_FIELDS,
  type RuleTable,
  SUBJECT_FLAG_NAMES,
  TRIAGE_TRACKS,
} from './rule-table.ts';

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

const periodSchema = z.object(
  { term: termSchema, earlyExit: earlyExitSchema },
  { error: '须为该名单类型给出期限（term 与 earlyExit）' },
);

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
