/**
 * The file's data rows in order, each with its ordinal (its place among all data rows) and the context
 * a row needs to be read: the sheet's index and the list type its title names. Every pass over a file
 * (scan, chunks, diff) numbers rows the same way, which is what checkpoints rely on. A file with a header
 * and no data rows (or only blank ones) is refused whole, in the first pass.
 */
import type { ListType } from '#domain/model.ts';
import type { DropStore } from '#shared/object-store.ts';
import type { ImportSource } from './model.ts';
import { FileRejectedError } from './parse/errors.ts';
import { headerOptionsForSource, type MappedRow, mapRows } from './parse/header.ts';
import { readSheetRows } from './parse/rows.ts';
import { monthFromFileName, parseListTypeLabel } from './parse/values.ts';
import type { RowContext } from './row-rules.ts';

export interface NumberedRow {
  readonly ordinal: number;
  readonly row: MappedRow;
  readonly context: RowContext;
}

export interface StreamOptions {
  readonly source: ImportSource;
  readonly fileName: string;
  readonly department?: string;
  readonly maxBytes: number;
  readonly maxRows: number;
}

export async function* numberedRows(
  drop: DropStore,
  key: string,
  options: StreamOptions,
): AsyncGenerator<NumberedRow> {
  /** One context per sheet, made at its first data row: every row of a sheet shares it. */
  const contexts = new Map<string, RowContext>();
  const titleTypes = new Map<string, ListType | undefined>();
  const fileMonth = monthFromFileName(options.fileName);
  const fileListType = parseListTypeLabel(options.fileName);
  let ordinal = 0;
  const rows = mapRows(
    readSheetRows(await drop.read(key), { maxBytes: options.maxBytes, maxRows: options.maxRows }),
    {
      ...headerOptionsForSource(options.source),
      onHeader: (header) => {
        titleTypes.set(
          header.sheet,
          header.titleLabel === undefined ? undefined : parseListTypeLabel(header.titleLabel),
        );
      },
    },
  );
  for await (const row of rows) {
    let context = contexts.get(row.sheet);
    if (context === undefined) {
      const titleListType = titleTypes.get(row.sheet) ?? parseListTypeLabel(row.sheet) ?? fileListType;
      context = {
        source: options.source,
        sheetIndex: contexts.size,
        ...(titleListType === undefined ? {} : { titleListType }),
        ...(options.department === undefined ? {} : { department: options.department }),
        ...(fileMonth === undefined ? {} : { fileMonth }),
      };
      contexts.set(row.sheet, context);
    }
    yield { ordinal, row, context };
    ordinal++;
  }
  // A full list with no rows would flag every listing of its scope as missing: it is refused, not held.
  if (ordinal === 0) throw new FileRejectedError('no-data-rows');
}
