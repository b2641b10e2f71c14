/**
 * Pagination cursors as the API hands them out: opaque and signed. A cursor is the storage's position
 * (the encoded LastEvaluatedKey) with an HMAC-SHA256 over that position and the query it belongs to
 * (route, and the caller's role, department and district), so a cursor cannot be forged, altered, or
 * replayed on another query or by a caller of another scope.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Scope } from '#shared/auth.ts';
import { InvalidCursorError } from '#shared/errors.ts';
import { loadCursorKey } from '#storage/cursor-key.ts';
import type { StoreDeps } from '#storage/subject-store.ts';

/** The query a cursor belongs to: its route and what of the caller's scope decides what the route shows. */
export interface CursorContext {
  readonly route: string;
  readonly scope: Pick<Scope, 'role' | 'department' | 'district'>;
}

function mac(secret: Uint8Array, context: CursorContext, position: string): Buffer {
  const { role, department = '', district = '' } = context.scope;
  // JSON keeps the parts apart: no department name can make two contexts sign the same bytes
  const message = JSON.stringify([context.route, role, department, district, position]);
  return createHmac('sha256', secret).update(message, 'utf8').digest();
}

/** `<position>.<signature>`, both base64url (which has no dot). */
export function signCursor(secret: Uint8Array, context: CursorContext, position: string): string {
  return `${position}.${mac(secret, context, position).toString('base64url')}`;
}

/** The position a cursor carries, or `undefined` when it was not signed by this key for this context. */
export function verifyCursor(secret: Uint8Array, context: CursorContext, cursor: string): string | undefined {
  const dot = cursor.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const position = cursor.slice(0, dot);
  const signature = Buffer.from(cursor.slice(dot + 1), 'base64url');
  const expected = mac(secret, context, position);
  // base64url decoding skips foreign characters, so compare the canonical spelling as well
  if (signature.toString('base64url') !== cursor.slice(dot + 1)) return undefined;
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return undefined;
  return position;
}

/** One read of the key per table and Lambda instance (cold start); a failed read is tried again. */
const keysByTable = new Map<string, Promise<Buffer>>();

function cursorKey(store: Pick<StoreDeps, 'client' | 'tableName' | 'clock'>): Promise<Buffer> {
  let key = keysByTable.get(store.tableName);
  if (key === undefined) {
    key = loadCursorKey(store);
    keysByTable.set(store.tableName, key);
    key.catch(() => keysByTable.delete(store.tableName));
  }
  return key;
}

/** The storage position of the cursor a caller sent; a cursor this API did not issue for it is a 400. */
export async function openCursor(
  store: Pick<StoreDeps, 'client' | 'tableName' | 'clock'>,
  context: CursorContext,
  cursor: string | undefined,
): Promise<string | undefined> {
  if (cursor === undefined) return undefined;
  const position = verifyCursor(await cursorKey(store), context, cursor);
  if (position === undefined) throw new InvalidCursorError();
  return position;
}

/** The cursor to hand out for a storage position (none after the last page). */
export async function sealCursor(
  store: Pick<StoreDeps, 'client' | 'tableName' | 'clock'>,
  context: CursorContext,
  position: string | undefined,
): Promise<string | undefined> {
  return position === undefined ? undefined : signCursor(await cursorKey(store), context, position);
}
