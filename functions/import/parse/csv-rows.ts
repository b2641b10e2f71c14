/**
 * CSV records, streamed: bytes → checked or transcoded UTF-8 → csv-parse, one record at a time, each
 * with the physical line it starts on.
 */
import { pipeline, Readable } from 'node:stream';
import { CsvError, type Options, parse } from 'csv-parse';
import type { CsvDelimiter, CsvEncoding } from './detect.ts';
import { FileRejectedError } from './errors.ts';
import { Gb18030Decoder } from './gb18030.ts';
import { MAX_RECORD_BYTES } from './limits.ts';
import type { SheetRow } from './rows.ts';

const LINE_BREAK = /\r\n|\r|\n/g;

/** The records of a CSV whose encoding and delimiter were detected from its first bytes. */
export async function* readCsvRows(
  chunks: AsyncIterable<Buffer>,
  csv: { readonly encoding: CsvEncoding; readonly delimiter: CsvDelimiter },
): AsyncGenerator<SheetRow, void, undefined> {
  // Lines are counted as csv-parse hands over each record, so that an error names the line where the
  // failing record starts even when records parsed before it were never read.
  let nextLine = 1;
  const toRow = (cells: string[]): SheetRow => {
    const line = nextLine;
    nextLine += 1 + cells.reduce((breaks, cell) => breaks + countLineBreaks(cell), 0);
    return { sheet: '', line, cells };
  };
  const options: Options<SheetRow, string[]> = {
    delimiter: csv.delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    // a longer record is an unclosed quote swallowing the rest of the file
    max_record_size: MAX_RECORD_BYTES,
    on_record: toRow,
  };
  // csv-parse types the parse() overloads for records left as string arrays only.
  const parser = parse(options as unknown as Options);
  // Errors reach the parser through the pipeline and surface where its rows are read; the callback only
  // keeps an early stop by the consumer (a premature close) from being reported as unhandled.
  const rows = pipeline(Readable.from(asUtf8(chunks, csv.encoding)), parser, () => {});
  try {
    yield* rows as AsyncIterable<SheetRow>;
  } catch (error) {
    throw error instanceof CsvError ? malformed(error, nextLine) : error;
  }
}

/**
 * UTF-8 passes through once checked (csv-parse decodes it); GB18030 is decoded by the runtime's decoder (gb18030.ts) and
 * re-encoded. A byte the detected encoding cannot read, even far past the sample, refuses the file.
 */
async function* asUtf8(chunks: AsyncIterable<Buffer>, encoding: CsvEncoding): AsyncGenerator<Buffer> {
  if (encoding === 'gb18030') {
    const decoder = new Gb18030Decoder();
    for await (const chunk of chunks) yield fromGb18030(decoder.write(chunk));
    const rest = decoder.end();
    if (rest !== undefined && rest !== '') yield fromGb18030(rest);
    return;
  }
  const checker = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of chunks) {
      checker.decode(chunk, { stream: true });
      yield chunk;
    }
    checker.decode();
  } catch (error) {
    if (error instanceof TypeError) throw encodingChanged('UTF-8');
    throw error;
  }
}

function fromGb18030(text: string): Buffer {
  // GB18030 maps every Unicode character, so a replacement character means a byte it could not read.
  if (text.includes('\uFFFD')) throw encodingChanged('GBK/GB18030');
  return Buffer.from(text, 'utf8');
}

function encodingChanged(encoding: string): FileRejectedError {
  return new FileRejectedError(
    'encoding',
    `文件开头为 ${encoding} 编码，但后面有不符合该编码的内容，请确认整个文件使用同一种编码后重新上传`,
  );
}

function countLineBreaks(cell: string): number {
  return cell.match(LINE_BREAK)?.length ?? 0;
}

function malformed(error: CsvError, line: number): FileRejectedError {
  if (error.code === 'CSV_MAX_RECORD_SIZE') {
    return new FileRejectedError(
      'too-large',
      `第 ${line} 行起的一条记录超过 ${MAX_RECORD_BYTES / 1_000_000} MB，可能是引号未闭合，请检查后重新上传`,
      { cause: error },
    );
  }
  return new FileRejectedError(
    'not-a-spreadsheet',
    `CSV 格式错误：第 ${line} 行起的记录引号不成对，请检查后重新上传`,
    { cause: error },
  );
}
