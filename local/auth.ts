/**
 * Tokens for the one-machine runtime. They carry the claims the cloud's JWT authorizer passes on
 * (role, district, department), signed HS256 with a secret kept in `$LOCAL_DIR/jwt-secret`, so the
 * local server can check them the way API Gateway checks the user pool's tokens.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';

export const TOKEN_ISSUER = 'credit-governance-local';
export const TOKEN_AUDIENCE = 'credit-governance';
export const DEFAULT_TOKEN_TTL_SECONDS = 12 * 60 * 60;

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

/** A verified token's payload: the local claims plus the registered ones. */
export interface VerifiedClaims extends LocalClaims {
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
 * Verifies a token as the JWT authorizer would: signature, issuer, audience, expiry, and a known role.
 * Throws InvalidTokenError on any failure.
 */
export async function verifyToken(secret: Uint8Array, token: string, now?: Date): Promise<VerifiedClaims> {
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: ['HS256'],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      requiredClaims: ['sub', 'iat', 'exp'],
      ...(now === undefined ? {} : { currentDate: now }),
    });
    if (typeof payload.role !== 'string' || !isRole(payload.role)) {
      throw new InvalidTokenError('the token carries no known role');
    }
    return payload as VerifiedClaims;
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw new InvalidTokenError('the token has expired');
    if (error instanceof joseErrors.JOSEError)
      throw new InvalidTokenError(`the token is not valid: ${error.code}`);
    throw error;
  }
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
