/** Drop-folder keys of incoming files, and the import id of a file dropped without one. */
import { createHash } from 'node:crypto';

export { type IncomingKey, parseIncomingKey } from '#shared/drop-folder.ts';

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
