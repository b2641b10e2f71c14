/**
 * The shape of a resident ID (GB 11643), told apart from a USCC so that rows of natural persons are
 * never kept. These take a value already normalised by `normalizeCode` (uscc.ts), which also gives the
 * public entry points.
 */

/** First two digits of resident IDs: the province codes of GB/T 2260. */
const PROVINCE = /^(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12])$/;

/** An 18-character resident ID's shape (province, 18xx/19xx/20xx birth date), of a normalised value. */
export function looksLikeResidentId18(value: string): boolean {
  if (!/^[0-9*]{17}[0-9X*]$/.test(value)) return false;
  const century = value.slice(6, 8);
  return (
    provinceFits(value.slice(0, 2)) &&
    ['18', '19', '20'].some((c) => fitsMask(century, c)) &&
    monthDayFits(value.slice(10, 12), value.slice(12, 14))
  );
}

/** The old 15-digit ID's shape (division, a 2-digit year, month and day, 3 digits), of a normalised value. */
export function looksLikeResidentId15(value: string): boolean {
  if (!/^[0-9*]{15}$/.test(value)) return false;
  return provinceFits(value.slice(0, 2)) && monthDayFits(value.slice(8, 10), value.slice(10, 12));
}

const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11643's check character (ISO 7064 MOD 11-2) of an 18-character resident ID. */
export function residentIdChecksumOk(value: string): boolean {
  if (!/^\d{17}[\dX]$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(value.charAt(i)) * (RESIDENT_ID_WEIGHTS[i] ?? 0);
  return '10X98765432'.charAt(sum % 11) === value.charAt(17);
}

function provinceFits(pattern: string): boolean {
  for (let n = 11; n <= 82; n++) {
    if (PROVINCE.test(String(n)) && fitsMask(pattern, String(n))) return true;
  }
  return false;
}

/**
 * Plausible, not exact: month 01–12 and day 01–31. A mistyped date should still keep a person's row
 * out of storage, so we err towards calling it a person ID.
 */
function monthDayFits(month: string, day: string): boolean {
  return fitsSomeNumber(month, 1, 12) && fitsSomeNumber(day, 1, 31);
}

function fitsSomeNumber(pattern: string, from: number, to: number): boolean {
  for (let n = from; n <= to; n++) {
    if (fitsMask(pattern, String(n).padStart(2, '0'))) return true;
  }
  return false;
}

function fitsMask(pattern: string, candidate: string): boolean {
  if (pattern.length !== candidate.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern.charAt(i);
    if (p !== '*' && p !== candidate.charAt(i)) return false;
  }
  return true;
}
