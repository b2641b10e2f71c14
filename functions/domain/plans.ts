/**
 * What a person may set on a listing beside the rule's answer (docs/rules.md, Overrides, plans and
 * actions): the tracks an override may name for each list, the fixed measures a plan may choose from
 * for each list, and the checks of a plan's responsible person and deadline. Pure: the API route reads
 * the listing and calls these.
 */
import type { TriageList } from './model.ts';
import { DEFAULT_RULE_TABLE, type RuleTable, type TriageTrack } from './rule-table.ts';
import { toHalfWidth } from './text.ts';
import { looksLikeResidentId } from './uscc.ts';

/**
 * The tracks of a list, in the order of the rule table's rules: the first is the list's natural track,
 * the one an override that names none gets.
 */
export function tracksOfList(list: TriageList, table: RuleTable = DEFAULT_RULE_TABLE): TriageTrack[] {
  return [...new Set(table.rules.filter((rule) => rule.list === list).map((rule) => rule.track))];
}

/** The track an override names, or the list's natural one; undefined when the list has no such track. */
export function overrideTrack(list: TriageList, track: string | undefined): TriageTrack | undefined {
  const tracks = tracksOfList(list);
  if (track === undefined) return tracks[0];
  return tracks.find((candidate) => candidate === track);
}

/** The measures a plan may choose from, per list (the plan's 四(二)–(四)). */
export const PLAN_MEASURES = {
  exit: [
    { code: 'urge-deregistration', label: '督促办理注销' },
    { code: 'revoke-publication', label: '协调撤销公示' },
    { code: 'bankruptcy-referral', label: '移送破产审查' },
    { code: 'collect-evidence', label: '收集退出材料' },
  ],
  assist: [
    { code: 'pairing', label: '结对帮扶' },
    { code: 'repair-guidance', label: '信用修复指导' },
    { code: 'credit-warning', label: '信用提醒' },
    { code: 'interview', label: '约谈' },
    { code: 'urge-performance', label: '督促履行义务' },
  ],
  constrain: [
    { code: 'joint-punishment', label: '联合惩戒' },
    { code: 'key-supervision', label: '重点监管' },
    { code: 'more-spot-checks', label: '加大抽查频次' },
    { code: 'restrict-support', label: '限制政策支持' },
  ],
} as const satisfies Record<TriageList, readonly { code: string; label: string }[]>;

/** Every measure code of every list, for the request schema; which list allows which is checked later. */
export const PLAN_MEASURE_CODES = [
  ...new Set(Object.values(PLAN_MEASURES).flatMap((measures) => measures.map(({ code }) => code))),
] as [string, ...string[]];

const LIST_LABELS: Readonly<Record<TriageList, string>> = {
  exit: '退出清单',
  assist: '帮扶清单',
  constrain: '约束清单',
};

/** The Chinese name of a list, for messages. */
export function listLabel(list: TriageList): string {
  return LIST_LABELS[list];
}

/** What a plan asks for, as the route validated its shape. */
export interface PlanRequest {
  readonly measures: readonly string[];
  /** `yyyy-mm-dd`. */
  readonly deadline: string;
}

/** One problem of a plan: the request field it concerns, and what is wrong, in Chinese. */
export interface PlanProblem {
  readonly field: 'measures' | 'deadline';
  readonly message: string;
}

/**
 * What is wrong with a plan for a listing on `list` as of `today` (Asia/Shanghai); empty when nothing is:
 * every measure must be one of the list's, and the deadline must not have passed.
 */
export function planProblems(plan: PlanRequest, list: TriageList, today: string): PlanProblem[] {
  const allowed: readonly { code: string; label: string }[] = PLAN_MEASURES[list];
  const foreign = plan.measures.filter((code) => !allowed.some((measure) => measure.code === code));
  const problems: PlanProblem[] = [];
  if (foreign.length > 0) {
    const choices = allowed.map(({ code, label }) => `${code}（${label}）`).join('、');
    const message = `措施 ${foreign.join('、')} 不适用于${listLabel(list)}，可选：${choices}`;
    problems.push({ field: 'measures', message });
  }
  if (plan.deadline < today)
    problems.push({ field: 'deadline', message: `完成时限 ${plan.deadline} 早于今天（${today}）` });
  return problems;
}

/** Characters people put between the groups of a phone number or an ID; removed before looking for one. */
const GROUP_SEPARATORS = /[\s\-‐‑–—−_.·()（）/]/g;
/** A run that holds a phone number or an ID: digits, with `*` masks and an ID's last `X`. */
const NUMBER_RUN = /[0-9*Xx]{7,}/g;
const DIGIT = /[0-9]/g;
/** A role title is short: a unit's post, not a description. */
export const PERSON_MAX_LENGTH = 50;

/**
 * Why a plan's responsible person (or an interview's participant: `what` names the field) is not a role
 * title (科长, 联络员, 第3网格员), in Chinese, or undefined when it is one. A run of seven or more digits
 * (masked or split into groups) is a resident ID where it has an ID's shape, else a phone number: neither
 * is ever stored, as a plan names a post, not a private person.
 */
export function personProblem(raw: string, what = '责任人'): string | undefined {
  const text = toHalfWidth(raw);
  const hint = '请只填写职务名称（如“科长”“联络员”）';
  if (text === '') return `${what}不能为空，${hint}`;
  if (text.length > PERSON_MAX_LENGTH) return `${what}不能超过 ${PERSON_MAX_LENGTH} 个字，${hint}`;
  const runs = text.replace(GROUP_SEPARATORS, '').match(NUMBER_RUN) ?? [];
  const numbers = runs.filter((run) => (run.match(DIGIT)?.length ?? 0) >= 3);
  if (numbers.some((run) => looksLikeResidentId(run)))
    return `${what}疑似填写了身份证号码；${hint}，不得填写个人身份信息`;
  if (numbers.length > 0) return `${what}疑似填写了电话号码；${hint}，不得填写个人联系方式`;
  if (!/\p{L}/u.test(text)) return `${what}须为职务名称；${hint}`;
  return undefined;
}
