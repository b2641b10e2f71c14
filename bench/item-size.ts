/**
 * Stored bytes of an item and of its index entries, by DynamoDB's published sizing rules (attribute
 * names and values in UTF-8, numbers about one byte per two significant digits, 3 bytes per map or list
 * plus 1 per element, 100 bytes of overhead per item and per index entry), with each index's projection
 * read from the one table definition, so the estimate follows the projections as they are.
 */
import { createTableInput, TABLE_PARTITION_KEY, TABLE_SORT_KEY } from '#storage/table-definition.ts';

/** Overhead DynamoDB bills per stored item and per index entry. */
const OVERHEAD_BYTES = 100;

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') {
    const digits = String(Math.abs(value))
      .replace(/[.e+-]/g, '')
      .replace(/^0+/, '').length;
    return Math.ceil(Math.max(1, digits) / 2) + 1;
  }
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, entry) => sum + 1 + valueBytes(entry), 0);
  if (typeof value === 'object')
    return 3 + attributesBytes(value as Record<string, unknown>) + Object.keys(value).length;
  return 0;
}

function attributesBytes(item: Record<string, unknown>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    bytes += Buffer.byteLength(name, 'utf8') + valueBytes(value);
  }
  return bytes;
}

/** The item's size as DynamoDB counts it for request units (without the storage overhead). */
export function itemBytes(item: Record<string, unknown>): number {
  return attributesBytes(item);
}

const INDEXES = createTableInput('size').GlobalSecondaryIndexes;

/** The bytes of each index entry the item has (keys for), without the overhead. */
function projectedBytes(item: Record<string, unknown>): number[] {
  const sizes: number[] = [];
  for (const index of INDEXES) {
    const [partition, sort] = index.KeySchema.map((key) => key.AttributeName);
    if (partition === undefined || item[partition] === undefined) continue;
    const projection = index.Projection as { ProjectionType: string; NonKeyAttributes?: string[] };
    const keyNames = [TABLE_PARTITION_KEY, TABLE_SORT_KEY, partition, sort ?? ''];
    const projected =
      projection.ProjectionType === 'ALL'
        ? item
        : Object.fromEntries(
            Object.entries(item).filter(
              ([name]) => keyNames.includes(name) || (projection.NonKeyAttributes ?? []).includes(name),
            ),
          );
    sizes.push(attributesBytes(projected));
  }
  return sizes;
}

/** The item's entries in the indexes it has keys for: their count and stored bytes, overhead included. */
export function indexEntries(item: Record<string, unknown>): { entries: number; bytes: number } {
  const sizes = projectedBytes(item);
  return { entries: sizes.length, bytes: sizes.reduce((sum, size) => sum + size + OVERHEAD_BYTES, 0) };
}

/** Write request units of a plain put of the item: 1 per started KB of it and of each index entry. */
export function putWriteUnits(item: Record<string, unknown>): number {
  const units = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
  return units(attributesBytes(item)) + projectedBytes(item).reduce((sum, size) => sum + units(size), 0);
}

/** Stored bytes of the item with its index entries, overheads included. */
export function storedBytes(item: Record<string, unknown>): number {
  return attributesBytes(item) + OVERHEAD_BYTES + indexEntries(item).bytes;
}
