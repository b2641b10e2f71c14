/**
 * An OpenID Connect issuer of one's own in place of the local HS256 secret, as the stack's `jwtIssuer`
 * replaces Cognito where Cognito is not offered: `JWT_ISSUER`, `JWT_AUDIENCE` (comma-separated) and
 * optionally `JWT_JWKS_URL` (by default the `jwks_uri` of the issuer's discovery document, which is
 * where API Gateway looks). Tokens are checked as API Gateway's JWT authorizer checks them: an RSA
 * signature by the key of the set that `kid` names, `iss`, `aud` (or `client_id` when there is no
 * `aud`), `exp`, `nbf`, `iat`; and, as locally, a known role under `role` or `custom:role`.
 */
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import {
  CLOCK_TOLERANCE_SECONDS,
  InvalidTokenError,
  tokenRefusal,
  type VerifiedClaims,
  verifiedClaims,
} from './auth.ts';

/** Checks a bearer token and answers its claims, or throws InvalidTokenError. */
export type TokenVerifier = (token: string) => Promise<VerifiedClaims>;

export interface ExternalIssuer {
  /** The `iss` tokens must carry, exactly. */
  readonly issuer: string;
  /** Accepted `aud` values (or `client_id`, for access tokens without `aud`). */
  readonly audience: readonly string[];
  /** @default - the `jwks_uri` of `<issuer>/.well-known/openid-configuration` */
  readonly jwksUrl?: string;
}

/** The JWT_* variables are incomplete or malformed; the runtime does not start. */
export class ExternalIssuerSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExternalIssuerSettingsError';
  }
}

/** API Gateway's HTTP API verifies RSA signatures only. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512'];

function absoluteUrl(name: string, text: string): string {
  try {
    return new URL(text).href;
  } catch {
    throw new ExternalIssuerSettingsError(`${name} must be an absolute URL, not "${text}"`);
  }
}

/** The issuer the environment names, or undefined when tokens stay the local HS256 ones. */
export function externalIssuerFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): ExternalIssuer | undefined {
  const issuer = env.JWT_ISSUER?.trim() || undefined;
  const jwksUrl = env.JWT_JWKS_URL?.trim() || undefined;
  const audience = (env.JWT_AUDIENCE ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  if (issuer === undefined) {
    if (jwksUrl !== undefined || audience.length > 0)
      throw new ExternalIssuerSettingsError('JWT_JWKS_URL and JWT_AUDIENCE need JWT_ISSUER');
    return undefined;
  }
  absoluteUrl('JWT_ISSUER', issuer);
  if (audience.length === 0) throw new ExternalIssuerSettingsError('JWT_ISSUER needs JWT_AUDIENCE');
  return {
    issuer,
    audience,
    ...(jwksUrl === undefined ? {} : { jwksUrl: absoluteUrl('JWT_JWKS_URL', jwksUrl) }),
  };
}

/** The key set's address from the issuer's discovery document. */
async function discoverJwksUrl(issuer: string): Promise<URL> {
  const response = await fetch(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
  if (!response.ok)
    throw new InvalidTokenError(`the issuer's discovery document answered ${response.status}`);
  const document = (await response.json()) as { jwks_uri?: unknown };
  if (typeof document.jwks_uri !== 'string')
    throw new InvalidTokenError("the issuer's discovery document names no jwks_uri");
  return new URL(document.jwks_uri);
}

/** `aud` when present, else `client_id` (Cognito's access tokens), must be one of the accepted values. */
function checkAudience(payload: JWTPayload, accepted: readonly string[]): void {
  const audiences = payload.aud === undefined ? [payload.client_id] : [payload.aud].flat();
  if (!audiences.some((value) => typeof value === 'string' && accepted.includes(value)))
    throw new InvalidTokenError('the token is not meant for this API (aud)');
}

/** A verifier for the issuer's tokens; the key set is fetched on first use and cached by jose. */
export function externalTokenVerifier(settings: ExternalIssuer): TokenVerifier {
  let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const keySet = () => {
    keys ??= (
      settings.jwksUrl === undefined
        ? discoverJwksUrl(settings.issuer)
        : Promise.resolve(new URL(settings.jwksUrl))
    ).then((url) => createRemoteJWKSet(url));
    // a failed discovery is tried again with the next token, as the issuer may come back
    keys.catch(() => {
      keys = undefined;
    });
    return keys;
  };
  return async (token) => {
    const now = new Date();
    try {
      const { payload } = await jwtVerify(token, await keySet(), {
        algorithms: ALGORITHMS,
        issuer: settings.issuer,
        requiredClaims: ['sub', 'exp'],
        currentDate: now,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      checkAudience(payload, settings.audience);
      return verifiedClaims(payload, now);
    } catch (error) {
      // otherwise the key set could not be fetched: API Gateway refuses the token too
      throw (
        tokenRefusal(error) ??
        new InvalidTokenError(`the issuer's keys could not be read: ${(error as Error).message}`)
      );
    }
  };
}
