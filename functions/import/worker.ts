/**
 * The import worker: one drop-folder file from S3 event to receipt. Pass 1 reads the whole file
 * without writing (a bad file is rejected whole, nothing written; `first-pass.ts`); a full push that
 * would flag too much is held (`hold.ts`); then rows are written in chunks, each resuming from its
 * checkpoint (`chunk-writer.ts`); the last chunk flags what the push no longer carries, closes the
 * receipt and moves the file. Triage follows from the table's stream, not from the worker.
 */
import { importMessageBody } from '#shared/drop-folder.ts';
import type { Logger } from '#shared/logger.ts';
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
} from '#storage/import-store.ts';
import { ChunkTakenOverError } from './apply-group.ts';
import { writeChunkRows } from './chunk-writer.ts';
import { flagMissing, type ListingKeys } from './diff.ts';
import { closeDuplicate, reject, settleFinishedImport } from './file-outcomes.ts';
import { computeDiff, hashAndScan, type ScanResult, scanFile } from './first-pass.ts';
import { decideHold, missingShare } from './hold.ts';
import { importIdForObject, parseIncomingKey } from './incoming.ts';
import {
  FULL_PUSH_SOURCES,
  IMPORT_SOURCES,
  type ImportCounts,
  type ImportRecord,
  type ImportSource,
} from './model.ts';
import { FileRejectedError } from './parse/errors.ts';
import { writeImportReceipt } from './receipt-files.ts';
import { rowBitmap } from './row-bitmap.ts';
import { type ImportDeps, importActor, targetKey } from './run-context.ts';

export { type IncomingKey, importIdForObject, parseIncomingKey } from './incoming.ts';
export {
  DEFAULT_IMPORT_SETTINGS,
  type ImportDeps,
  type ImportMessage,
  type ImportSettings,
  importActor,
} from './run-context.ts';

const TERMINAL = new Set(['succeeded', 'rejected', 'duplicate']);

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
  const startedAt = record.startedAt ?? deps.store.clock.now().toISOString();
  await updateImport(deps.store, record.importId, importActor(record), { status: 'running', startedAt }, [
    'queued',
    'running',
  ]);
  const log = deps.log.child({ importId: record.importId, source: record.source });
  const existing = await getChunks(deps.store, record.importId);
  // the listing keys the file carries, kept from the scan so that finishing in this invocation
  // need not read the file again
  let seen: ListingKeys | undefined;
  if (existing.length === 0) {
    const passed = await firstPass(deps, record, options.released, log);
    if (passed === undefined) return;
    seen = passed.seen;
  }
  const chunks = existing.length > 0 ? existing : await getChunks(deps.store, record.importId);
  if (chunks.length > 1 && deps.queue !== undefined) {
    for (const chunk of chunks) {
      if (!chunk.done)
        await deps.queue.send(
          importMessageBody({ kind: 'import-chunk', importId: record.importId, chunk: chunk.chunk }),
        );
    }
    log.info('file split into chunks', { chunks: chunks.length });
    return;
  }
  for (const chunk of chunks) await processChunk(deps, record.importId, chunk.chunk, seen);
}

/**
 * Pass 1 and what it decides: rejected, a duplicate, held, or split into chunks (returned: what the
 * file carries). Undefined when the import stops here.
 */
async function firstPass(
  deps: ImportDeps,
  record: ImportRecord,
  released: boolean,
  log: Logger,
): Promise<ScanResult | undefined> {
  let sha256: string;
  let scan: ScanResult;
  try {
    ({ sha256, scan } = await hashAndScan(deps, record));
  } catch (error) {
    if (!(error instanceof FileRejectedError)) throw error;
    await reject(deps, record, error.reason, error.message);
    return undefined;
  }
  const duplicateOf = await claimContentHash(deps.store, record, sha256);
  if (duplicateOf !== undefined) {
    await closeDuplicate(deps, record, sha256, duplicateOf);
    log.info('duplicate file', { duplicateOf });
    return undefined;
  }
  await updateImport(deps.store, record.importId, importActor(record), {
    sha256,
    ...(scan.listTypes.size === 0 ? {} : { listTypes: [...scan.listTypes] }),
  });
  if (
    FULL_PUSH_SOURCES.includes(record.source) &&
    (await holdIfTooMuchMissing(deps, record, scan, released, log))
  )
    return undefined;
  const ranges = splitRanges(scan.rows, deps.settings.chunkRows).map((range) => {
    const repeatedRows = rowBitmap(range.fromRow, range.toRow, scan.repeated);
    return repeatedRows === undefined ? range : { ...range, repeatedRows };
  });
  await createChunks(deps.store, record.importId, ranges);
  await updateImport(deps.store, record.importId, importActor(record), { chunks: ranges.length });
  return scan;
}

/**
 * Measures a full push before anything is written (the receipt's 'active before' and the hold
 * decision) and holds it when it lacks too much; true when held.
 */
async function holdIfTooMuchMissing(
  deps: ImportDeps,
  record: ImportRecord,
  scan: ScanResult,
  released: boolean,
  log: Logger,
): Promise<boolean> {
  const decision = decideHold(
    await computeDiff(deps, record, scan.seen),
    deps.settings.holdThreshold,
    released,
  );
  if (!decision.hold) {
    await updateImport(deps.store, record.importId, importActor(record), { diff: decision.diff });
    return false;
  }
  await updateImport(deps.store, record.importId, importActor(record), {
    status: 'held',
    diff: decision.diff,
    heldMessage: decision.message,
  });
  await writeImportReceipt(deps, record.importId);
  log.warn('push held', { ...decision.diff });
  return true;
}

/** Ranges of row ordinals, one per chunk; a file with no data rows still has one (empty) chunk. */
export function splitRanges(rows: number, chunkRows: number): { fromRow: number; toRow: number }[] {
  const ranges = [];
  for (let from = 0; from < Math.max(rows, 1); from += chunkRows) {
    ranges.push({ fromRow: from, toRow: Math.min(rows, from + chunkRows) - 1 });
  }
  return ranges;
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
      share: missingShare(activeBefore, result.missing),
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
