/**
 * One mapped row of a list file → what it means: a listing, a registry update, an enterprise count, a
 * natural person to skip, or the reasons it cannot be taken. Pure; messages in Chinese for the office.
 * Nothing of a natural person's row leaves this function but the fact that it was one.
 */
import type { ListingFacts, SubjectFacts } from '#domain/changes.ts';
import { resolveDistrict } from '#domain/district.ts';
import type { ListType, RegistrationStatus, SubjectFlags } from '#domain/model.ts';
import { normalizeBankruptcy, normalizeRegistrationStatus, parseYesNo } from '#domain/registration.ts';
import { toHalfWidth } from '#domain/text.ts';
import { classifyIdentifier } from '#domain/uscc.ts';
import type { ImportSource, RowError } from './model.ts';
import type { MappedRow } from './parse/header.ts';
import { parseCount, parseMonth, parsePerformance } from './parse/values.ts';
import {
  optionalText,
  type Problem,
  readDate,
  readDepartment,
  readIdentity,
  readListType,
  SOURCE_LIST_TYPES,
} from './row-fields.ts';

export interface RowContext {
  readonly source: ImportSource;
  readonly sheetIndex: number;
  /** The list type named by the file's title, if any. */
  readonly titleListType?: ListType;
  /** The uploading department's name, when a department token created the import. */
  readonly department?: string;
  /** The month named by the file name, for enterprise counts without a 月份 column. */
  readonly fileMonth?: string;
}

/** The subject a row names: by USCC, or by an older organisation code still to be matched. */
export type RowIdentity = { readonly uscc: string } | { readonly orgCode: string };

export type RowOutcome =
  | {
      readonly kind: 'listing';
      readonly identity: RowIdentity;
      readonly subject: Omit<SubjectFacts, 'uscc'>;
      readonly listing: ListingFacts;
      readonly warnings: RowError[];
    }
  | {
      readonly kind: 'registry';
      readonly identity: RowIdentity;
      readonly name?: string;
      readonly district?: { readonly code: string; readonly source: 'column' };
      readonly registrationStatus?: RegistrationStatus;
      readonly movedTo?: string;
      readonly flags: SubjectFlags;
      readonly warnings: RowError[];
    }
  | {
      readonly kind: 'count';
      readonly district: string;
      readonly month: string;
      readonly enterprises: number;
      readonly warnings: RowError[];
    }
  | { readonly kind: 'person'; readonly error: RowError }
  | {
      readonly kind: 'invalid';
      readonly errors: RowError[];
      /**
       * The listing a bad row still names (a valid code, a list type and a case number or date): it is
       * in the file, so a full push's diff must not flag it as missing.
       */
      readonly names?: { readonly uscc: string; readonly listType: ListType; readonly key: string };
    };

export { SOURCE_LIST_TYPES };

const PERSON_MESSAGE = '自然人信息，已跳过，不予存储';

/** Makes the row's problems: each carries where the row is. */
function problemsOf(row: MappedRow, context: RowContext): Problem {
  return (field, message, value, severity = 'error') => ({
    sheet: row.sheet,
    sheetIndex: context.sheetIndex,
    line: row.line,
    field,
    message,
    severity,
    ...(value === undefined ? {} : { value }),
  });
}

/** A row of a natural person: an ID in the code column, or an explicit ID column and no code at all. */
function isPersonRow(fields: MappedRow['fields']): boolean {
  const rawIdentifier = fields.uscc ?? '';
  return (
    classifyIdentifier(rawIdentifier) === 'person-id' ||
    (rawIdentifier === '' && fields.personId !== undefined)
  );
}

export function interpretRow(row: MappedRow, context: RowContext): RowOutcome {
  const problem = problemsOf(row, context);
  if (context.source === 'enterprise-counts') return interpretCount(row, context, problem);
  if (isPersonRow(row.fields)) {
    return { kind: 'person', error: problem('uscc', PERSON_MESSAGE, undefined, 'skipped') };
  }
  const errors: RowError[] = [];
  const warnings: RowError[] = [];
  const identity = readIdentity(row.fields.uscc ?? '', problem, errors, warnings);
  if (context.source === 'registry') {
    return interpretRegistry(row, identity, errors, warnings, problem);
  }
  return interpretListing(row, context, identity, { errors, warnings, problem });
}

interface Findings {
  readonly errors: RowError[];
  readonly warnings: RowError[];
  readonly problem: Problem;
}

/** The performance a row states, if it is one we know; an unknown one is a warning. */
function readPerformance(raw: string | undefined, findings: Findings): string | undefined {
  if (raw === undefined) return undefined;
  const performance = parsePerformance(raw);
  if (performance === undefined)
    findings.warnings.push(findings.problem('performance', '无法识别的履行情况，已忽略', raw, 'warning'));
  return performance;
}

/** A bad listing row, with the listing it still names when it names one. */
function invalidListing(
  errors: RowError[],
  identity: RowIdentity | undefined,
  listType: ListType | undefined,
  key: string | undefined,
): RowOutcome {
  const named =
    identity !== undefined && 'uscc' in identity && listType !== undefined && key !== undefined
      ? { uscc: identity.uscc, listType, key }
      : undefined;
  return { kind: 'invalid', errors, ...(named === undefined ? {} : { names: named }) };
}

function interpretListing(
  row: MappedRow,
  context: RowContext,
  identity: RowIdentity | undefined,
  findings: Findings,
): RowOutcome {
  const { fields } = row;
  const { errors, warnings, problem } = findings;
  const name = toHalfWidth(fields.name ?? '');
  if (name === '') errors.push(problem('name', '缺少主体名称'));
  const listType = readListType(fields.listType, context, problem, errors);
  const department = readDepartment(fields.department, context, problem, errors, warnings);
  const caseNo = fields.caseNo === undefined ? undefined : toHalfWidth(fields.caseNo);
  const listedAt = readDate('listedAt', '列入日期', fields.listedAt, problem, errors);
  const endsAt = readDate('endsAt', '截止日期', fields.endsAt, problem, errors);
  if (caseNo === undefined && listedAt === undefined && fields.listedAt === undefined) {
    errors.push(problem('caseNo', '缺少案号（文书号）和列入日期，无法识别是哪一条名单记录'));
  }
  const performance = readPerformance(fields.performance, findings);
  const key = caseNo ?? (listedAt === undefined ? undefined : `D${listedAt}`);
  if (errors.length > 0 || identity === undefined || listType === undefined || department === undefined) {
    return invalidListing(errors, identity, listType, key);
  }
  const uscc = 'uscc' in identity ? identity.uscc : undefined;
  const district = resolveDistrict({
    ...(fields.district === undefined ? {} : { column: fields.district }),
    ...(uscc === undefined ? {} : { uscc }),
  });
  if (district.note !== undefined)
    warnings.push(problem('district', district.note, fields.district, 'warning'));
  return {
    kind: 'listing',
    identity,
    subject: { name, district: district.code, districtSource: district.source },
    listing: {
      listType,
      key: key as string,
      department,
      source: context.source,
      ...(caseNo === undefined ? {} : { caseNo }),
      ...(listedAt === undefined ? {} : { listedAt }),
      ...(endsAt === undefined ? {} : { endsAt }),
      ...optionalText('reason', fields.reason),
      ...optionalText('obligation', fields.obligation),
      ...(performance === undefined ? {} : { performance }),
    },
    warnings,
  };
}

function interpretRegistry(
  row: MappedRow,
  identity: RowIdentity | undefined,
  errors: RowError[],
  warnings: RowError[],
  problem: Problem,
): RowOutcome {
  const fields = row.fields;
  let registrationStatus: RegistrationStatus | undefined;
  let movedTo = fields.movedTo === undefined ? undefined : toHalfWidth(fields.movedTo);
  if (fields.registrationStatus !== undefined) {
    const status = normalizeRegistrationStatus(fields.registrationStatus);
    if (status === undefined)
      errors.push(problem('registrationStatus', '无法识别的登记状态', fields.registrationStatus));
    else {
      registrationStatus = status.status;
      movedTo = movedTo || status.movedTo;
    }
  }
  const flags: { lostContact?: boolean; bankruptcy?: boolean; bankruptcyStage?: string; abnormal?: boolean } =
    {};
  for (const flag of ['lostContact', 'abnormal'] as const) {
    const raw = fields[flag];
    if (raw === undefined) continue;
    const value = parseYesNo(raw);
    if (value === undefined) errors.push(problem(flag, '无法识别的是/否取值', raw));
    else flags[flag] = value;
  }
  if (fields.bankruptcy !== undefined) {
    const value = normalizeBankruptcy(fields.bankruptcy);
    if (value === undefined) errors.push(problem('bankruptcy', '无法识别的破产状态', fields.bankruptcy));
    else {
      flags.bankruptcy = value.bankruptcy;
      if (value.stage !== undefined) flags.bankruptcyStage = value.stage;
    }
  }
  let district: { code: string; source: 'column' } | undefined;
  if (fields.district !== undefined) {
    const resolved = resolveDistrict({ column: fields.district });
    if (resolved.source === 'column') district = { code: resolved.code, source: 'column' };
    else
      warnings.push(
        problem('district', resolved.note ?? '无法识别的所属区县，未改变属地', fields.district, 'warning'),
      );
  }
  if (errors.length > 0 || identity === undefined) return { kind: 'invalid', errors };
  const name = fields.name === undefined ? undefined : toHalfWidth(fields.name);
  return {
    kind: 'registry',
    identity,
    ...(name === undefined || name === '' ? {} : { name }),
    ...(district === undefined ? {} : { district }),
    ...(registrationStatus === undefined ? {} : { registrationStatus }),
    ...(movedTo === undefined || movedTo === '' ? {} : { movedTo }),
    flags,
    warnings,
  };
}

function interpretCount(row: MappedRow, context: RowContext, problem: Problem): RowOutcome {
  const fields = row.fields;
  const errors: RowError[] = [];
  const resolved = resolveDistrict(fields.district === undefined ? {} : { column: fields.district });
  if (resolved.source !== 'column')
    errors.push(problem('district', resolved.note ?? '缺少或无法识别所属区县', fields.district));
  const enterprises = fields.enterpriseCount === undefined ? undefined : parseCount(fields.enterpriseCount);
  if (enterprises === undefined)
    errors.push(problem('enterpriseCount', '法人企业数应为非负整数', fields.enterpriseCount));
  const month = fields.month === undefined ? context.fileMonth : parseMonth(fields.month);
  if (month === undefined) errors.push(problem('month', '缺少月份（月份列或文件名中的年月）', fields.month));
  if (errors.length > 0 || enterprises === undefined || month === undefined)
    return { kind: 'invalid', errors };
  return { kind: 'count', district: resolved.code, month, enterprises, warnings: [] };
}
