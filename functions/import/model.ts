/** The import batch: its receipt (defined in `#shared/import-receipt.ts`) and what the worker adds. */
import type { ImportSource } from '#shared/import-receipt.ts';

export {
  emptyCounts,
  IMPORT_COUNT_NAMES,
  IMPORT_SOURCES,
  IMPORT_STATUSES,
  type ImportCountName,
  type ImportCounts,
  type ImportDiff,
  type ImportRecord,
  type ImportSource,
  type ImportStatus,
  type RowError,
} from '#shared/import-receipt.ts';

/** Sources whose files are full pushes: what was active before and is absent now is flagged. */
export const FULL_PUSH_SOURCES: readonly ImportSource[] = ['push', 'court', 'tax', 'procurement', 'market'];
