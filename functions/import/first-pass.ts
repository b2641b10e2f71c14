/**
 * Pass 1 over a dropped file, before anything is written: its sha256 (for duplicates), taken from the
 * same read as the scan of its rows (a file that cannot be read is rejected whole), and the diff of a
 * full push against the listings its scope has active.
 */
import { createHash } from 'node:crypto';
import type { DropStore } from '#shared/object-store.ts';
import {
  activeListingsInScope,
  diffScope,
  type ListingKeys,
  type ListingRefInScope,
  listingKeyOf,
} from './diff.ts';
import { FULL_PUSH_SOURCES, type ImportRecord } from './model.ts';
import { FileRejectedError } from './parse/errors.ts';
import { OrgCodeResolver } from './prepare-rows.ts';
import { interpretRow } from './row-rules.ts';
import { numberedRows } from './row-stream.ts';
import { type ImportDeps, streamOptions } from './run-context.ts';

export interface ScanResult {
  readonly rows: number;
  /** Listing keys the file carries, for the diff of a full push. */
  readonly seen: ListingKeys;
  /** Ordinals of the rows that list again a listing an earlier row of the file lists, in file order. */
  readonly repeated: readonly number[];
  /** The list types of its listing rows, in the order they first appear. */
  readonly listTypes: ReadonlySet<string>;
}

/** Hashes the bytes of the reads it serves; refuses the file as soon as it is larger than the limit. */
class HashingReader {
  private readonly hash = createHash('sha256');
  private size = 0;
  private complete = false;

  constructor(
    private readonly drop: DropStore,
    private readonly maxBytes: number,
  ) {}

  /** The drop store, its reads passing through the hash. */
  get store(): DropStore {
    return { ...this.drop, read: async (key) => this.tee(await this.drop.read(key)) };
  }

  private async *tee(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      this.size += chunk.byteLength;
      if (this.size > this.maxBytes) throw new FileRejectedError('too-large');
      this.hash.update(chunk);
      yield chunk;
    }
    this.complete = true;
  }

  /** The sha256 of the whole file; undefined when the read stopped before its end. */
  digest(): string | undefined {
    return this.complete ? this.hash.digest('hex') : undefined;
  }
}

/** The sha256 of a dropped file; refuses it as soon as it is larger than the limit, and when empty. */
export async function hashObject(deps: ImportDeps, key: string): Promise<string> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of await deps.drop.read(key)) {
    size += chunk.byteLength;
    if (size > deps.settings.maxBytes) throw new FileRejectedError('too-large');
    hash.update(chunk);
  }
  if (size === 0) throw new FileRejectedError('empty');
  return hash.digest('hex');
}

/**
 * Pass 1 in one read of the file: its hash and its scan. Size and emptiness are checked first, as the
 * separate hash did, so that a too-large or empty file is refused for that and not for its contents.
 */
export async function hashAndScan(
  deps: ImportDeps,
  record: ImportRecord,
): Promise<{ sha256: string; scan: ScanResult }> {
  const key = record.key as string;
  const size = (await deps.drop.head(key))?.size;
  if (size !== undefined && size > deps.settings.maxBytes) throw new FileRejectedError('too-large');
  if (size === 0) throw new FileRejectedError('empty');
  const reader = new HashingReader(deps.drop, deps.settings.maxBytes);
  const scan = await scanFile(deps, record, reader.store);
  // a parser that stopped short of the end leaves the hash incomplete: hash the file on its own
  const sha256 = reader.digest() ?? (await hashObject(deps, key));
  return { sha256, scan };
}

/**
 * Reads every row without writing, so that a file that cannot be read is rejected whole; notes the
 * listings the file carries and the rows that repeat one, however far apart.
 */
export async function scanFile(
  deps: ImportDeps,
  record: ImportRecord,
  drop: DropStore = deps.drop,
): Promise<ScanResult> {
  // listings of valid rows, and those of rows too broken to write that still name one (so that the diff
  // does not call it missing); only the former make a later row a repeat
  const listed = new Set<string>();
  const named = new Set<string>();
  const repeated: number[] = [];
  const fullPush = FULL_PUSH_SOURCES.includes(record.source);
  const orgCodes = new OrgCodeResolver(deps.store);
  const listTypes = new Set<string>();
  let rows = 0;
  for await (const numbered of numberedRows(drop, record.key as string, streamOptions(deps, record))) {
    rows++;
    if (!fullPush) continue;
    const outcome = interpretRow(numbered.row, numbered.context);
    if (outcome.kind === 'invalid' && outcome.names !== undefined) named.add(listingKeyOf(outcome.names));
    if (outcome.kind !== 'listing') continue;
    listTypes.add(outcome.listing.listType);
    const uscc =
      'uscc' in outcome.identity ? outcome.identity.uscc : await orgCodes.resolve(outcome.identity.orgCode);
    if (uscc === undefined) continue;
    const key = listingKeyOf({ uscc, listType: outcome.listing.listType, key: outcome.listing.key });
    if (listed.has(key)) repeated.push(numbered.ordinal);
    else listed.add(key);
  }
  const seen: ListingKeys = { has: (key) => listed.has(key) || named.has(key) };
  return { rows, seen, repeated, listTypes };
}

/** Counts the scope's active listings and those the file lacks; `onMissing` sees each of the latter. */
export async function computeDiff(
  deps: ImportDeps,
  record: ImportRecord,
  seen: ListingKeys,
  onMissing: (listing: ListingRefInScope) => Promise<void> = async () => undefined,
) {
  const scope = diffScope(record.source, record.createdBy?.department);
  let activeBefore = 0;
  let missing = 0;
  for await (const page of activeListingsInScope(deps.store, scope)) {
    activeBefore += page.length;
    for (const listing of page) {
      if (seen.has(listingKeyOf(listing))) continue;
      missing++;
      await onMissing(listing);
    }
  }
  return { scope: scope.label, activeBefore, missing };
}
