/**
 * The drop folder on one machine: `<root>/<key>` stands in for the bucket's objects. Upload URLs point
 * at the local server's `PUT /_local/drop/<key>` and are signed like S3's presigned URLs
 * (`upload-url.ts`), so the server takes a file only for the key, and before the expiry, it was issued for.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { DropStore } from '#shared/object-store.ts';
import { signUploadUrl } from './upload-url.ts';

/** How a drop store issues upload URLs. */
export interface UploadUrlIssuer {
  /** The local server's base URL, `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  /** Signs upload URLs (`deriveUploadKey`); the server checks them with the same key. */
  readonly uploadKey: Uint8Array;
  /** When upload URLs are issued; defaults to now. */
  readonly now?: () => Date;
}

/** A drop store over the folder `root`; without `uploads` it issues no upload URLs (a worker needs none). */
export function createFileDropStore(root: string, uploads?: UploadUrlIssuer): DropStore {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const path = resolve(base, key);
    if (!path.startsWith(base + sep)) throw new Error(`key ${key} leaves the drop folder`);
    return path;
  };
  return {
    async read(key) {
      return createReadStream(pathOf(key));
    },
    async head(key) {
      try {
        const info = await stat(pathOf(key));
        return { size: info.size };
      } catch {
        return undefined;
      }
    },
    async move(fromKey, toKey) {
      const target = pathOf(toKey);
      await mkdir(dirname(target), { recursive: true });
      try {
        await rename(pathOf(fromKey), target);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOENT') throw error;
      }
    },
    async put(key, body) {
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true });
      const temporary = join(dirname(target), `.${Date.now()}-${Math.random().toString(36).slice(2)}.tmp`);
      await writeFile(temporary, body);
      await rename(temporary, target);
    },
    async presignPut(key, expiresInSeconds) {
      if (uploads === undefined) throw new Error('this drop store issues no upload URLs');
      pathOf(key); // refuses a key that leaves the folder, as for every other operation
      return signUploadUrl({
        baseUrl: uploads.baseUrl,
        key,
        expiresInSeconds,
        uploadKey: uploads.uploadKey,
        now: uploads.now?.() ?? new Date(),
      });
    },
  };
}
