/**
 * A trail entry in words: what item changed, who changed it and why, and each fact before and after,
 * with the codes a clerk would not read (lists, tracks, statuses) put in Chinese.
 */
import { formatDateTime } from '../../format.ts';
import { districtName } from '../../units.ts';
import { actionText } from './action-text.ts';
import {
  actionKindLabel,
  exitStatusLabel,
  listingStatusLabel,
  listPlaceLabel,
  listTypeLabel,
  measureLabel,
  registrationLabel,
  trackLabel,
} from './labels.ts';
import type { ChangedBy, TrailEntry } from './types.ts';

const ITEM_LABELS: Readonly<Record<string, string>> = {
  subject: '主体',
  listing: '名单记录',
  action: '帮扶与惩戒行动',
  plan: '整治计划',
  exit: '退出申报',
  check: '联合惩戒核查',
};

const CAUSE_LABELS: Readonly<Record<string, string>> = {
  import: '名单导入',
  request: '人工操作',
  exit: '退出流程',
  schedule: '定时重新分类',
  system: '系统',
};

const ROLE_LABELS: Readonly<Record<string, string>> = {
  city: '市信用办',
  district: '区县信用办',
  department: '行业主管部门',
  consumer: '核查系统',
  system: '系统',
};

const FIELD_LABELS: Readonly<Record<string, string>> = {
  name: '名称',
  district: '区县',
  districtSource: '区县来源',
  registrationStatus: '登记状态',
  movedTo: '迁往',
  flags: '标记',
  activeListings: '在列名单数',
  listType: '名单类型',
  department: '认定部门',
  caseNo: '案号',
  listedAt: '列入日期',
  endsAt: '截止日期',
  reason: '列入原因',
  obligation: '义务',
  performance: '履行情况',
  status: '状态',
  classification: '分类',
  plan: '整治计划',
  tally: '统计口径',
  dueOn: '下次复核日',
  missingFromPush: '推送中缺失',
  exitId: '退出申报',
  exitStatus: '退出状态',
  exitedAt: '退出日期',
  exitReason: '退出原因',
  kind: '行动类型',
  fields: '行动内容',
  source: '来源',
  importId: '导入批次',
};

/** Bookkeeping a clerk need not read in the history (the tally is where the counts count a listing). */
const HIDDEN_FIELDS = new Set([
  'createdAt',
  'key',
  'uscc',
  'listingKey',
  'listingId',
  'actionId',
  'at',
  'tally',
]);

export function itemLabel(entry: TrailEntry): string {
  return ITEM_LABELS[entry.itemType] ?? entry.itemType;
}

export function eventLabel(entry: TrailEntry): string {
  return entry.event === 'created' ? '新建' : '变更';
}

export function actorLabel(changedBy: ChangedBy | undefined): string {
  if (changedBy === undefined) return '未记录';
  const office = changedBy.department ?? (changedBy.district ? districtName(changedBy.district) : undefined);
  const role = ROLE_LABELS[changedBy.role] ?? changedBy.role;
  return [office ?? role, changedBy.principal].join(' · ');
}

export function causeLabel(changedBy: ChangedBy | undefined): string {
  return changedBy === undefined ? '—' : (CAUSE_LABELS[changedBy.cause.kind] ?? changedBy.cause.kind);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function classificationText(value: Record<string, unknown>): string {
  const override = record(value.override);
  const rule = `${listPlaceLabel(String(value.list))}·${trackLabel(String(value.track))}（规则${String(value.ruleId ?? '')}）`;
  if (override === undefined) return rule;
  return `${rule}；部门调整为${listPlaceLabel(String(override.list))}·${trackLabel(String(override.track))}`;
}

function planText(value: Record<string, unknown>): string {
  const measures = Array.isArray(value.measures)
    ? value.measures.map((code) => measureLabel(String(code)))
    : [];
  return `${String(value.unit ?? '')}（${String(value.person ?? '')}）${measures.join('、')}，时限 ${String(value.deadline ?? '')}`;
}

const PERFORMANCE_LABELS: Readonly<Record<string, string>> = {
  none: '未履行',
  partial: '部分履行',
  full: '全部履行',
};

const CODED: Readonly<Record<string, (code: string) => string>> = {
  performance: (code) => PERFORMANCE_LABELS[code] ?? code,
  list: listPlaceLabel,
  track: trackLabel,
  listType: listTypeLabel,
  status: listingStatusLabel,
  exitStatus: exitStatusLabel,
  registrationStatus: registrationLabel,
  district: districtName,
  kind: actionKindLabel,
};

/** One value as text, at most `max` characters. */
export function valueText(field: string, value: unknown, max = 120): string {
  if (value === undefined || value === null || value === '') return '（无）';
  let text: string;
  const object = record(value);
  if (typeof value === 'string') text = CODED[field]?.(value) ?? value;
  else if (typeof value === 'boolean') text = value ? '是' : '否';
  else if (field === 'classification' && object !== undefined) text = classificationText(object);
  else if (field === 'plan' && object !== undefined) text = planText(object);
  else text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface ChangeLine {
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

/** The facts an entry changed, in the order the API gave them, bookkeeping left out. */
export function changeLines(entry: TrailEntry): ChangeLine[] {
  return Object.entries(entry.changes)
    .filter(([field]) => !HIDDEN_FIELDS.has(field))
    .map(([field, change]) => ({
      field: FIELD_LABELS[field] ?? field,
      before: entry.event === 'created' ? '' : valueText(field, change.before),
      after: actionFieldsText(entry, field, change.after) ?? valueText(field, change.after),
    }));
}

/** An action's fields read as the listing panel reads them, where the entry names the action's kind. */
function actionFieldsText(entry: TrailEntry, field: string, value: unknown): string | undefined {
  const kind = entry.changes.kind?.after;
  const fields = record(value);
  if (entry.itemType !== 'action' || field !== 'fields' || typeof kind !== 'string' || fields === undefined)
    return undefined;
  return actionText({ actionId: '', kind, fields, at: entry.at });
}

export function entryTime(entry: TrailEntry): string {
  return formatDateTime(entry.at);
}
