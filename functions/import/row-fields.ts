/**
 * The fields of a list row, read one at a time: each reader returns the value or records why it
 * cannot (errors, warnings, in Chinese for the office). Pure.
 */
import type { ListType } from '#domain/model.ts';
import { compactText, toHalfWidth } from '#domain/text.ts';
import { classifyIdentifier, validateOrgCode, validateUscc } from '#domain/uscc.ts';
import type { ImportSource, RowError } from './model.ts';
import { parseDate, parseListTypeLabel } from './parse/values.ts';
import type { RowContext, RowIdentity } from './row-rules.ts';

/** The list type a department source implies when neither the row nor the title names one. */
export const SOURCE_LIST_TYPES: Partial<Record<ImportSource, ListType>> = {
  court: 'court-debtor',
  tax: 'tax-violation',
  procurement: 'procurement-violation',
  market: 'market-violation',
};

/** Makes one problem of the row being read. */
export type Problem = (
  field: string,
  message: string,
  value?: string,
  severity?: RowError['severity'],
) => RowError;

export function optionalText<K extends string>(
  name: K,
  value: string | undefined,
): Partial<Record<K, string>> {
  if (value === undefined) return {};
  const text = toHalfWidth(value);
  return text === '' ? {} : ({ [name]: text } as Record<K, string>);
}

export function readIdentity(
  raw: string,
  problem: Problem,
  errors: RowError[],
  warnings: RowError[],
): RowIdentity | undefined {
  if (raw === '') {
    errors.push(problem('uscc', '缺少统一社会信用代码'));
    return undefined;
  }
  if (classifyIdentifier(raw) === 'org-code') {
    const org = validateOrgCode(raw);
    if (!org.ok) {
      errors.push(problem('uscc', org.message, raw));
      return undefined;
    }
    return { orgCode: org.orgCode };
  }
  const result = validateUscc(raw);
  if (!result.ok) {
    errors.push(problem('uscc', result.message, raw));
    return undefined;
  }
  for (const warning of result.warnings) warnings.push(problem('uscc', warning.message, raw, 'warning'));
  return { uscc: result.uscc };
}

export function readListType(
  raw: string | undefined,
  context: RowContext,
  problem: Problem,
  errors: RowError[],
) {
  if (raw !== undefined) {
    const parsed = parseListTypeLabel(raw);
    if (parsed === undefined) errors.push(problem('listType', '无法识别的名单类型', raw));
    return parsed;
  }
  const implied = context.titleListType ?? SOURCE_LIST_TYPES[context.source];
  if (implied === undefined) errors.push(problem('listType', '缺少名单类型（文件标题和名单类型列都未注明）'));
  return implied;
}

export function readDepartment(
  raw: string | undefined,
  context: RowContext,
  problem: Problem,
  errors: RowError[],
  warnings: RowError[],
) {
  const fromRow = raw === undefined ? undefined : toHalfWidth(raw);
  if (context.department !== undefined) {
    if (fromRow !== undefined && fromRow !== '' && fromRow !== context.department) {
      warnings.push(
        problem('department', `认定部门按上传部门“${context.department}”记录`, fromRow, 'warning'),
      );
    }
    return context.department;
  }
  if (fromRow === undefined || fromRow === '') {
    errors.push(problem('department', '缺少认定部门'));
    return undefined;
  }
  return fromRow;
}

export function readDate(
  field: string,
  label: string,
  raw: string | undefined,
  problem: Problem,
  errors: RowError[],
) {
  if (raw === undefined || compactText(raw) === '') return undefined;
  const parsed = parseDate(raw);
  if (parsed === undefined) errors.push(problem(field, `无法识别的${label}`, raw));
  return parsed;
}
