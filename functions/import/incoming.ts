/** Drop-folder keys of incoming files, and the import id of a file dropped without one. */
import { createHash } from 'node:crypto';

export interface IncomingKey {
  readonly source: string;
  readonly importId?: string;
  readonly fileName: string;
}

const IMPORT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `incoming/<source>/[<importId>/]<fileName>`; undefined for keys outside the drop folder's inbox. */
export function parseIncomingKey(key: string): IncomingKey | undefined {
  const parts = key.split('/');
  if (parts[0] !== 'incoming' || parts.length < 3) return undefined;
  const source = parts[1] ?? '';
  const rest = parts.slice(2);
  if (rest.length >= 2 && IMPORT_ID.test(rest[0] ?? '')) {
    return { source, importId: rest[0] as string, fileName: rest.slice(1).join('/') };
  }
  const fileName = rest.join('/');
  return fileName === '' ? undefined : { source, fileName };
}

/**
 * A drop-folder file has no id of its own: the same object (key and version) always gets the same one.
 * It is a UUID of version 8 (RFC 9562, custom) with the RFC variant, so that the API's UUID check on
 * `/imports/{importId}` accepts it like the random ids of uploads.
 */
export function importIdForObject(
  key: string,
  eTag: string | undefined,
  sequencer: string | undefined,
): string {
  const hex = createHash('sha256')
    .update(`${key}\n${eTag ?? ''}\n${sequencer ?? ''}`)
    .digest('hex');
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
