/** The errors found in an import's rows, one record a row. */

import type { RowError } from '#shared/import-receipt.ts';
import { batchPutAll, prefixQuery, queryPages } from './batch.ts';
import { ITEM_TYPES, keys, withoutKeys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';

type Deps = Pick<StoreDeps, 'client' | 'tableName'>;

/** Row errors are keyed by sheet and line, so writing them again (a retried worker) changes nothing. */
export async function writeRowErrors(
  deps: Deps,
  importId: string,
  errors: readonly RowError[],
): Promise<void> {
  if (errors.length === 0) return;
  const unique = new Map<string, Record<string, unknown>>();
  for (const error of errors) {
    const key = keys.importError(importId, error.sheetIndex, error.line);
    const existing = unique.get(key.SK);
    if (existing !== undefined) {
      (existing.problems as Omit<RowError, 'sheet' | 'sheetIndex' | 'line'>[]).push(problemOf(error));
      continue;
    }
    unique.set(key.SK, {
      ...key,
      type: ITEM_TYPES.importError,
      sheet: error.sheet,
      sheetIndex: error.sheetIndex,
      line: error.line,
      problems: [problemOf(error)],
    });
  }
  await batchPutAll(deps.client, deps.tableName, [...unique.values()]);
}

function problemOf(error: RowError) {
  return {
    field: error.field,
    message: error.message,
    severity: error.severity,
    ...(error.value === undefined ? {} : { value: error.value }),
  };
}

export interface StoredRowError {
  readonly sheet: string;
  readonly sheetIndex: number;
  readonly line: number;
  readonly problems: { field: string; message: string; severity: string; value?: string }[];
}

export async function* readRowErrors(deps: Deps, importId: string): AsyncGenerator<StoredRowError> {
  for await (const page of queryPages(
    deps.client,
    prefixQuery(deps.tableName, keys.importErrorPrefix(importId)),
  )) {
    for (const item of page) yield withoutKeys<StoredRowError>(item);
  }
}
