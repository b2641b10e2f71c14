/**
 * The import receipt, defined once: the zod schema the API describes in /openapi.json, and (inferred
 * from it) the type the worker and the import store write. A field added here is both stored and
 * documented; neither can drift from the other.
 */
import * as z from 'zod';
import { changedBySchema } from '#shared/changed-by.ts';

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

const importCountsSchema = z.object(
  Object.fromEntries(IMPORT_COUNT_NAMES.map((name) => [name, z.number().int()])) as Record<
    ImportCountName,
    z.ZodNumber
  >,
);
export type ImportCounts = z.infer<typeof importCountsSchema>;

const importDiffSchema = z.object({
  scope: z.string(),
  activeBefore: z.number().int(),
  missing: z.number().int(),
  share: z.number(),
  threshold: z.number(),
});
export type ImportDiff = Readonly<z.infer<typeof importDiffSchema>>;

export const importRecordSchema = z
  .object({
    importId: z.string(),
    source: z.enum(IMPORT_SOURCES),
    fileName: z.string(),
    key: z.string().optional().describe('where the file is now: under incoming/, processed/ or rejected/'),
    status: z.enum(IMPORT_STATUSES),
    createdAt: z.string(),
    createdBy: z
      .object({ principal: z.string(), role: z.string(), department: z.string().optional() })
      .optional(),
    changedBy: changedBySchema.optional(),
    sha256: z.string().optional(),
    duplicateOf: z.string().optional(),
    rejectReason: z.string().optional(),
    rejectMessage: z.string().optional().describe('why the whole file was refused, in Chinese'),
    heldMessage: z.string().optional(),
    counts: importCountsSchema.optional(),
    chunks: z.number().int().optional(),
    chunksDone: z.number().int().optional(),
    diff: importDiffSchema.optional(),
    listTypes: z
      .array(z.string())
      .optional()
      .describe("the list types of the file's listing rows, in the order they first appear"),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    durationMs: z.number().optional(),
  })
  .meta({ id: 'ImportReceipt' });

/** The import batch as the office sees it in its receipt. */
export type ImportRecord = Readonly<z.infer<typeof importRecordSchema>>;

export function emptyCounts(): ImportCounts {
  return Object.fromEntries(IMPORT_COUNT_NAMES.map((name) => [name, 0])) as ImportCounts;
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
