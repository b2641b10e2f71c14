/**
 * Tokens for the one-machine runtime. They carry the claims the cloud's JWT authorizer passes on
 * (role, district, department, or Cognito's `custom:` forms of them), signed HS256 with a secret kept in
 * `$LOCAL_DIR/jwt-secret`, so the local server can check them the way API Gateway checks the user pool's
 * tokens.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type JWTPayload, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { normalizeDepartment, readClaim } from '#shared/auth.ts';

export const TOKEN_ISSUER = 'credit-governance-local';
export const TOKEN_AUDIENCE = 'credit-governance';
export const DEFAULT_TOKEN_TTL_SECONDS = 12 * 60 * 60;
/** How far the issuer's clock may run ahead of ours before `iat` or `nbf` makes a token unusable. */
export const CLOCK_TOLERANCE_SECONDS = 60;

export const ROLES = ['city', 'district', 'department', 'consumer'] as const;
export type Role = (typeof ROLES)[number];

/** The claims the handlers read from `requestContext.authorizer.jwt.claims`. */
export interface LocalClaims {
  readonly sub: string;
  readonly role: Role;
  /** Six-digit district code: required for the district role, optional for a department. */
  readonly district?: string;
  /** The department's name as the lists carry it: required for the department role. */
  readonly department?: string;
}

/**
 * A verified token's payload as it was signed: the registered claims, and the role, district and
 * department either plain or as Cognito's `custom:role`, `custom:district`, `custom:department`.
 */
export interface VerifiedClaims {
  readonly sub: string;
  readonly iss: string;
  readonly aud: string | string[];
  readonly iat: number;
  readonly exp: number;
  readonly [claim: string]: unknown;
}

/** A token was missing, malformed, expired, or signed with another secret. */
export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/** Whether `value` names one of the four roles. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** A department's name the way the lists carry it: half-width characters, no surrounding blanks. */
export function normaliseDepartment(name: string): string {
  return name.normalize('NFKC').trim();
}

/**
 * Reads the signing secret, creating it on first use (32 random bytes, hex, mode 0600). Two processes
 * racing to create it agree: the loser of the exclusive create reads the winner's file.
 */
export async function loadSigningSecret(secretFile: string): Promise<Uint8Array> {
  try {
    return decodeSecret(await readFile(secretFile, 'utf8'), secretFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(secretFile), { recursive: true });
  try {
    await writeFile(secretFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return decodeSecret(await readFile(secretFile, 'utf8'), secretFile);
}

function decodeSecret(text: string, secretFile: string): Uint8Array {
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${secretFile} does not hold 32 bytes of hex`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export interface SignOptions {
  readonly ttlSeconds?: number;
  /** The issue time; defaults to now. */
  readonly now?: Date;
}

/** Signs a token for the given claims, valid for `ttlSeconds` (12 h by default). */
export async function signToken(
  secret: Uint8Array,
  claims: LocalClaims,
  options: SignOptions = {},
): Promise<string> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const ttl = options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  const payload: Record<string, string> = { role: claims.role };
  if (claims.district !== undefined) payload.district = claims.district;
  if (claims.department !== undefined) payload.department = normaliseDepartment(claims.department);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttl)
    .sign(secret);
}

/**
 * The subject `npm run token` gives a role: one per role, district and department, so that nothing
 * keyed by `sub` (the idempotency records, the audit trail) mixes two callers up, and the same on
 * every call. A department is named by a hash of its normalised name, which may hold any character.
 */
export function localSubject(claims: Omit<LocalClaims, 'sub'>): string {
  switch (claims.role) {
    case 'district':
      return `local:district:${claims.district ?? ''}`;
    case 'department': {
      const name = normalizeDepartment(claims.department ?? '');
      const hash = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 16);
      return `local:department:${hash}${claims.district === undefined ? '' : `:${claims.district}`}`;
    }
    default:
      return `local:${claims.role}`;
  }
}

/**
 * Verifies a token as the JWT authorizer would: signature, issuer, audience, expiry, an issue and
 * not-before time that are not in the future (within {@link CLOCK_TOLERANCE_SECONDS}), and a known role
 * under `role` or `custom:role`. Throws InvalidTokenError on any failure.
 */
export async function verifyToken(secret: Uint8Array, token: string, now?: Date): Promise<VerifiedClaims> {
  const currentDate = now ?? new Date();
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: ['HS256'],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      requiredClaims: ['sub', 'iat', 'exp'],
      currentDate,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    return verifiedClaims(payload, currentDate);
  } catch (error) {
    throw tokenRefusal(error) ?? error;
  }
}

/**
 * What both verifiers check once jose has accepted the signature and the standard claims: the times
 * ({@link checkTimes}) and a known role under `role` or `custom:role`.
 */
export function verifiedClaims(payload: JWTPayload, now: Date): VerifiedClaims {
  checkTimes(payload, Math.floor(now.getTime() / 1000));
  const role = readClaim(payload, 'role');
  if (role === undefined || !isRole(role)) throw new InvalidTokenError('the token carries no known role');
  return payload as VerifiedClaims;
}

/** A refusal of jose's (or ours) as the authorizer's InvalidTokenError; undefined for any other error. */
export function tokenRefusal(error: unknown): InvalidTokenError | undefined {
  if (error instanceof InvalidTokenError) return error;
  if (error instanceof joseErrors.JWTExpired) return new InvalidTokenError('the token has expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'nbf')
    return new InvalidTokenError('the token is not valid yet');
  if (error instanceof joseErrors.JOSEError)
    return new InvalidTokenError(`the token is not valid: ${error.code}`);
  return undefined;
}

/**
 * The time checks beyond jose's: the tolerance given to jose is meant for `nbf` only, so expiry stays
 * exact, and jose does not look at `iat` at all.
 */
export function checkTimes(payload: JWTPayload, nowSeconds: number): void {
  if (typeof payload.exp === 'number' && payload.exp <= nowSeconds) {
    throw new InvalidTokenError('the token has expired');
  }
  if (typeof payload.iat === 'number' && payload.iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) {
    throw new InvalidTokenError('the token is issued in the future');
  }
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
