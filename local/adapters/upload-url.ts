/**
 * Signed upload URLs for the local drop folder, in place of S3's presigned ones. The URL carries the
 * object key in its path, an expiry and an HMAC-SHA256 over both, keyed by a secret only the local
 * runtime holds (derived from `$LOCAL_DIR/jwt-secret`, never part of a Lambda). The key names the source
 * and the import (`incoming/<source>/<importId>/<file>`), so a URL opens exactly one upload.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** Where the local server receives uploads: `PUT /_local/drop/<key>`. */
export const DROP_UPLOAD_PREFIX = '/_local/drop/';
export const EXPIRES_PARAMETER = 'X-Local-Expires';
export const SIGNATURE_PARAMETER = 'X-Local-Signature';

/** Why an upload URL was refused. */
export type UploadUrlProblem = 'unsigned' | 'expired' | 'bad-signature';

/**
 * The key upload URLs are signed with, derived from the token secret so that the runtime keeps one
 * secret file, and so that an upload signature can never pass for a token's or the other way round.
 */
export function deriveUploadKey(tokenSecret: Uint8Array): Uint8Array {
  return new Uint8Array(
    hkdfSync('sha256', tokenSecret, new Uint8Array(0), 'credit-governance local upload URL', 32),
  );
}

/** What is signed: the method, the decoded object key and the expiry, one per line. */
function signature(uploadKey: Uint8Array, key: string, expiresAt: number): Buffer {
  return createHmac('sha256', uploadKey).update(`PUT\n${key}\n${expiresAt}`).digest();
}

/** The path of an object key on the local server: each segment percent-encoded. */
export function uploadPath(key: string): string {
  return `${DROP_UPLOAD_PREFIX}${key.split('/').map(encodeURIComponent).join('/')}`;
}

export interface SignedUploadUrlInput {
  readonly baseUrl: string;
  readonly key: string;
  readonly expiresInSeconds: number;
  readonly uploadKey: Uint8Array;
  readonly now: Date;
}

/** `<baseUrl>/_local/drop/<key>?X-Local-Expires=<unix seconds>&X-Local-Signature=<hex>`. */
export function signUploadUrl(input: SignedUploadUrlInput): string {
  const expiresAt = Math.floor(input.now.getTime() / 1000) + input.expiresInSeconds;
  const query = new URLSearchParams({
    [EXPIRES_PARAMETER]: String(expiresAt),
    [SIGNATURE_PARAMETER]: signature(input.uploadKey, input.key, expiresAt).toString('hex'),
  });
  return `${input.baseUrl.replace(/\/$/, '')}${uploadPath(input.key)}?${query}`;
}

/**
 * Checks an upload request's query against the decoded key of its path: undefined when the URL was
 * issued for exactly this key and has not expired, else why not.
 */
export function checkUploadUrl(
  uploadKey: Uint8Array,
  key: string,
  rawQueryString: string,
  now: Date,
): UploadUrlProblem | undefined {
  const query = new URLSearchParams(rawQueryString);
  const expires = query.get(EXPIRES_PARAMETER);
  const given = query.get(SIGNATURE_PARAMETER);
  if (expires === null || given === null) return 'unsigned';
  if (!/^\d{1,12}$/.test(expires) || !/^[0-9a-f]{64}$/.test(given)) return 'bad-signature';
  const expiresAt = Number(expires);
  // The signature first, so that an altered expiry reads as a bad signature, not as an expired URL.
  if (!timingSafeEqual(Buffer.from(given, 'hex'), signature(uploadKey, key, expiresAt)))
    return 'bad-signature';
  if (now.getTime() >= expiresAt * 1000) return 'expired';
  return undefined;
}
