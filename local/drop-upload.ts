/**
 * `PUT /_local/drop/<key>`: stands in for the presigned S3 upload URL that `POST /imports` hands out.
 * The body streams into a temporary file and is renamed into `$LOCAL_DIR/dropbox/<key>` only when complete,
 * so the drop-folder watcher never sees half a file.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type HttpAnswer, problemAnswer } from './http-result.ts';

export const DROP_UPLOAD_PREFIX = '/_local/drop/';
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
 * or undefined when the key is not under `incoming/` or tries to leave the drop folder.
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
  if (!safe || segments[0] !== 'incoming' || segments.length < 3) return undefined;
  return segments.join('/');
}

/** Receives one upload into `dropDir`; answers 200 with the content's MD5 as ETag, as S3 does. */
export async function receiveDropUpload(
  request: IncomingMessage,
  pathname: string,
  dropDir: string,
  maxBytes: number = MAX_UPLOAD_BYTES,
): Promise<HttpAnswer> {
  const key = dropKeyFromPath(pathname);
  if (key === undefined) {
    request.resume();
    return problemAnswer(
      400,
      'invalid-key',
      'uploads go to incoming/<source>/<...>/<file> without . or .. segments',
    );
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
