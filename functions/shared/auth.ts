/**
 * Claims → scope. Every handler asks this one function who the caller is and what it may see; scope
 * comes from the token's claims (placed by the HTTP API's JWT authorizer, or by the local server after
 * it verified the token), never from the request body.
 */
import { toHalfWidth } from '#domain/text.ts';
import { ForbiddenError, ScopeViolationError, UnauthorizedError } from './errors.ts';

export const ROLES = ['city', 'district', 'department', 'consumer'] as const;
export type Role = (typeof ROLES)[number];

export interface Scope {
  readonly role: Role;
  /** The token's subject, for the audit trail. */
  readonly principal: string;
  /** The one district a district token (and optionally a department token) is limited to. */
  readonly district?: string;
  /** The designating department's name, normalised, for department tokens. */
  readonly department?: string;
}

type Claims = Record<string, unknown> | undefined;

/**
 * A claim by its name or, failing that, as Cognito's custom attribute (`custom:role`): the same token
 * shape works behind the user pool and behind an issuer of one's own. Blank is absent.
 */
export function readClaim(claims: Claims, name: string): string | undefined {
  const value = claims?.[name] ?? claims?.[`custom:${name}`];
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

/** A department's name as the lists carry it: trimmed, half-width, inner whitespace folded. */
export function normalizeDepartment(name: string): string {
  return toHalfWidth(name);
}

const DISTRICT_CODE = /^\d{6}$/;

export function scopeFromClaims(claims: Claims): Scope {
  const role = readClaim(claims, 'role');
  const principal = readClaim(claims, 'sub') ?? 'unknown';
  if (role === undefined || !(ROLES as readonly string[]).includes(role)) {
    throw new UnauthorizedError('令牌未载明有效的角色（role）');
  }
  const district = readClaim(claims, 'district');
  const department = readClaim(claims, 'department');
  if (district !== undefined && !DISTRICT_CODE.test(district)) {
    throw new UnauthorizedError('令牌中的区县代码（district）格式不正确，应为 6 位数字');
  }
  switch (role) {
    case 'district':
      if (district === undefined) throw new UnauthorizedError('区县令牌须载明所属区县（district）');
      return { role, principal, district };
    case 'department':
      if (department === undefined) throw new UnauthorizedError('部门令牌须载明部门名称（department）');
      return {
        role,
        principal,
        department: normalizeDepartment(department),
        ...(district === undefined ? {} : { district }),
      };
    default:
      return { role: role as Role, principal };
  }
}

export function requireRole(scope: Scope, roles: readonly Role[]): void {
  if (!roles.includes(scope.role)) throw new ForbiddenError(`${scope.role} 角色无权执行此操作`);
}

/** Whether the caller may see data of this district (属地管理). */
export function canSeeDistrict(scope: Scope, district: string): boolean {
  if (scope.role === 'city') return true;
  if (scope.district === undefined) return scope.role === 'department' || scope.role === 'consumer';
  return scope.district === district;
}

/** Throws unless the caller may see data of this district. */
export function requireDistrict(scope: Scope, district: string): void {
  if (!canSeeDistrict(scope, district))
    throw new ScopeViolationError(`区县 ${district} 超出当前令牌的数据范围`);
}

/** Whether a department token owns this listing (谁认定、谁指导、谁整治). */
export function ownsListing(scope: Scope, listing: { department: string; district: string }): boolean {
  return (
    scope.role === 'department' &&
    scope.department === normalizeDepartment(listing.department) &&
    (scope.district === undefined || scope.district === listing.district)
  );
}
