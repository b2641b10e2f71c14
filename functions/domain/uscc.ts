/**
 * Unified Social Credit Code (GB 32100-2015) and the organisation code inside it (GB 11714): normalising,
 * validating, and telling a USCC from the other identifiers that turn up in the same column.
 * docs/codes.md describes the code.
 */
import { looksLikeResidentId15, looksLikeResidentId18, residentIdChecksumOk } from './resident-id.ts';
import { compactText } from './text.ts';

/** The 31 characters a USCC may contain: digits and capitals without I, O, S, V, Z. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Letters that look like digits or like each other and that the USCC alphabet leaves out. */
export const LOOK_ALIKE_LETTERS = ['O', 'I', 'S', 'V', 'Z'] as const;

/** Weights of positions 1–17 for the position 18 check: 3^i mod 31. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** Weights of the 8 body characters of an organisation code (GB 11714). */
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

const USCC_LENGTH = 18;
const ORG_CODE_LENGTH = 9;

/** A code after clean-up, with the look-alike letters it holds (reported, never rewritten). */
export interface NormalizedCode {
  readonly value: string;
  /** Distinct look-alike letters found, in order of first appearance. */
  readonly lookAlikes: string[];
}

export type UsccErrorCode = 'empty' | 'length' | 'character' | 'look-alike' | 'check-digit';

/** A USCC that passes position 18 but not position 17 is kept, with this warning. */
export interface UsccWarning {
  readonly code: 'org-check';
  /** Chinese, for office staff. */
  readonly message: string;
}

export type UsccValidation =
  | { readonly ok: true; readonly uscc: string; readonly warnings: UsccWarning[] }
  | { readonly ok: false; readonly error: UsccErrorCode; readonly message: string };

export type OrgCodeErrorCode = 'empty' | 'length' | 'character' | 'check-digit';

export type OrgCodeValidation =
  | {
      readonly ok: true;
      /** The 9 characters without the dash. */
      readonly orgCode: string;
      /** Look-alike letters found; GB 11714 allows them, but they are often a mistyped digit. */
      readonly lookAlikes: string[];
    }
  | { readonly ok: false; readonly error: OrgCodeErrorCode; readonly message: string };

/** What an identifier column value is. `uscc` and `org-code` name the shape; validate before use. */
export type IdentifierKind = 'uscc' | 'org-code' | 'person-id' | 'unknown';

/**
 * Trims, removes every space (inner ones too), turns full-width characters half-width and upper-cases.
 * Look-alike letters (O, I, S, V, Z) are listed in `lookAlikes` and left in place: the sender must
 * correct them, as `O` for `0` is a guess we may not make.
 */
export function normalizeCode(raw: string): NormalizedCode {
  const value = compactText(raw).toUpperCase();
  const lookAlikes: string[] = [];
  for (const c of value) {
    if ((LOOK_ALIKE_LETTERS as readonly string[]).includes(c) && !lookAlikes.includes(c)) {
      lookAlikes.push(c);
    }
  }
  return { value, lookAlikes };
}

/**
 * The position 18 check character for the first 17 characters of a USCC.
 *
 * @throws RangeError when `first17` is not 17 characters of {@link USCC_ALPHABET}.
 */
export function uscc18CheckChar(first17: string): string {
  if (first17.length !== USCC_LENGTH - 1) {
    throw new RangeError(`expected 17 characters, got ${first17.length}`);
  }
  let sum = 0;
  for (let i = 0; i < first17.length; i++) {
    const value = USCC_ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) throw new RangeError(`character ${i + 1} is not in the USCC alphabet`);
    sum += value * (USCC_WEIGHTS[i] ?? 0);
  }
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/**
 * The GB 11714 check character for the 8 body characters of an organisation code: a digit or `X`.
 *
 * @throws RangeError when `first8` is not 8 digits or capital letters.
 */
export function orgCodeCheckChar(first8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(first8)) {
    throw new RangeError('expected 8 digits or capital letters');
  }
  let sum = 0;
  for (let i = 0; i < first8.length; i++) {
    // Digits are their value, A=10 … Z=35: exactly base 36.
    sum += Number.parseInt(first8.charAt(i), 36) * (ORG_WEIGHTS[i] ?? 0);
  }
  const r = 11 - (sum % 11);
  if (r === 10) return 'X';
  if (r === 11) return '0';
  return String(r);
}

/**
 * Validates a USCC as docs/codes.md describes, after {@link normalizeCode}. A wrong position 18 is
 * an error; a wrong position 17 (the organisation code's check) only a warning, since some registries
 * issued codes whose embedded organisation code does not check.
 */
export function validateUscc(raw: string): UsccValidation {
  const { value, lookAlikes } = normalizeCode(raw);
  if (value === '') return fail('empty', '统一社会信用代码为空');
  if (value.length !== USCC_LENGTH) {
    return fail('length', `统一社会信用代码应为18位，实际为${value.length}位`);
  }
  if (lookAlikes.length > 0) {
    return fail(
      'look-alike',
      `统一社会信用代码不使用字母I、O、S、V、Z，代码中含有${lookAlikes.join('、')}，请核对是否应为数字（如O与0、I与1、S与5、Z与2）`,
    );
  }
  const bad = [...value].findIndex((c) => !USCC_ALPHABET.includes(c));
  if (bad >= 0) {
    return fail('character', `统一社会信用代码第${bad + 1}位“${value.charAt(bad)}”不是有效字符`);
  }
  const expected18 = uscc18CheckChar(value.slice(0, 17));
  if (value.charAt(17) !== expected18) {
    return fail('check-digit', '统一社会信用代码第18位校验码不正确，请核对代码是否录入有误');
  }
  const warnings: UsccWarning[] = [];
  if (value.charAt(16) !== orgCodeCheckChar(value.slice(8, 16))) {
    warnings.push({
      code: 'org-check',
      message: '统一社会信用代码第9–17位（组织机构代码）的校验码不正确，代码已接受，请核对',
    });
  }
  return { ok: true, uscc: value, warnings };
}

/**
 * Validates an old 9-character organisation code, written `XXXXXXXX-X` or without the dash, with the same
 * check as USCC position 17.
 */
export function validateOrgCode(raw: string): OrgCodeValidation {
  const { value: withDash, lookAlikes } = normalizeCode(raw);
  const value = withDash.replace(/^(.{8})[-‐‑–—](.)$/, '$1$2');
  if (value === '') return failOrg('empty', '组织机构代码为空');
  if (value.length !== ORG_CODE_LENGTH) {
    return failOrg('length', `组织机构代码应为9位（如12345678-9），实际为${value.length}位`);
  }
  const bad = [...value].findIndex((c) => !/[0-9A-Z]/.test(c));
  if (bad >= 0) {
    return failOrg('character', `组织机构代码第${bad + 1}位“${value.charAt(bad)}”不是有效字符`);
  }
  if (value.charAt(8) !== orgCodeCheckChar(value.slice(0, 8))) {
    return failOrg('check-digit', '组织机构代码校验码（最后一位）不正确，请核对代码是否录入有误');
  }
  return { ok: true, orgCode: value, lookAlikes };
}

/**
 * Positions 9–17 of a USCC: the organisation code it embeds, to match against an old list's code.
 * Returns undefined when the normalised value is not 18 characters.
 */
export function orgCodeOfUscc(uscc: string): string | undefined {
  const { value } = normalizeCode(uscc);
  return value.length === USCC_LENGTH ? value.slice(8, 17) : undefined;
}

/** True when an old organisation code (with or without dash) is the one embedded in the USCC. */
export function orgCodeMatchesUscc(orgCode: string, uscc: string): boolean {
  const org = validateOrgCode(orgCode);
  const fromUscc = orgCodeOfUscc(uscc);
  return org.ok && fromUscc !== undefined && org.orgCode === fromUscc;
}

/**
 * Positions 3–8 of a USCC: the division code of the registering authority when the code was issued.
 * It never changes when the subject moves, so it is a fallback for placing a subject, never a fact.
 * Undefined when the normalised value is not 18 characters or the positions are not 6 digits.
 */
export function usccDivision(uscc: string): string | undefined {
  const { value } = normalizeCode(uscc);
  if (value.length !== USCC_LENGTH) return undefined;
  const division = value.slice(2, 8);
  return /^\d{6}$/.test(division) ? division : undefined;
}

/**
 * True when the USCC starts with one of `prefixes`: by default `91`, registered by market regulation
 * as an enterprise (the scope of the monthly ratio, docs/rules.md).
 */
export function isEnterpriseUscc(uscc: string, prefixes: readonly string[] = ['91']): boolean {
  const { value } = normalizeCode(uscc);
  return prefixes.some((prefix) => prefix !== '' && value.startsWith(normalizeCode(prefix).value));
}

/**
 * Tells what an identifier is, so that rows of natural persons can be skipped before anything of them is
 * kept. A code that validates as a USCC is always `uscc`, even when it is all digits; an 18-character
 * value is `person-id` only when it fails the USCC check and looks like a resident ID (province, plausible
 * birth date, `*` masking allowed); a 15-character old resident ID is `person-id` likewise. Values of the
 * right shape but a wrong check are still `uscc` / `org-code`, so the caller reports the precise error.
 */
export function classifyIdentifier(raw: string): IdentifierKind {
  const { value } = normalizeCode(raw);
  if (value.length === USCC_LENGTH) {
    // Privacy first: an ID-shaped value (province, plausible birth date) is a person's when it is masked,
    // passes the resident ID's own check (ISO 7064 MOD 11-2), or fails the USCC's organisation-code
    // check; about 1 in 31 resident IDs pass the USCC's position-18 check by chance. Enterprise codes
    // (91…) never have a province in positions 1–2, so they are never taken for one.
    if (looksLikeResidentId18(value)) {
      const validation = validateUscc(value);
      const passesBothUsccChecks = validation.ok && validation.warnings.length === 0;
      if (value.includes('*') || residentIdChecksumOk(value) || !passesBothUsccChecks) return 'person-id';
    }
    if (validateUscc(value).ok) return 'uscc';
    return /^[1-9A-Y][0-9A-Z]{17}$/.test(value) ? 'uscc' : 'unknown';
  }
  if (value.length === 15 && looksLikeResidentId15(value)) return 'person-id';
  if (/^[0-9A-Z]{8}[-‐‑–—]?[0-9A-Z]$/.test(value)) return 'org-code';
  return 'unknown';
}

/**
 * True when the value has the shape of a resident ID: 18 characters (province, plausible 18xx/19xx/20xx
 * birth date, digit or X last) or 15 digits, `*` masking allowed anywhere. Shape only: unlike
 * {@link classifyIdentifier} it does not first try the USCC check, so an all-digit USCC may also match.
 */
export function looksLikeResidentId(raw: string): boolean {
  const { value } = normalizeCode(raw);
  return value.length === 15 ? looksLikeResidentId15(value) : looksLikeResidentId18(value);
}

function fail(error: UsccErrorCode, message: string): UsccValidation {
  return { ok: false, error, message };
}

function failOrg(error: OrgCodeErrorCode, message: string): OrgCodeValidation {
  return { ok: false, error, message };
}
