/**
 * What every part of the import worker shares: its settings and dependencies, its queue messages, who
 * an import's writes are by, and where its file goes.
 */

import type { Logger } from '#shared/logger.ts';
import type { DropStore } from '#shared/object-store.ts';
import type { WorkQueue } from '#shared/work-queue.ts';
import type { Actor, StoreDeps } from '#storage/subject-store.ts';
import type { ImportRecord } from './model.ts';
import type { StreamOptions } from './row-stream.ts';

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
  readonly log: Logger;
}

/** Our own messages on the import queue, beside S3's notifications. */
export type { ImportMessage } from '#shared/drop-folder.ts';

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

/** Where an import's file goes once it is finished: archived, or set aside with its report. */
export function targetKey(prefix: 'processed' | 'rejected', record: ImportRecord): string {
  return `${prefix}/${record.source}/${record.importId}/${record.fileName}`;
}

/** How every pass over an import's file reads its rows. */
export function streamOptions(deps: ImportDeps, record: ImportRecord): StreamOptions {
  return {
    source: record.source,
    fileName: record.fileName,
    maxBytes: deps.settings.maxBytes,
    maxRows: deps.settings.maxRows,
    ...(record.createdBy?.department === undefined ? {} : { department: record.createdBy.department }),
  };
}
