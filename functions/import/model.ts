/** The import batch: its receipt (defined in `#shared/import-receipt.ts`) and what the worker adds. */
import { IMPORT_COUNT_NAMES, type ImportCounts, type ImportSource } from '#shared/import-receipt.ts';

export {
  IMPORT_COUNT_NAMES,
  IMPORT_SOURCES,
  IMPORT_STATUSES,
  type ImportCountName,
  type ImportCounts,
  type ImportDiff,
  type ImportRecord,
  type ImportSource,
  type ImportStatus,
} from '#shared/import-receipt.ts';

/** Sources whose files are full pushes: what was active before and is absent now is flagged. */
export const FULL_PUSH_SOURCES: readonly ImportSource[] = ['push', 'court', 'tax', 'procurement', 'market'];

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
