/**
 * The rows of a dropped file, streamed: the file is never held whole, whatever its size. The first bytes
 * decide what it is (see detect.ts); CSV goes through a streaming decoder and csv-parse, XLSX through
 * exceljs's streaming workbook reader.
 */
import { readCsvRows } from './csv-rows.ts';
import { DETECT_SAMPLE_BYTES, detectFile } from './detect.ts';
import { FileRejectedError } from './errors.ts';

export interface SheetRow {
  /** The worksheet's name; empty for a CSV file. */
  readonly sheet: string;
  /**
   * Where the row is as the user sees it: the Excel row number, or the 1-based physical line a CSV
   * record starts on (a quoted cell may span lines).
   */
  readonly line: number;
  /** The cells as text, in column order, untrimmed. */
  readonly cells: string[];
}

export interface ReadSheetRowsOptions {
  /** Bytes of the file beyond which it is refused as `too-large`. */
  readonly maxBytes: number;
  /** Rows (blank ones included, over all sheets) beyond which it is refused as `too-many-rows`. */
  readonly maxRows?: number;
}

/**
 * Every row of every worksheet (or of the CSV), blank rows included so that a header finder can count
 * them, in file order.
 * @throws FileRejectedError for a file to refuse whole: `empty`, `not-a-spreadsheet`, `encoding`,
 * `too-large`, `too-many-rows`. Some of these are only known part-way, after rows were yielded.
 */
export async function* readSheetRows(
  source: AsyncIterable<Uint8Array>,
  options: ReadSheetRowsOptions,
): AsyncGenerator<SheetRow, void, undefined> {
  const { maxBytes, maxRows } = options;
  const file = await openFile(source, maxBytes);
  try {
    const detection = detectFile(file.sample);
    if (detection.format === 'rejected') throw new FileRejectedError(detection.reason, detection.message);
    const rows =
      detection.format === 'xlsx' ? lazyXlsxRows(file.chunks) : readCsvRows(file.chunks, detection);
    let count = 0;
    let anyContent = false;
    for await (const row of rows) {
      count++;
      if (maxRows !== undefined && count > maxRows) {
        throw new FileRejectedError('too-many-rows', `文件超过 ${maxRows} 行的上限，请拆分后分批上传`);
      }
      anyContent ||= row.cells.some((cell) => cell.trim() !== '');
      yield row;
    }
    if (!anyContent) throw new FileRejectedError('empty');
  } finally {
    await file.close();
  }
}

interface OpenedFile {
  /** The first {@link DETECT_SAMPLE_BYTES} bytes or more, or the whole file if it is shorter. */
  readonly sample: Uint8Array;
  /** All of the file's bytes from the start, the sample's included, refused beyond `maxBytes`. */
  readonly chunks: AsyncIterable<Buffer>;
  close(): Promise<void>;
}

/** Reads ahead just far enough to detect the format, then hands on the same bytes and the rest. */
async function openFile(source: AsyncIterable<Uint8Array>, maxBytes: number): Promise<OpenedFile> {
  const iterator = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let total = 0;
  let finished = false;
  const take = (chunk: Uint8Array): Buffer => {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge(maxBytes);
    return asBuffer(chunk);
  };
  try {
    while (total < DETECT_SAMPLE_BYTES) {
      const next = await iterator.next();
      if (next.done === true) {
        finished = true;
        break;
      }
      head.push(take(next.value));
    }
  } catch (error) {
    await iterator.return?.();
    throw error;
  }
  async function* chunks(): AsyncGenerator<Buffer, void, undefined> {
    yield* head.splice(0);
    while (!finished) {
      const next = await iterator.next();
      if (next.done === true) {
        finished = true;
        return;
      }
      yield take(next.value);
    }
  }
  return {
    sample: Buffer.concat(head),
    chunks: chunks(),
    async close() {
      if (!finished) {
        finished = true;
        await iterator.return?.();
      }
    },
  };
}

function tooLarge(maxBytes: number): FileRejectedError {
  return new FileRejectedError('too-large', `文件超过 ${formatSize(maxBytes)} 的上限，请拆分后分批上传`);
}

function formatSize(bytes: number): string {
  const mebibytes = bytes / 1024 / 1024;
  if (mebibytes >= 1) return `${Math.floor(mebibytes * 10) / 10} MB`;
  return `${Math.max(1, Math.floor(bytes / 1024))} KB`;
}

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * The XLSX path (exceljs's reader, the unzipper and their dependencies, about half a megabyte bundled)
 * is loaded with the first workbook, so a worker that only meets CSV files never loads it.
 */
async function* lazyXlsxRows(chunks: AsyncIterable<Buffer>): AsyncGenerator<SheetRow, void, undefined> {
  const { readXlsxRows } = await import('./xlsx-rows.ts');
  yield* readXlsxRows(chunks);
}
