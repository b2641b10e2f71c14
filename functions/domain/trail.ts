/**
 * The change trail: who changed what, why, and what it was before. Every item a person may change
 * carries `changedBy` (who made its last change and why); the trail function turns each change the
 * table's stream reports into one entry from the item's old and new image. No code path writes history
 * of its own, so none can forget to, and a killed writer loses nothing: the stream has the change.
 */

/** Why a change happened: the import, request, exit submission or schedule run that made it. */
export interface ChangeCause {
  readonly kind: 'import' | 'request' | 'exit' | 'schedule' | 'system';
  /** The import id, request id, exit id or run id. */
  readonly id: string;
}

/** Who made an item's last change, and why; stored on the item itself. */
export interface ChangedBy {
  /** The token's subject, or the job's name (`import-worker`, `drop-folder`). */
  readonly principal: string;
  readonly role: string;
  readonly department?: string;
  readonly district?: string;
  readonly cause: ChangeCause;
  /** The reason the person gave, where they gave one. */
  readonly reason?: string;
}

/** The attribute that carries {@link ChangedBy} on every audited item. */
export const CHANGED_BY = 'changedBy';

/**
 * Item types whose changes the trail records. The stack's stream filter and the local stream reader
 * both take this list, so the trail never sees its own entries.
 */
export const AUDITED_TYPES = [
  'subject',
  'listing',
  'import',
  'exit',
  'enterprise-count',
  'benchmark',
  'campaign',
  'evaluation',
  'plan',
  'action',
  'check',
  'triage-job',
  'exit-report',
] as const;
export type AuditedType = (typeof AUDITED_TYPES)[number];

export function isAuditedType(type: unknown): type is AuditedType {
  return typeof type === 'string' && (AUDITED_TYPES as readonly string[]).includes(type);
}

/** Attributes that are bookkeeping, not facts: their changes alone make no trail entry. */
const BOOKKEEPING = new Set(['version', 'updatedAt', CHANGED_BY, 'type', 'PK', 'SK']);
const INDEX_KEY = /^GSI\d+(PK|SK)$/;

function isFact(attribute: string): boolean {
  return !BOOKKEEPING.has(attribute) && !INDEX_KEY.test(attribute);
}

/** One attribute's value before and after; absent on a side where the attribute did not exist. */
export interface FieldChange {
  readonly before?: unknown;
  readonly after?: unknown;
}

/** One change of one item, as the trail keeps it. */
export interface TrailEntry {
  /** The changed item's type and key. */
  readonly itemType: AuditedType;
  readonly itemKey: { readonly PK: string; readonly SK: string };
  readonly event: 'created' | 'changed';
  /** The item's version after the change, where the item keeps one: one entry per version. */
  readonly version?: number;
  /** When the change was made: the item's own `updatedAt`, else the stream's time. */
  readonly at: string;
  /** Who and why; undefined only when the writer failed to say, which the trail reports. */
  readonly changedBy?: ChangedBy;
  /** The facts that changed, attribute by attribute. */
  readonly changes: Readonly<Record<string, FieldChange>>;
}

export interface ItemChange {
  readonly oldImage?: Record<string, unknown>;
  readonly newImage?: Record<string, unknown>;
  /** The stream record's approximate creation time, as a fallback for `at`. */
  readonly streamTime: Date;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Key order must not make two equal maps differ (DynamoDB does not keep a map's order). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value instanceof Set) return [...value].map(canonical).sort();
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((name) => [name, canonical((value as Record<string, unknown>)[name])]),
    );
  }
  return value;
}

/** The facts that differ between two images. */
export function changedFacts(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  for (const name of [...names].sort()) {
    if (!isFact(name)) continue;
    const old = before?.[name];
    const next = after[name];
    if (sameValue(old, next)) continue;
    changes[name] = {
      ...(old === undefined ? {} : { before: old }),
      ...(next === undefined ? {} : { after: next }),
    };
  }
  return changes;
}

/**
 * The trail entry of one item change, or undefined when the item is not audited, was removed (nothing
 * is deleted here but expired idempotency records, which are not audited), or no fact changed.
 */
export function trailEntryOf(change: ItemChange): TrailEntry | undefined {
  const { oldImage, newImage } = change;
  if (newImage === undefined || !isAuditedType(newImage.type)) return undefined;
  const changes = changedFacts(oldImage, newImage);
  if (Object.keys(changes).length === 0) return undefined;
  const changedBy = newImage[CHANGED_BY] as ChangedBy | undefined;
  const updatedAt = typeof newImage.updatedAt === 'string' ? newImage.updatedAt : undefined;
  return {
    itemType: newImage.type,
    itemKey: { PK: String(newImage.PK), SK: String(newImage.SK) },
    event: oldImage === undefined ? 'created' : 'changed',
    ...(typeof newImage.version === 'number' ? { version: newImage.version } : {}),
    at: updatedAt ?? change.streamTime.toISOString(),
    ...(changedBy === undefined ? {} : { changedBy }),
    changes,
  };
}
