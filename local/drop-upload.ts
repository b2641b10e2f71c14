/**
 * `PUT /_local/drop/<key>?X-Local-Expires=…&X-Local-Signature=…`: stands in for the presigned S3 upload
 * URL that `POST /imports` hands out. Like S3, it takes a file only with a signature made for exactly this
 * key (so for this source and import) and before the URL's expiry; anything else is a 403. The body
 * streams into a temporary file and is renamed into `$LOCAL_DIR/dropbox/<key>` only when complete, so the
 * drop-folder watcher never sees half a file.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkUploadUrl, DROP_UPLOAD_PREFIX, type UploadUrlProblem } from './adapters/upload-url.ts';
import { type HttpAnswer, problemAnswer } from './http-result.ts';

export { DROP_UPLOAD_PREFIX };
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

/** The upload was larger than allowed. */
export class UploadTooLargeError extends Error {
  constructor(limit: number) {
    super(`the upload exceeds ${limit} bytes`);
    this.name = 'UploadTooLargeError';
  }
}

/**
 * The object key of an upload path (`/_local/drop/incoming/push/<id>/%E5%90%8D%E5%8D%95.csv`), decoded,
 * or undefined when the key is not under `incoming/` (files to import) or `evidence/` (exit evidence,
 * which the watcher never sees) or tries to leave the drop folder.
 */
export function dropKeyFromPath(pathname: string): string | undefined {
  if (!pathname.startsWith(DROP_UPLOAD_PREFIX)) return undefined;
  let segments: string[];
  try {
    segments = pathname.slice(DROP_UPLOAD_PREFIX.length).split('/').map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const safe = segments.every(
    (segment) => segment !== '' && segment !== '.' && segment !== '..' && !/[/\\\0]/.test(segment),
  );
  if (!safe || !UPLOAD_ROOTS.has(segments[0] ?? '') || segments.length < 3) return undefined;
  return segments.join('/');
}

/** The top folders uploads may go to. */
const UPLOAD_ROOTS = new Set(['incoming', 'evidence']);

/** Stands in when the server was given no key: nobody holds it, so every upload is refused. */
const UNKNOWN_KEY = new Uint8Array(randomBytes(32));

/** The refusals of an upload URL, in the words the clerk reads. */
const REFUSALS: Record<UploadUrlProblem, { code: string; detail: string }> = {
  unsigned: {
    code: 'upload-url-unsigned',
    detail: '上传地址缺少签名或有效期：请使用 POST /imports 返回的 uploadUrl 上传文件。',
  },
  expired: {
    code: 'upload-url-expired',
    detail: '上传地址已过期：请重新调用 POST /imports 获取新的上传地址。',
  },
  'bad-signature': {
    code: 'upload-url-invalid',
    detail: '上传地址的签名无效：该地址不是为这个文件路径签发的，或已被改动。',
  },
};

/** Where and how uploads are received. */
export interface DropUploadOptions {
  /** `$LOCAL_DIR/dropbox`. */
  readonly dropDir: string;
  /** The key upload URLs are signed with (`deriveUploadKey`); without one, no signature is valid. */
  readonly uploadKey?: Uint8Array | undefined;
  readonly maxBytes?: number | undefined;
  /** The clock expiries are checked against; defaults to now. */
  readonly now?: () => Date;
}

/** The request's path (still percent-encoded) and query string. */
export interface UploadTarget {
  readonly pathname: string;
  readonly query: string;
}

/**
 * Receives one upload into the drop folder; answers 200 with the content's MD5 as ETag, as S3 does, and
 * 403 (nothing read or kept) when the URL is not signed for this key or has expired.
 */
export async function receiveDropUpload(
  request: IncomingMessage,
  location: UploadTarget,
  options: DropUploadOptions,
): Promise<HttpAnswer> {
  const { dropDir, maxBytes = MAX_UPLOAD_BYTES } = options;
  const key = dropKeyFromPath(location.pathname);
  if (key === undefined) {
    request.resume();
    return problemAnswer(
      400,
      'invalid-key',
      'uploads go to incoming/<source>/<...>/<file> or evidence/<...>/<file> without . or .. segments',
    );
  }
  const uploadKey = options.uploadKey ?? UNKNOWN_KEY;
  const problem = checkUploadUrl(uploadKey, key, location.query, options.now?.() ?? new Date());
  if (problem !== undefined) {
    request.resume();
    return problemAnswer(403, REFUSALS[problem].code, REFUSALS[problem].detail);
  }
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) {
    request.resume();
    return problemAnswer(413, 'payload-too-large', `the upload exceeds ${maxBytes} bytes`);
  }
  const temporaryDir = join(dropDir, '.tmp');
  await mkdir(temporaryDir, { recursive: true });
  const temporary = join(temporaryDir, randomUUID());
  const hash = createHash('md5');
  let received = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > maxBytes) return callback(new UploadTooLargeError(maxBytes));
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(request, meter, createWriteStream(temporary, { flags: 'wx' }));
    const target = join(dropDir, ...key.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    if (error instanceof UploadTooLargeError) {
      request.resume();
      return problemAnswer(413, 'payload-too-large', error.message);
    }
    throw error;
  }
  return {
    statusCode: 200,
    headers: { etag: `"${hash.digest('hex')}"` },
    cookies: [],
    body: Buffer.alloc(0),
  };
}
