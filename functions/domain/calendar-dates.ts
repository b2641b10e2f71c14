/**
 * Arithmetic on calendar dates written `yyyy-mm-dd` (Asia/Shanghai days, see `shanghaiDate` in
 * model.ts). The dates carry no zone: they are computed as UTC days so no offset can shift them.
 * Such strings sort as the dates do, so `<` and `>=` compare them.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a real calendar date in `yyyy-mm-dd` (2026-02-30 is not one). */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (match === null) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return toIsoDate(date) === text;
}

/** The date `days` later (earlier when negative). */
export function addDays(date: string, days: number): string {
  return toIsoDate(new Date(toUtc(date).getTime() + days * MS_PER_DAY));
}

/**
 * The same day `months` later; a day the target month lacks becomes its last day
 * (2024-02-29 plus 12 months is 2025-02-28), so a period never runs into the month after.
 */
export function addMonths(date: string, months: number): string {
  const start = toUtc(date);
  const firstOfTarget = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 1));
  const lastDay = new Date(
    Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth() + 1, 0),
  ).getUTCDate();
  firstOfTarget.setUTCDate(Math.min(start.getUTCDate(), lastDay));
  return toIsoDate(firstOfTarget);
}

/** The earlier of two dates, either of which may be missing. */
export function earliestDate(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

function toUtc(date: string): Date {
  const match = ISO_DATE.exec(date);
  if (match === null) throw new RangeError(`not a yyyy-mm-dd date: ${date}`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

function toIsoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
