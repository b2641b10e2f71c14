/**
 * The drop folder's layout and the import queue's own messages, in one place: the stack sets its
 * lifecycle rules and notifications from these prefixes, the API builds upload keys with them, the worker
 * reads keys with them, and the local runtime lays out its folder the same way.
 */
import * as z from 'zod';

/** Key prefixes of the drop-folder bucket. */
export const DROP_PREFIX = {
  incoming: 'incoming/',
  processed: 'processed/',
  rejected: 'rejected/',
  reports: 'reports/',
  /** Answers the system writes for a sender to collect: `outgoing/check/<name>-结果.csv`. */
  outgoing: 'outgoing/',
  /** Evidence files of exit submissions (`evidence/<department>/<uploadId>/<file>`): kept, never imported. */
  evidence: 'evidence/',
} as const;

/** The folder under `incoming/` for files of codes to check (joint-punishment check), not imported. */
export const CHECK_SOURCE = 'check';

/** The id of an import, as the API issues it and as a folder under `incoming/<source>/` carries it. */
export const IMPORT_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface IncomingKey {
  readonly source: string;
  /** Present for a file uploaded through the API, which puts it in a folder named by its import. */
  readonly importId?: string;
  readonly fileName: string;
}

/** The key an API upload goes to: `incoming/<source>/<importId>/<fileName>`. */
export function incomingKey(key: Required<IncomingKey>): string {
  return `${DROP_PREFIX.incoming}${key.source}/${key.importId}/${key.fileName}`;
}

/** `incoming/<source>/[<importId>/]<fileName>`; undefined for keys outside the drop folder's inbox. */
export function parseIncomingKey(key: string): IncomingKey | undefined {
  if (!key.startsWith(DROP_PREFIX.incoming)) return undefined;
  const parts = key.split('/');
  if (parts.length < 3) return undefined;
  const source = parts[1] ?? '';
  const rest = parts.slice(2);
  if (rest.length >= 2 && IMPORT_ID_PATTERN.test(rest[0] ?? '')) {
    return { source, importId: rest[0] as string, fileName: rest.slice(1).join('/') };
  }
  const fileName = rest.join('/');
  return fileName === '' ? undefined : { source, fileName };
}

/** Our own messages on the import queue, beside S3's notifications: a file chunk, a released push. */
export const importMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('import-chunk'), importId: z.string(), chunk: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('import-release'), importId: z.string() }),
]);

export type ImportMessage = z.infer<typeof importMessageSchema>;

/** The body of a queue message, checked against the schema the worker reads it with. */
export function importMessageBody(message: ImportMessage): string {
  return JSON.stringify(importMessageSchema.parse(message));
}
