/**
 * Dates, numbers and shares as the offices write them: zh-CN, in Asia/Shanghai whatever the browser's
 * own zone.
 */
const ZONE = 'Asia/Shanghai';

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const dateOnly = new Intl.DateTimeFormat('zh-CN', {
  timeZone: ZONE,
  year: 'numeric',
  month: 'long',
  day: 'numeric',
});
const integer = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });

/** 2026/11/30 14:05 for an instant (ISO text); a dash for none. */
export function formatDateTime(iso: string | undefined | null): string {
  if (iso === undefined || iso === null || iso === '') return '—';
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : dateTime.format(at);
}

/** 2026年11月30日 for a calendar day (YYYY-MM-DD, read as that day, not as an instant). */
export function formatDate(day: string | undefined | null): string {
  if (day === undefined || day === null || day === '') return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (match === null) return day;
  return dateOnly.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 4)));
}

/** 2026年11月 for a month (YYYY-MM). */
export function formatMonth(month: string | undefined | null): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month ?? '');
  return match === null ? (month ?? '—') : `${match[1]}年${Number(match[2])}月`;
}

/** 12,345 */
export function formatCount(value: number | undefined | null): string {
  return value === undefined || value === null ? '—' : integer.format(value);
}

/** A ratio as a percentage with `digits` decimals: 0.00873 → 0.87%. */
export function formatPercent(ratio: number | undefined | null, digits = 2): string {
  if (ratio === undefined || ratio === null || Number.isNaN(ratio)) return '—';
  return `${(ratio * 100).toFixed(digits)}%`;
}

/** The month just ended in Shanghai, YYYY-MM: the one the evaluation measures. */
export function lastMonth(now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(now);
  const year = Number(parts.find((part) => part.type === 'year')?.value);
  const month = Number(parts.find((part) => part.type === 'month')?.value);
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}
