/**
 * Actions taken on a listing (docs/rules.md, Overrides, plans and actions): pairing, credit warning,
 * interview, repair guidance and repair application, each with its own fields, validated with Chinese
 * messages; and, for a repair application, the earliest date the listing may be repaired by the rule
 * table's minimum period. Pure: the route reads the listing and the store writes the action.
 */
import * as z from 'zod';
import { isIsoDate } from './calendar-dates.ts';
import type { Listing, ListType, Subject } from './model.ts';
import { personProblem } from './plans.ts';
import type { RuleTable } from './rule-table.ts';
import { triageFacts } from './triage-facts.ts';

export const ACTION_KIND_LABELS = {
  pairing: '结对帮扶',
  'credit-warning': '信用提醒',
  interview: '约谈',
  'repair-guidance': '信用修复指导',
  'repair-application': '信用修复申请',
} as const;
export type ActionKind = keyof typeof ACTION_KIND_LABELS;
export const ACTION_KINDS = Object.keys(ACTION_KIND_LABELS) as [ActionKind, ...ActionKind[]];

export const PAIRING_PARTNER_LABELS = {
  'township-street-office': '乡镇（街道）',
  'third-party-service': '第三方信用服务机构',
} as const;

export const WARNING_CHANNEL_LABELS = {
  letter: '书面函告',
  sms: '短信',
  phone: '电话',
  'in-person': '当面告知',
  'online-platform': '信用平台推送',
} as const;

function keysOf<T extends object>(labels: T): [keyof T & string, ...(keyof T & string)[]] {
  return Object.keys(labels) as [keyof T & string, ...(keyof T & string)[]];
}

function choices(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([code, label]) => `${code}（${label}）`)
    .join('、');
}

const dateField = (what: string) =>
  z.string({ error: `${what}须为日期` }).refine(isIsoDate, `${what}须为 yyyy-mm-dd 格式的有效日期`);

const textField = (what: string, max: number) =>
  z
    .string({ error: `${what}须为文字` })
    .trim()
    .min(1, `${what}不能为空`)
    .max(max, `${what}不能超过 ${max} 个字`);

/** A role title: never a resident ID or a phone number (plans.ts personProblem). */
export const roleTitleField = (what: string) =>
  z
    .string({ error: `${what}须为文字` })
    .trim()
    .superRefine((value, context) => {
      const problem = personProblem(value, what);
      if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
    });

const pairingRequest = z.object({
  kind: z.literal('pairing'),
  partner: z.object(
    {
      type: z.enum(keysOf(PAIRING_PARTNER_LABELS), {
        error: `帮扶主体类型须为 ${choices(PAIRING_PARTNER_LABELS)}`,
      }),
      name: textField('帮扶主体名称', 100),
    },
    { error: '须载明帮扶主体（partner：type 与 name）' },
  ),
});

const creditWarningRequest = z.object({
  kind: z.literal('credit-warning'),
  date: dateField('提醒日期'),
  channel: z.enum(keysOf(WARNING_CHANNEL_LABELS), {
    error: `提醒方式须为 ${choices(WARNING_CHANNEL_LABELS)}`,
  }),
});

const interviewRequest = z.object({
  kind: z.literal('interview'),
  date: dateField('约谈日期'),
  participants: z
    .array(roleTitleField('参加人员'), { error: '参加人员须为职务名称的列表' })
    .min(1, '参加人员不能为空')
    .max(20, '参加人员不能超过 20 个'),
  outcome: textField('约谈结果', 1000),
});

const repairGuidanceRequest = z.object({
  kind: z.literal('repair-guidance'),
  date: dateField('指导日期'),
  content: textField('指导内容', 1000),
});

const repairApplicationRequest = z.object({
  kind: z.literal('repair-application'),
  pledgeReceivedOn: dateField('信用承诺书收到日期'),
});

/** `POST /listings/{listingId}/actions`: one of the kinds, told apart by `kind`. */
export const actionRequestSchema = z
  .discriminatedUnion(
    'kind',
    [pairingRequest, creditWarningRequest, interviewRequest, repairGuidanceRequest, repairApplicationRequest],
    { error: `行动类型（kind）须为 ${choices(ACTION_KIND_LABELS)}` },
  )
  .meta({ id: 'ActionRequest' });
export type ActionRequest = z.infer<typeof actionRequestSchema>;

/** The action's own fields: the request without its kind. */
export type ActionFields = Omit<ActionRequest, 'kind'>;

/** An action as stored and answered. */
export interface ListingAction {
  readonly actionId: string;
  readonly listingId: string;
  readonly uscc: string;
  readonly listType: ListType;
  readonly listingKey: string;
  readonly kind: ActionKind;
  readonly fields: Readonly<Record<string, unknown>>;
  /** When it was recorded (ISO 8601). */
  readonly at: string;
  /** Repair applications: the first day the listing may be repaired, when it can be told. */
  readonly earliestEligibleDate?: string;
  /** Repair applications: the facts that date rests on, in Chinese. */
  readonly eligibilityBasis?: string;
}

/** The day the action took place, where its kind has one: the field, its label and its date. */
function dayOf(action: ActionRequest): { field: string; label: string; date: string } | undefined {
  switch (action.kind) {
    case 'pairing':
      return undefined;
    case 'repair-application':
      return { field: 'pledgeReceivedOn', label: '信用承诺书收到日期', date: action.pledgeReceivedOn };
    case 'credit-warning':
      return { field: 'date', label: '提醒日期', date: action.date };
    case 'interview':
      return { field: 'date', label: '约谈日期', date: action.date };
    case 'repair-guidance':
      return { field: 'date', label: '指导日期', date: action.date };
  }
}

/**
 * Why the action cannot be recorded as of `today` (Asia/Shanghai), with the field concerned and a
 * Chinese message; empty when it can. An action is recorded once taken, so its day is not in the future.
 */
export function actionProblems(
  action: ActionRequest,
  today: string,
): { readonly field: string; readonly message: string }[] {
  const day = dayOf(action);
  if (day === undefined || day.date <= today) return [];
  return [{ field: day.field, message: `${day.label} ${day.date} 晚于今天（${today}）；行动须在发生后登记` }];
}

export interface RepairEligibility {
  /** Undefined when the listing's dates do not tell it (no listed date, no term). */
  readonly earliestEligibleDate?: string;
  readonly basis: string;
}

function later(a: string, b: string): string {
  return a > b ? a : b;
}

/**
 * The earliest day a listing may be repaired after its credit pledge was received on `pledgeReceivedOn`:
 * the day its minimum period passes (the rule table's early exit for the list type, e.g. the repair
 * measures' minimum publication), or, where the list allows no exit before its term, the day the term
 * ends; never before the pledge. `asOf` picks the repair measures in force.
 */
export function repairEligibility(
  listing: Listing,
  subject: Subject,
  rules: RuleTable,
  asOf: string,
  pledgeReceivedOn: string,
): RepairEligibility {
  const { earlyExit, term } = triageFacts(listing, subject, asOf, rules);
  const pledge = `信用承诺书于${pledgeReceivedOn}收到`;
  if (earlyExit.from !== undefined) {
    const basis = earlyExit.text === '' ? '履行义务后即可退出，无最短公示期' : earlyExit.text;
    return { earliestEligibleDate: later(earlyExit.from, pledgeReceivedOn), basis: `${basis}；${pledge}` };
  }
  if (earlyExit.immediate === true)
    return { earliestEligibleDate: pledgeReceivedOn, basis: `履行义务后即可退出，无最短公示期；${pledge}` };
  const basis = `${earlyExit.text}；${term.text}`;
  if (term.endsOn === undefined) return { basis: `${basis}，无法计算最早可修复日期` };
  return { earliestEligibleDate: later(term.endsOn, pledgeReceivedOn), basis: `${basis}；${pledge}` };
}
