/**
 * Import batches, their chunks, row errors and the content hashes that make a file seen twice
 * import once. Each kind of record has its own module; this one gathers them for callers.
 */
export { claimContentHash } from './content-hash-store.ts';
export { createImport, getImport, listImports, updateImport } from './import-batch-store.ts';
export {
  type ChunkRange,
  type ChunkState,
  createChunks,
  getChunk,
  getChunks,
  markChunkDone,
  sumCounts,
} from './import-chunks-store.ts';
export { readRowErrors, type StoredRowError, writeRowErrors } from './row-errors-store.ts';
