/** Files built in memory for the parse tests, and ways to read them back. */
import ExcelJS from 'exceljs';
import { FileRejectedError } from '../../../functions/import/parse/errors.ts';
import {
  type ReadSheetRowsOptions,
  readSheetRows,
  type SheetRow,
} from '../../../functions/import/parse/rows.ts';

export const DEFAULT_LIMITS: ReadSheetRowsOptions = { maxBytes: 50 * 1024 * 1024 };

/** The bytes as a stream of chunks of the given size: odd sizes cut multibyte characters in two. */
export async function* chunksOf(bytes: Uint8Array, size = 4096): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) {
    yield bytes.subarray(offset, offset + size);
  }
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

export function readAll(
  bytes: Uint8Array,
  options: ReadSheetRowsOptions = DEFAULT_LIMITS,
  chunkSize = 4096,
): Promise<SheetRow[]> {
  return collect(readSheetRows(chunksOf(bytes, chunkSize), options));
}

/** The FileRejectedError the promise rejects with; fails the test if it resolves or rejects otherwise. */
export async function rejectionOf(promise: Promise<unknown>): Promise<FileRejectedError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FileRejectedError) return error;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

export async function xlsxBytes(build: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function utf8(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

/** Deterministic pseudo-random bytes (mulberry32), so that a failure can be replayed. */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    bytes[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return bytes;
}
