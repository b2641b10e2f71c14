/** The import batch as the office sees it in its receipt. */
import type { ChangedBy } from '#domain/trail.ts';

export const IMPORT_SOURCES = [
  'push',
  'court',
  'tax',
  'procurement',
  'market',
  'registry',
  'enterprise-counts',
] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

export const IMPORT_STATUSES = ['queued', 'running', 'succeeded', 'rejected', 'duplicate', 'held'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** Sources whose files are full pushes: what was active before and is absent now is flagged. */
export const FULL_PUSH_SOURCES: readonly ImportSource[] = ['push', 'court', 'tax', 'procurement', 'market'];

export const IMPORT_COUNT_NAMES = [
  'rows',
  'accepted',
  'rejected',
  'personsSkipped',
  'duplicateRows',
  'subjectsNew',
  'listingsNew',
  'listingsUnchanged',
  'listingsUpdated',
  'listingsRevived',
  'listingsMissing',
  'exitedReappeared',
  'registryUpdated',
  'registryUnknown',
  'subjectsMoved',
  'enterpriseCounts',
  'unassigned',
  'warnings',
  'itemsWritten',
] as const;
export type ImportCountName = (typeof IMPORT_COUNT_NAMES)[number];
export type ImportCounts = Record<ImportCountName, number>;

export function emptyCounts(): ImportCounts {
  return Object.fromEntries(IMPORT_COUNT_NAMES.map((name) => [name, 0])) as ImportCounts;
}

export interface ImportDiff {
  readonly scope: string;
  readonly activeBefore: number;
  readonly missing: number;
  readonly share: number;
  readonly threshold: number;
}

export interface ImportRecord {
  readonly importId: string;
  readonly source: ImportSource;
  readonly fileName: string;
  /** Where the file is now: incoming/, processed/ or rejected/. */
  readonly key?: string;
  readonly status: ImportStatus;
  readonly createdAt: string;
  readonly createdBy?: { readonly principal: string; readonly role: string; readonly department?: string };
  /** Who made the record's last change and why (the trail reads it from the stream). */
  readonly changedBy?: ChangedBy;
  readonly sha256?: string;
  readonly duplicateOf?: string;
  readonly rejectReason?: string;
  /** Chinese, for the office. */
  readonly rejectMessage?: string;
  readonly heldMessage?: string;
  readonly counts?: ImportCounts;
  readonly chunks?: number;
  readonly chunksDone?: number;
  readonly diff?: ImportDiff;
  /** The list types of the file's listing rows, in the order they first appear. */
  readonly listTypes?: readonly string[];
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
}

/** One row's problem, as the error report shows it. */
export interface RowError {
  readonly sheet: string;
  readonly sheetIndex: number;
  readonly line: number;
  readonly field: string;
  /** Chinese. */
  readonly message: string;
  /** The offending value, never for rows of natural persons. */
  readonly value?: string;
  readonly severity: 'error' | 'warning' | 'skipped';
}
