/**
 * The Chinese words beside the codes of listings, plans, actions and exits, taken from the same pure
 * domain modules the server answers with, so a label on a page and in a 台账 cannot differ.
 */
import { EXIT_STATUS_LABELS } from '../../../../functions/domain/exits.ts';
import { LIST_PLACE_LABELS, LISTING_STATUS_LABELS } from '../../../../functions/domain/listing-row.ts';
import { LIST_TYPE_LABELS, TRIAGE_LISTS, type TriageList } from '../../../../functions/domain/model.ts';
import { PLAN_MEASURES, tracksOfList } from '../../../../functions/domain/plans.ts';
import { REGISTRATION_STATUS_LABELS } from '../../../../functions/domain/registration.ts';
import { TRIAGE_TRACK_LABELS, TRIAGE_TRACKS } from '../../../../functions/domain/rule-table.ts';

export type { TriageList };
export { PLAN_MEASURES, TRIAGE_LISTS };

export interface Choice {
  readonly value: string;
  readonly label: string;
}

function choicesOf(labels: Readonly<Record<string, string>>): Choice[] {
  return Object.entries(labels).map(([value, label]) => ({ value, label }));
}

export const LIST_PLACE_CHOICES = choicesOf(LIST_PLACE_LABELS);
export const LIST_TYPE_CHOICES = choicesOf(LIST_TYPE_LABELS);
export const TRACK_CHOICES: Choice[] = TRIAGE_TRACKS.map((track) => ({
  value: track,
  label: TRIAGE_TRACK_LABELS[track],
}));

/** The tracks an override may name on `list`, the natural one first. */
export function trackChoicesOf(list: TriageList): Choice[] {
  return tracksOfList(list).map((track) => ({ value: track, label: TRIAGE_TRACK_LABELS[track] }));
}

function labelIn(labels: Readonly<Record<string, string>>, code: string | undefined): string {
  if (code === undefined || code === '') return '—';
  return labels[code] ?? code;
}

export const listPlaceLabel = (code: string | undefined) => labelIn(LIST_PLACE_LABELS, code);
export const listTypeLabel = (code: string | undefined) => labelIn(LIST_TYPE_LABELS, code);
export const trackLabel = (code: string | undefined) => labelIn(TRIAGE_TRACK_LABELS, code);
export const listingStatusLabel = (code: string | undefined) => labelIn(LISTING_STATUS_LABELS, code);
export const exitStatusLabel = (code: string | undefined) => labelIn(EXIT_STATUS_LABELS, code);
export const registrationLabel = (code: string | undefined) => labelIn(REGISTRATION_STATUS_LABELS, code);

/** A plan measure's label, whichever list it belongs to. */
export function measureLabel(code: string): string {
  for (const measures of Object.values(PLAN_MEASURES)) {
    const found = measures.find((measure) => measure.code === code);
    if (found !== undefined) return found.label;
  }
  return code;
}

/*
 * The action kinds and their choices as functions/domain/actions.ts names them. Copied rather than
 * imported: that module builds its zod schemas when loaded, which would put zod in this page's chunk.
 */
export const ACTION_KIND_LABELS: Readonly<Record<string, string>> = {
  pairing: '结对帮扶',
  'credit-warning': '信用提醒',
  interview: '约谈',
  'repair-guidance': '信用修复指导',
  'repair-application': '信用修复申请',
};
export const PAIRING_PARTNER_LABELS: Readonly<Record<string, string>> = {
  'township-street-office': '乡镇（街道）',
  'third-party-service': '第三方信用服务机构',
};
export const WARNING_CHANNEL_LABELS: Readonly<Record<string, string>> = {
  letter: '书面函告',
  sms: '短信',
  phone: '电话',
  'in-person': '当面告知',
  'online-platform': '信用平台推送',
};
export const ACTION_KIND_CHOICES = choicesOf(ACTION_KIND_LABELS);
export const PAIRING_PARTNER_CHOICES = choicesOf(PAIRING_PARTNER_LABELS);
export const WARNING_CHANNEL_CHOICES = choicesOf(WARNING_CHANNEL_LABELS);
export const actionKindLabel = (code: string | undefined) => labelIn(ACTION_KIND_LABELS, code);
