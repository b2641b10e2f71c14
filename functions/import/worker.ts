/**
 * The import worker: one drop-folder file from S3 event to receipt. Pass 1 reads the whole file
 * without writing (a bad file is rejected whole, nothing written); a full push that would flag too
 * much is held; then rows are written in chunks, each resuming from its checkpoint; the last chunk
 * flags what the push no longer carries, closes the receipt, moves the file and asks for triage.
 */
import { createHash } from 'node:crypto';
import { shanghaiDate } from '#domain/model.ts';
import type { Logger } from '#shared/logger.ts';
import type { DropStore } from '#shared/object-store.ts';
import { readAhead } from '#shared/read-ahead.ts';
import type { WorkQueue } from '#shared/work-queue.ts';
import type { Actor, ListingRef, StoreDeps } from '#storage/subject-store.ts';
import {
  type ChunkCursor,
  type ChunkPosition,
  ChunkTakenOverError,
  commitGroup,
  prepareGroup,
  type ReadyRow,
  usccOf,
} from './apply-group.ts';
import {
  activeListingsInScope,
  diffScope,
  flagMissing,
  type ListingKeys,
  type ListingRefInScope,
  listingKeyOf,
} from './diff.ts';
import { planGroups } from './grouping.ts';
import {
  type ChunkState,
  claimContentHash,
  createChunks,
  createImport,
  getChunk,
  getChunks,
  getImport,
  markChunkDone,
  sumCounts,
  updateImport,
  writeRowErrors,
} from './import-store.ts';
import {
  emptyCounts,
  FULL_PUSH_SOURCES,
  IMPORT_SOURCES,
  type ImportCounts,
  type ImportRecord,
  type ImportSource,
} from './model.ts';
import { FileRejectedError } from './parse/errors.ts';
import { OrgCodeResolver, prepareRows } from './prepare-rows.ts';
import { writeImportReceipt } from './receipt-files.ts';
import { inRowBitmap, rowBitmap } from './row-bitmap.ts';
import { interpretRow } from './row-rules.ts';
import { type NumberedRow, numberedRows } from './row-stream.ts';

export interface ImportSettings {
  /** Rows per chunk; a file with more is split and its chunks run in parallel through the queue. */
  readonly chunkRows: number;
  readonly maxBytes: number;
  readonly maxRows: number;
  /** Share of the scope's active listings a push may flag as missing before it is held. */
  readonly holdThreshold: number;
  /**
   * Rows read ahead and planned together into transaction groups. More rows make fuller groups with
   * fewer district counters each; a retried worker re-reads at most this many rows.
   */
  readonly bufferRows: number;
}

export const DEFAULT_IMPORT_SETTINGS: ImportSettings = {
  chunkRows: 50_000,
  maxBytes: 200 * 1024 * 1024,
  maxRows: 1_000_000,
  holdThreshold: 0.3,
  bufferRows: 2_000,
};

export interface ImportDeps {
  readonly store: StoreDeps;
  readonly drop: DropStore;
  /** Where chunk messages go; without it every chunk runs in this invocation. */
  readonly queue?: WorkQueue;
  readonly settings: ImportSettings;
  /**
   * Asks for triage (the classify job) of the listings an import changed, and of every listing of the
   * subjects whose registry facts changed: triage depends on status and flags.
   */
  readonly requestClassification: (request: {
    importId: string;
    listings: readonly ListingRef[];
    subjects: readonly string[];
  }) => Promise<void>;
  readonly log: Logger;
}

/** Our own messages on the import queue, beside S3's notifications. */
export type ImportMessage =
  | { readonly kind: 'import-chunk'; readonly importId: string; readonly chunk: number }
  | { readonly kind: 'import-release'; readonly importId: string };

/**
 * Who and why for everything an import writes: the person who uploaded it through the API, or the drop
 * folder; the cause is the import. Every item it writes carries this, and the trail reads it.
 */
export function importActor(record: Pick<ImportRecord, 'importId' | 'createdBy'>): Actor {
  const uploader = record.createdBy;
  return {
    principal: uploader?.principal ?? 'drop-folder',
    role: uploader?.role ?? 'system',
    ...(uploader?.department === undefined ? {} : { department: uploader.department }),
    cause: { kind: 'import', id: record.importId },
  };
}
/**
 * Groups read and planned ahead of the one being committed: enough to cover a group whose reads take
 * longer than a commit, or the start of a new buffer.
 */
const GROUPS_AHEAD = 2;
const TERMINAL = new Set(['succeeded', 'rejected', 'duplicate']);

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

function targetKey(prefix: 'processed' | 'rejected', record: ImportRecord): string {
  return `${prefix}/${record.source}/${record.importId}/${record.fileName}`;
}

function isSource(source: string): source is ImportSource {
  return (IMPORT_SOURCES as readonly string[]).includes(source);
}

/** Handles one S3 ObjectCreated notification for the drop folder. */
export async function importObject(
  deps: ImportDeps,
  object: { key: string; eTag?: string; sequencer?: string },
): Promise<void> {
  const incoming = parseIncomingKey(object.key);
  if (incoming === undefined) {
    deps.log.warn('ignoring an object outside incoming/', { key: object.key });
    return;
  }
  const importId = incoming.importId ?? importIdForObject(object.key, object.eTag, object.sequencer);
  const now = deps.store.clock.now().toISOString();
  const record = await createImport(deps.store, {
    importId,
    // an unknown source is recorded as given, then rejected with the reason
    source: incoming.source as ImportSource,
    fileName: incoming.fileName,
    key: object.key,
    status: 'queued',
    createdAt: now,
    changedBy: importActor({ importId }),
  });
  if (TERMINAL.has(record.status)) {
    await settleFinishedImport(deps, record, object.key);
    return;
  }
  if (record.status === 'held') return;
  if ((await deps.drop.head(object.key)) === undefined) {
    deps.log.warn('the object is gone; a repeated notification', { key: object.key, importId });
    return;
  }
  if (!isSource(incoming.source)) {
    await reject(
      deps,
      { ...record, key: object.key },
      'unknown-source',
      `未知的数据来源目录“${incoming.source}”，请放入 ${IMPORT_SOURCES.join('、')} 之一`,
    );
    return;
  }
  await runImport(deps, { ...record, key: object.key }, { released: false });
}

/**
 * A notification for an import that is finished. Either the first delivery's move was interrupted (the
 * archived copy holds the same bytes: finish the move), or someone PUT another file to a used upload
 * URL: that file is not imported under the old receipt but set aside in rejected/ with a report.
 */
async function settleFinishedImport(
  deps: ImportDeps,
  record: ImportRecord,
  incomingKey: string,
): Promise<void> {
  if (record.key === undefined || record.key === incomingKey) return;
  if ((await deps.drop.head(incomingKey)) === undefined) return;
  const unhashable = () => undefined;
  if ((await deps.drop.head(record.key)) === undefined) {
    // the first delivery's copy never landed: finish its move
    await deps.drop.move(incomingKey, record.key);
    return;
  }
  // a copy that cannot be hashed (empty, or over the size limit) counts as unlike any other
  const archived = await hashObject(deps, record.key).catch(unhashable);
  if (archived !== undefined && archived === (await hashObject(deps, incomingKey).catch(unhashable))) {
    await deps.drop.move(incomingKey, record.key);
    return;
  }
  const stamp = deps.store.clock.now().toISOString().replace(/[:.]/g, '-');
  const setAside = `rejected/${record.source}/${record.importId}/reupload-${stamp}-${record.fileName}`;
  await deps.drop.move(incomingKey, setAside);
  await deps.drop.put(
    `${setAside}.错误报告.txt`,
    `文件：${record.fileName}\n导入批次：${record.importId}\n结果：未导入\n原因：该上传地址对应的导入已经结束（${record.status}），同一地址再次上传的文件不会导入，请重新申请上传地址后上传\n`,
    'text/plain; charset=utf-8',
  );
  deps.log.warn('a file was uploaded again to a finished import; set aside', { importId: record.importId });
}

/** Continues a held import the city released. */
export async function releaseImport(deps: ImportDeps, importId: string): Promise<void> {
  const record = await getImport(deps.store, importId);
  if (record === undefined || record.status !== 'running' || record.key === undefined) return;
  await runImport(deps, record, { released: true });
}

async function runImport(
  deps: ImportDeps,
  record: ImportRecord,
  options: { released: boolean },
): Promise<void> {
  const key = record.key as string;
  const startedAt = record.startedAt ?? deps.store.clock.now().toISOString();
  await updateImport(deps.store, record.importId, importActor(record), { status: 'running', startedAt }, [
    'queued',
    'running',
  ]);
  const log = deps.log.child({ importId: record.importId, source: record.source });

  const existing = await getChunks(deps.store, record.importId);
  // the listing keys the file carries, kept from the scan so that finishing in this invocation
  // need not read the file a third time
  let seen: ListingKeys | undefined;
  if (existing.length === 0) {
    let sha256: string;
    let scan: ScanResult;
    try {
      sha256 = await hashObject(deps, key);
      scan = await scanFile(deps, record);
    } catch (error) {
      if (error instanceof FileRejectedError) {
        await reject(deps, record, error.reason, error.message);
        return;
      }
      throw error;
    }
    const duplicateOf = await claimContentHash(deps.store, record, sha256);
    if (duplicateOf !== undefined) {
      await updateImport(deps.store, record.importId, importActor(record), {
        status: 'duplicate',
        sha256,
        duplicateOf,
        key: targetKey('processed', record),
        finishedAt: deps.store.clock.now().toISOString(),
      });
      await deps.drop.move(key, targetKey('processed', record));
      await writeImportReceipt(deps, record.importId);
      log.info('duplicate file', { duplicateOf });
      return;
    }
    await updateImport(deps.store, record.importId, importActor(record), {
      sha256,
      ...(scan.listTypes.size === 0 ? {} : { listTypes: [...scan.listTypes] }),
    });

    if (FULL_PUSH_SOURCES.includes(record.source)) {
      // measured before anything is written: the receipt's 'active before' and the hold decision
      const result = await computeDiff(deps, record, scan.seen);
      const share = result.activeBefore === 0 ? 0 : result.missing / result.activeBefore;
      const diff = {
        scope: result.scope,
        activeBefore: result.activeBefore,
        missing: result.missing,
        share,
        threshold: deps.settings.holdThreshold,
      };
      if (!options.released && share > deps.settings.holdThreshold) {
        await updateImport(deps.store, record.importId, importActor(record), {
          status: 'held',
          diff,
          heldMessage: `本次推送缺少 ${result.missing} 条原有效名单（占 ${(100 * share).toFixed(1)}%，超过 ${(100 * deps.settings.holdThreshold).toFixed(0)}% 的阈值），已暂停导入，请市信用办核实后确认放行`,
        });
        await writeImportReceipt(deps, record.importId);
        log.warn('push held', diff);
        return;
      }
      await updateImport(deps.store, record.importId, importActor(record), { diff });
    }
    seen = scan.seen;
    const ranges = splitRanges(scan.rows, deps.settings.chunkRows).map((range) => {
      const repeatedRows = rowBitmap(range.fromRow, range.toRow, scan.repeated);
      return repeatedRows === undefined ? range : { ...range, repeatedRows };
    });
    await createChunks(deps.store, record.importId, ranges);
    await updateImport(deps.store, record.importId, importActor(record), { chunks: ranges.length });
  }

  const chunks = existing.length > 0 ? existing : await getChunks(deps.store, record.importId);
  if (chunks.length > 1 && deps.queue !== undefined) {
    for (const chunk of chunks) {
      if (!chunk.done)
        await deps.queue.send(
          JSON.stringify({ kind: 'import-chunk', importId: record.importId, chunk: chunk.chunk }),
        );
    }
    log.info('file split into chunks', { chunks: chunks.length });
    return;
  }
  for (const chunk of chunks) await processChunk(deps, record.importId, chunk.chunk, seen);
}

/** Ranges of row ordinals, one per chunk; a file with no data rows still has one (empty) chunk. */
export function splitRanges(rows: number, chunkRows: number): { fromRow: number; toRow: number }[] {
  const ranges = [];
  for (let from = 0; from < Math.max(rows, 1); from += chunkRows) {
    ranges.push({ fromRow: from, toRow: Math.min(rows, from + chunkRows) - 1 });
  }
  return ranges;
}

/** The sha256 of a dropped file; refuses it as soon as it is larger than the limit, and when empty. */
async function hashObject(deps: ImportDeps, key: string): Promise<string> {
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

interface ScanResult {
  readonly rows: number;
  /** Listing keys the file carries, for the diff of a full push. */
  readonly seen: ListingKeys;
  /** Ordinals of the rows that list again a listing an earlier row of the file lists, in file order. */
  readonly repeated: readonly number[];
  /** The list types of its listing rows, in the order they first appear. */
  readonly listTypes: ReadonlySet<string>;
}

function streamOptions(deps: ImportDeps, record: ImportRecord) {
  return {
    source: record.source,
    fileName: record.fileName,
    maxBytes: deps.settings.maxBytes,
    maxRows: deps.settings.maxRows,
    ...(record.createdBy?.department === undefined ? {} : { department: record.createdBy.department }),
  };
}

/**
 * Pass 1: reads every row without writing, so that a file that cannot be read is rejected whole; notes
 * the listings the file carries and the rows that repeat one, however far apart.
 */
async function scanFile(deps: ImportDeps, record: ImportRecord): Promise<ScanResult> {
  // listings of valid rows, and those of rows too broken to write that still name one (so that the diff
  // does not call it missing); only the former make a later row a repeat
  const listed = new Set<string>();
  const named = new Set<string>();
  const repeated: number[] = [];
  const fullPush = FULL_PUSH_SOURCES.includes(record.source);
  const orgCodes = new OrgCodeResolver(deps.store);
  const listTypes = new Set<string>();
  let rows = 0;
  for await (const numbered of numberedRows(deps.drop, record.key as string, streamOptions(deps, record))) {
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
async function computeDiff(
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

/** Writes the rows of one chunk from its checkpoint on, group by group. */
export async function processChunk(
  deps: ImportDeps,
  importId: string,
  chunkNumber: number,
  seen?: ListingKeys,
): Promise<void> {
  const record = await getImport(deps.store, importId);
  const chunk = await getChunk(deps.store, importId, chunkNumber);
  if (record === undefined || chunk === undefined || record.key === undefined) return;
  if (record.status !== 'running') return;
  const log = deps.log.child({ importId, chunk: chunkNumber });
  if (!chunk.done) {
    try {
      await writeChunkRows(deps, record, chunk, chunkNumber);
    } catch (error) {
      if (error instanceof ChunkTakenOverError) {
        log.warn('another worker has this chunk; leaving it to it');
        return;
      }
      throw error;
    }
    await markChunkDone(deps.store, importId, chunkNumber);
  }
  const chunks = await getChunks(deps.store, importId);
  if (chunks.every((candidate) => candidate.done)) await finalize(deps, record, chunks, seen);
}

/** A group as planned from a buffer of rows, before anything is read for it. */
interface PlannedGroup {
  readonly rows: readonly ReadyRow[];
  readonly position: ChunkPosition;
  readonly rowCounts: Partial<ImportCounts>;
  /** The last group of its buffer: triage is asked for after it. */
  readonly endsBuffer: boolean;
}

/**
 * The chunk's rows from its checkpoint on, a buffer at a time: rows read and checked, the buffer's row
 * errors written, its groups planned. Each group carries the cursor before and after it, so the groups
 * a retried worker skips are those already committed.
 */
async function* plannedBuffers(
  deps: ImportDeps,
  record: ImportRecord,
  start: ChunkState,
  chunkNumber: number,
): AsyncGenerator<PlannedGroup[]> {
  const orgCodes = new OrgCodeResolver(deps.store);
  let cursor: ChunkCursor = { checkpoint: start.checkpoint, groupsDone: start.groupsDone };
  let buffer: NumberedRow[] = [];
  const planBuffer = async () => {
    const last = (buffer[buffer.length - 1] as NumberedRow).ordinal;
    const { ready, counts, errors } = await prepareRows(buffer, orgCodes, record.importId, (ordinal) =>
      inRowBitmap(start.repeatedRows, start.fromRow, ordinal),
    );
    buffer = [];
    await writeRowErrors(deps.store, record.importId, errors);
    counts.itemsWritten += errors.length;
    const groups = planGroups(ready);
    if (groups.length === 0) groups.push([]);
    const planned: PlannedGroup[] = [];
    for (let index = cursor.groupsDone; index < groups.length; index++) {
      const endsBuffer = index === groups.length - 1;
      const after: ChunkCursor = endsBuffer
        ? { checkpoint: last, groupsDone: 0 }
        : { checkpoint: cursor.checkpoint, groupsDone: index + 1 };
      planned.push({
        rows: groups[index] as ReadyRow[],
        position: { importId: record.importId, chunk: chunkNumber, before: cursor, after },
        // the rows' own counts (rows, rejected, persons…) ride with the buffer's first group
        rowCounts: index === 0 ? counts : emptyCounts(),
        endsBuffer,
      });
      cursor = after;
    }
    return planned;
  };
  for await (const numbered of numberedRows(deps.drop, record.key as string, streamOptions(deps, record))) {
    if (numbered.ordinal <= cursor.checkpoint || numbered.ordinal < start.fromRow) continue;
    if (numbered.ordinal > start.toRow) break;
    buffer.push(numbered);
    if (buffer.length >= deps.settings.bufferRows) yield await planBuffer();
  }
  if (buffer.length > 0) yield await planBuffer();
}

/** The chunk's groups in commit order; the next buffer is read and planned while this one is written. */
async function* plannedGroups(
  deps: ImportDeps,
  record: ImportRecord,
  start: ChunkState,
  chunkNumber: number,
): AsyncGenerator<PlannedGroup> {
  for await (const groups of readAhead(plannedBuffers(deps, record, start, chunkNumber))) yield* groups;
}

interface UncommittedGroup {
  readonly subjects: ReadonlySet<string>;
  /** Settles once the group is committed, or abandoned. */
  readonly committed: Promise<void>;
  settle(): void;
}

function uncommittedGroup(subjects: ReadonlySet<string>): UncommittedGroup {
  let settle = () => {};
  const committed = new Promise<void>((resolve) => {
    settle = resolve;
  });
  return { subjects, committed, settle: () => settle() };
}

function subjectsOf(rows: readonly ReadyRow[]): Set<string> {
  return new Set(rows.flatMap((row) => (row.kind === 'count' ? [] : [usccOf(row)])));
}

/**
 * Writes the rows of one chunk from its checkpoint on. Transactions are committed one after the other
 * (each moves the chunk's cursor), and DynamoDB serialises them anyway; so while one commits, the next
 * groups are read and planned and the next buffer parsed and checked. A group that touches a subject of a group not yet committed waits for that commit
 * before reading, and counts the subject as written by this import only once it is.
 */
async function writeChunkRows(
  deps: ImportDeps,
  record: ImportRecord,
  start: ChunkState,
  chunkNumber: number,
): Promise<void> {
  const groups = plannedGroups(deps, record, start, chunkNumber);
  // While groups find nothing stored before this import, the next reads only the subjects this import
  // wrote and assumes the rest new (checked by the transaction's conditions).
  const written = new Set<string>();
  let optimistic = false;
  const actor = importActor(record);
  const triage = { listings: [] as ListingRef[], subjects: [] as string[] };
  // groups taken from the planner and not yet committed, in commit order
  const uncommitted: UncommittedGroup[] = [];
  // set when a commit failed: preparations not begun yet take no further group
  let abandoned = false;

  const prepareNext = async () => {
    if (abandoned) return undefined;
    const next = await groups.next();
    if (next.done === true || abandoned) return undefined;
    const planned = next.value;
    const subjects = subjectsOf(planned.rows);
    const earlier = uncommitted.filter((group) => [...subjects].some((uscc) => group.subjects.has(uscc)));
    const group = uncommittedGroup(subjects);
    uncommitted.push(group);
    // a subject of a group not committed yet is read once that group is
    await Promise.all(earlier.map((other) => other.committed));
    const prepared = await prepareGroup(
      deps.store,
      actor,
      planned.position,
      planned.rows,
      planned.rowCounts,
      { written, optimistic },
    );
    return { prepared, group, endsBuffer: planned.endsBuffer };
  };
  // preparations run one after the other, up to GROUPS_AHEAD ahead of the commit
  const ahead: ReturnType<typeof prepareNext>[] = [];
  let lastPrepared: Promise<unknown> = Promise.resolve();
  const prepareAhead = () => {
    const prepared = lastPrepared.then(prepareNext);
    // a failure is met where the group is awaited; keep it from counting as unhandled meanwhile
    prepared.catch(() => undefined);
    lastPrepared = prepared;
    ahead.push(prepared);
  };

  for (let count = 0; count < GROUPS_AHEAD; count++) prepareAhead();
  try {
    for (;;) {
      const current = await ahead.shift();
      if (current === undefined) break;
      prepareAhead();
      let result: Awaited<ReturnType<typeof commitGroup>>;
      try {
        result = await commitGroup(deps.store, actor, current.prepared);
        for (const uscc of current.group.subjects) written.add(uscc);
      } finally {
        uncommitted.splice(uncommitted.indexOf(current.group), 1);
        current.group.settle();
      }
      optimistic = !result.foundExisting;
      triage.listings.push(...result.changed);
      triage.subjects.push(...result.subjects);
      // triage is asked for buffer by buffer: a request stays small and nothing piles up over a chunk
      if (current.endsBuffer && (triage.listings.length > 0 || triage.subjects.length > 0)) {
        await deps.requestClassification({
          importId: record.importId,
          listings: triage.listings.splice(0),
          subjects: triage.subjects.splice(0),
        });
      }
    }
  } finally {
    // after a failure, the groups read ahead are abandoned: release those waiting, stop reading the file
    abandoned = true;
    for (const group of uncommitted) group.settle();
    await Promise.allSettled(ahead);
    await groups.return(undefined);
  }
}

/** Closes an import whose chunks are all done: the diff of a full push, the receipt, the file's move. */
async function finalize(
  deps: ImportDeps,
  record: ImportRecord,
  chunks: readonly ChunkState[],
  scanned?: ListingKeys,
): Promise<void> {
  const current = await getImport(deps.store, record.importId);
  if (current === undefined || current.status !== 'running') return;
  const counts: ImportCounts = sumCounts(chunks);
  let diff = current.diff;
  if (FULL_PUSH_SOURCES.includes(record.source)) {
    const seen = scanned ?? (await scanFile(deps, current)).seen;
    let flagged = 0;
    const result = await computeDiff(deps, current, seen, async (listing) => {
      if (await flagMissing(deps.store, listing, importActor(record))) flagged++;
    });
    counts.listingsMissing = result.missing;
    counts.itemsWritten += flagged;
    const activeBefore = diff?.activeBefore ?? result.activeBefore;
    diff = {
      scope: result.scope,
      activeBefore,
      missing: result.missing,
      share: activeBefore === 0 ? 0 : result.missing / activeBefore,
      threshold: deps.settings.holdThreshold,
    };
  }
  const finishedAt = deps.store.clock.now();
  const processedKey = targetKey('processed', current);
  const closed = await updateImport(
    deps.store,
    record.importId,
    importActor(record),
    {
      status: 'succeeded',
      counts,
      key: processedKey,
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - Date.parse(current.startedAt ?? current.createdAt),
      ...(diff === undefined ? {} : { diff }),
    },
    ['running'],
  );
  if (!closed) return;
  await deps.drop.move(current.key as string, processedKey);
  await writeImportReceipt(deps, record.importId);
  deps.log.info('import succeeded', { importId: record.importId, ...counts });
}

async function reject(
  deps: ImportDeps,
  record: ImportRecord,
  reason: string,
  message: string,
): Promise<void> {
  const rejectedKey = targetKey('rejected', record);
  await updateImport(deps.store, record.importId, importActor(record), {
    status: 'rejected',
    rejectReason: reason,
    rejectMessage: message,
    key: rejectedKey,
    finishedAt: deps.store.clock.now().toISOString(),
  });
  if (record.key !== undefined) await deps.drop.move(record.key, rejectedKey);
  await deps.drop.put(
    `${rejectedKey}.错误报告.txt`,
    `文件：${record.fileName}\n导入批次：${record.importId}\n日期：${shanghaiDate(deps.store.clock.now())}\n结果：整份文件未导入\n原因：${message}\n`,
    'text/plain; charset=utf-8',
  );
  deps.log.warn('file rejected', { importId: record.importId, reason });
}
