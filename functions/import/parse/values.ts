/**
 * Reading the values of a list's cells as office files write them: dates in half a dozen shapes and as
 * Excel serial numbers, list-type labels, performance, counts and months (docs/files.md, Values).
 * Every parser answers `undefined` for what it cannot read; none of them throws.
 */

import type { ListType } from '#domain/model.ts';
import { compactText, toHalfWidth } from '#domain/text.ts';

const MS_PER_DAY = 86_400_000;
/** Day 0 of Excel's 1900 system once its phantom 1900-02-29 (serial 60) is behind: 1899-12-30. */
const EXCEL_1900_EPOCH = Date.UTC(1899, 11, 30);
/** Day 0 of the 1904 system (old Mac workbooks). */
const EXCEL_1904_EPOCH = Date.UTC(1904, 0, 1);
/** Serials accepted as dates: after the phantom leap day, before the year 2119. */
const MIN_SERIAL_EXCLUSIVE = 60;
const MAX_SERIAL_EXCLUSIVE = 80_000;
const MIN_YEAR = 1900;
const MAX_YEAR = 2199;

/**
 * `yyyy-mm-dd` for an Excel serial day number (the fraction, a time of day, is ignored), or undefined
 * for a serial before 1900-03-01 in the 1900 system, where Excel's calendar is wrong.
 */
export function excelSerialToIsoDate(serial: number, date1904 = false): string | undefined {
  if (!Number.isFinite(serial)) return undefined;
  const day = Math.floor(serial);
  if (!date1904 && day <= MIN_SERIAL_EXCLUSIVE) return undefined;
  if (date1904 && day < 0) return undefined;
  const epoch = date1904 ? EXCEL_1904_EPOCH : EXCEL_1900_EPOCH;
  return isoDateOf(new Date(epoch + day * MS_PER_DAY));
}

/** `yyyy-mm-dd` of a Date's UTC calendar day: Excel dates carry no zone, exceljs puts them at UTC midnight. */
export function isoDateOf(date: Date): string | undefined {
  const time = date.getTime();
  if (Number.isNaN(time)) return undefined;
  return formatDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

const DATE_SEPARATED = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/;
const DATE_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const DATE_CHINESE = /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$/;
const EXCEL_SERIAL = /^\d{1,5}(?:\.\d+)?$/;

/**
 * A date as `yyyy-mm-dd`. Reads `2022-11-03`, `2022/11/3`, `2022.11.3`, `20221103`, `2022年11月3日`,
 * `2022-11-03 10:00:00` (the time is dropped) and Excel serials of the 1900 system (60 < serial < 80000,
 * fraction ignored); full-width digits too. Impossible dates (2022-02-30) are undefined.
 */
export function parseDate(raw: string): string | undefined {
  const text = compactDateText(raw);
  if (text === '') return undefined;
  const match = DATE_SEPARATED.exec(text) ?? DATE_COMPACT.exec(text) ?? DATE_CHINESE.exec(text);
  if (match !== null) {
    const [year, month, day] =
      match.length === 5 ? [match[1], match[3], match[4]] : [match[1], match[2], match[3]];
    return validDate(Number(year), Number(month), Number(day));
  }
  if (EXCEL_SERIAL.test(text)) {
    const serial = Number(text);
    if (serial > MIN_SERIAL_EXCLUSIVE && serial < MAX_SERIAL_EXCLUSIVE) return excelSerialToIsoDate(serial);
  }
  return undefined;
}

const TRAILING_TIME = /[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?$/;

/** Half-width, a trailing time of day dropped, then every space (`2022 年 11 月 3 日`). */
function compactDateText(raw: string): string {
  return toHalfWidth(raw).replace(TRAILING_TIME, '').replace(/\s+/g, '');
}

function validDate(year: number, month: number, day: number): string | undefined {
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return undefined;
  return formatDate(year, month, day);
}

function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * Labels in the order they must be tried: the court's and the tax office's lists first, procurement
 * before the generic 严重违法失信名单 that its own label contains.
 */
const LIST_TYPE_PATTERNS: readonly (readonly [ListType, readonly string[]])[] = [
  ['court-debtor', ['失信被执行人']],
  ['tax-violation', ['重大税收违法失信主体', '重大税收违法', '税收违法']],
  ['procurement-violation', ['政府采购严重违法失信', '政府采购']],
  ['market-violation', ['市场监督管理严重违法失信', '市场监管', '严重违法失信名单', '严重违法失信企业名单']],
];
const LIST_TYPE_CODES: readonly ListType[] = [
  'court-debtor',
  'tax-violation',
  'procurement-violation',
  'market-violation',
  'other',
];
const OTHER_LABELS = new Set(['其他', '其它']);

/**
 * The list type named by a label in a cell or a title (`石家庄市失信被执行人名单（2022年11月）`), or by
 * its English code (`court-debtor`, any case).
 */
export function parseListTypeLabel(raw: string): ListType | undefined {
  const text = compactText(raw);
  if (text === '') return undefined;
  const code = LIST_TYPE_CODES.find((listType) => listType === text.toLowerCase());
  if (code !== undefined) return code;
  for (const [listType, labels] of LIST_TYPE_PATTERNS) {
    if (labels.some((label) => text.includes(label))) return listType;
  }
  return OTHER_LABELS.has(text) ? 'other' : undefined;
}

export type Performance = 'none' | 'partial' | 'full';

const PERFORMANCE_LABELS: ReadonlyMap<string, Performance> = new Map([
  ['全部未履行', 'none'],
  ['未履行', 'none'],
  ['部分未履行', 'partial'],
  ['部分履行', 'partial'],
  ['部分已履行', 'partial'],
  ['全部履行', 'full'],
  ['全部已履行', 'full'],
  ['已全部履行', 'full'],
  ['已履行', 'full'],
  ['履行完毕', 'full'],
  ['已履行完毕', 'full'],
]);

/** The court's 被执行人的履行情况: 全部未履行 → none, 部分未履行 → partial, 全部履行 / 已履行 → full. */
export function parsePerformance(raw: string): Performance | undefined {
  return PERFORMANCE_LABELS.get(compactText(raw));
}

const COUNT = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.0+)?(?:户|家|个)?$/;

/** A non-negative whole number: `12345`, `12,345`, `１２３４５`, `12345.0`, `12345户`. */
export function parseCount(raw: string): number | undefined {
  const match = COUNT.exec(compactText(raw));
  if (match === null) return undefined;
  const count = Number((match[1] ?? '').replaceAll(',', ''));
  return Number.isSafeInteger(count) ? count : undefined;
}

const MONTH_SEPARATED = /^(\d{4})[-/.](\d{1,2})$/;
const MONTH_CHINESE = /^(\d{4})年(\d{1,2})月份?$/;
const MONTH_COMPACT = /^(\d{4})(\d{2})$/;

/**
 * A month as `yyyy-mm` from `2022-11`, `2022/11`, `2022年11月`, `2022年11月份`, `202211`, or a date
 * in any shape {@link parseDate} reads (a 月份 cell formatted as a date holds the first of the month;
 * its serial, if the workbook's styles were not read, has five digits).
 */
export function parseMonth(raw: string): string | undefined {
  const text = compactText(raw);
  const match = MONTH_SEPARATED.exec(text) ?? MONTH_CHINESE.exec(text) ?? MONTH_COMPACT.exec(text);
  if (match !== null) return validMonth(Number(match[1]), Number(match[2]));
  // A bare year, or a month number alone, would otherwise pass for an Excel serial.
  if (/^\d{1,4}$/.test(text)) return undefined;
  return parseDate(raw)?.slice(0, 7);
}

function validMonth(year: number, month: number): string | undefined {
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12) return undefined;
  return `${year}-${pad2(month)}`;
}

const FILE_NAME_MONTHS = [
  /(?<!\d)(\d{4})年(\d{1,2})月/g,
  /(?<!\d)(\d{4})[-_.](\d{1,2})(?!\d)/g,
  /(?<!\d)(\d{4})(\d{2})(?:\d{2})?(?!\d)/g,
];

/**
 * The month a file name names (`法人企业数_202211.xlsx`, `2022年11月法人企业数.csv`,
 * `enterprise-counts-2022-11.csv`, `法人企业数20221130.xlsx`); undefined when it names none or several.
 */
export function monthFromFileName(name: string): string | undefined {
  const base = compactText(name.replace(/^.*[/\\]/, '').replace(/\.[A-Za-z0-9]{1,5}$/, ''));
  const months = new Set<string>();
  for (const pattern of FILE_NAME_MONTHS) {
    for (const match of base.matchAll(pattern)) {
      const month = validMonth(Number(match[1]), Number(match[2]));
      if (month !== undefined) months.add(month);
    }
  }
  const [only, ...others] = months;
  return others.length === 0 ? only : undefined;
}
