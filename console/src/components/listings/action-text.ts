/** An action's fields in one line, as the listing panel shows them. */
import { formatDate } from '../../format.ts';
import { PAIRING_PARTNER_LABELS, WARNING_CHANNEL_LABELS } from './labels.ts';
import type { ListingAction } from './types.ts';

function field(action: ListingAction, name: string): string {
  const value = action.fields[name];
  return typeof value === 'string' ? value : '';
}

export function actionText(action: ListingAction): string {
  switch (action.kind) {
    case 'pairing': {
      const partner = (action.fields.partner ?? {}) as { type?: string; name?: string };
      return `${PAIRING_PARTNER_LABELS[partner.type ?? ''] ?? partner.type ?? ''}：${partner.name ?? ''}`;
    }
    case 'credit-warning':
      return `${formatDate(field(action, 'date'))}，${WARNING_CHANNEL_LABELS[field(action, 'channel')] ?? field(action, 'channel')}`;
    case 'interview': {
      const participants = Array.isArray(action.fields.participants)
        ? action.fields.participants.join('、')
        : '';
      return `${formatDate(field(action, 'date'))}，参加人员：${participants}；结果：${field(action, 'outcome')}`;
    }
    case 'repair-guidance':
      return `${formatDate(field(action, 'date'))}，${field(action, 'content')}`;
    case 'repair-application': {
      const earliest =
        action.earliestEligibleDate === undefined ? '无法计算' : formatDate(action.earliestEligibleDate);
      return `信用承诺书 ${formatDate(field(action, 'pledgeReceivedOn'))} 收到；最早可修复日期：${earliest}（${action.eligibilityBasis ?? ''}）`;
    }
    default:
      return JSON.stringify(action.fields);
  }
}
