/**
 * The worksheets of a workbook, read the way exceljs's streaming WorkbookReader reads them (its own part
 * readers do the XML), but with every part passed through a guard first: each part's inflated bytes
 * are counted as they come out of the inflater, never trusted from the archive's declared sizes, and
 * what exceljs would hold in memory is bounded (see xml-guard.ts). A part over a limit stops the whole
 * file at once. exceljs's own `parse()` is not used because it hands the raw entry streams to its
 * readers and to temporary files, with no place to count.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import unzipper, { type ZipEntry } from 'unzipper';
import { FileRejectedError } from './errors.ts';
import type { XlsxLimits } from './limits.ts';
import { type PartKind, XmlPartGuard } from './xml-guard.ts';

/**
 * exceljs's WorkbookReader as used here: the readers of its parts, and what they leave on it. These
 * members are exceljs 4's, left out of its type declarations.
 */
export interface WorkbookPartReaders<Worksheet> {
  readonly sharedStrings?: unknown;
  readonly workbookRels?: unknown;
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(
    iterator: AsyncIterable<Buffer>,
    sheetNo: string,
  ): Generator<{ readonly eventType: string; readonly value: Worksheet }>;
}

const WORKSHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;
const MB = 1024 * 1024;

/** The parts exceljs reads, each with what it does with it; everything else is inflated and dropped. */
const READ_PARTS = new Map<string, PartKind>([
  ['xl/_rels/workbook.xml.rels', 'other'],
  ['xl/workbook.xml', 'other'],
  ['xl/styles.xml', 'other'],
  ['xl/sharedStrings.xml', 'shared-strings'],
]);

/**
 * Every worksheet of the archive, in archive order, as exceljs's reader yields them. A worksheet that
 * comes before the shared strings or the relationships (Excel writes them in that order) is spooled to
 * a temporary file and read after the archive's end, as exceljs does; the files go when this ends.
 */
export async function* guardedWorksheets<Worksheet>(
  reader: WorkbookPartReaders<Worksheet>,
  archive: Readable,
  limits: XlsxLimits,
): AsyncGenerator<Worksheet, void, undefined> {
  const zip = unzipper.Parse({ forceStream: true });
  archive.pipe(zip);
  const inflated = new InflatedTotal(limits);
  const spool = new Spool();
  // An archive cut short fails the unzipper, not the entry it was inflating: the entry would wait for
  // bytes forever, and whoever reads it with it. So the failure is passed on to the part being read,
  // and to any entry the unzipper had handed on before it failed.
  let current: Readable | undefined;
  let failure: Error | undefined;
  zip.on('error', (error) => {
    failure = error;
    current?.destroy(error);
  });
  try {
    for await (const entry of zip) {
      if (failure !== undefined) throw failure;
      const sheetNo = WORKSHEET.exec(entry.path)?.[1];
      const kind: PartKind | undefined = sheetNo === undefined ? READ_PARTS.get(entry.path) : 'worksheet';
      const part = guardedPart(entry, kind, limits, inflated);
      current = part;
      if (kind === undefined) {
        await drain(part);
      } else if (sheetNo !== undefined) {
        if (reader.sharedStrings !== undefined && reader.workbookRels !== undefined) {
          yield* worksheetsOf(reader, part, sheetNo);
        } else {
          await spool.add(part, sheetNo);
        }
      } else {
        await readPart(reader, entry.path, part);
        // a reader that stops at its root element's end leaves the rest; the archive waits for it
        await drain(part);
      }
      current = undefined;
    }
    for (const sheet of spool.sheets) {
      yield* worksheetsOf(reader, createReadStream(sheet.path), sheet.sheetNo);
    }
  } finally {
    archive.unpipe(zip);
    zip.destroy();
    await spool.remove();
  }
}

async function readPart<Worksheet>(
  reader: WorkbookPartReaders<Worksheet>,
  path: string,
  part: Readable,
): Promise<void> {
  switch (path) {
    case 'xl/_rels/workbook.xml.rels':
      await reader._parseRels(part);
      break;
    case 'xl/workbook.xml':
      await reader._parseWorkbook(part);
      break;
    case 'xl/styles.xml':
      await reader._parseStyles(part);
      break;
    case 'xl/sharedStrings.xml':
      // cached on the reader; nothing is yielded
      for await (const _ of reader._parseSharedStrings(part));
      break;
  }
}

async function drain(part: Readable): Promise<void> {
  part.resume();
  await finished(part);
}

function* worksheetsOf<Worksheet>(
  reader: WorkbookPartReaders<Worksheet>,
  bytes: AsyncIterable<Buffer>,
  sheetNo: string,
): Generator<Worksheet> {
  for (const event of reader._parseWorksheet(bytes, sheetNo)) {
    if (event.eventType === 'worksheet') yield event.value;
  }
}

/** The inflated bytes of the whole archive so far. */
class InflatedTotal {
  private bytes = 0;

  constructor(private readonly limits: XlsxLimits) {}

  add(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.limits.workbookBytes) {
      throw new FileRejectedError(
        'too-large',
        `Excel 文件解压后超过 ${this.limits.workbookBytes / MB} MB 的上限，请拆分后分批上传`,
      );
    }
  }
}

/**
 * The entry's bytes, counted as they are inflated. A part exceljs reads is also watched by an
 * {@link XmlPartGuard}; a part it skips (images, themes…) only counts toward the archive's total.
 */
function guardedPart(
  entry: ZipEntry,
  kind: PartKind | undefined,
  limits: XlsxLimits,
  inflated: InflatedTotal,
): Readable {
  const limit = kind === undefined ? Number.POSITIVE_INFINITY : partLimit(kind, limits);
  const guard = kind === undefined ? undefined : new XmlPartGuard(kind, limits);
  let bytes = 0;
  const part = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        bytes += chunk.length;
        if (bytes > limit) throw partTooLarge(entry.path, limit);
        inflated.add(chunk.length);
        guard?.write(chunk);
        callback(null, chunk);
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  entry.once('error', (error) => part.destroy(error));
  // The inflater fills a part before anyone reads it, so it may go over its limit while no one listens.
  // The error stays on the part (it is destroyed with it) and reaches whoever reads it, or waits for it;
  // this listener only keeps it from being thrown where nothing can catch it.
  part.on('error', () => {});
  return entry.pipe(part);
}

function partLimit(kind: PartKind, limits: XlsxLimits): number {
  switch (kind) {
    case 'worksheet':
      return limits.worksheetBytes;
    case 'shared-strings':
      return limits.sharedStringsBytes;
    case 'other':
      return limits.otherPartBytes;
  }
}

function partTooLarge(path: string, limit: number): FileRejectedError {
  // only the fixed names of the parts exceljs reads reach here, never a name the file made up
  return new FileRejectedError(
    'too-large',
    `Excel 文件中的 ${path} 解压后超过 ${limit / MB} MB 的上限，请拆分后分批上传`,
  );
}

/** Worksheets written to temporary files until the parts they need have been read. */
class Spool {
  readonly sheets: { readonly path: string; readonly sheetNo: string }[] = [];
  private directory: string | undefined;

  async add(part: Readable, sheetNo: string): Promise<void> {
    this.directory ??= await mkdtemp(join(tmpdir(), 'xlsx-'));
    const path = join(this.directory, `sheet${this.sheets.length}.xml`);
    this.sheets.push({ path, sheetNo });
    await pipeline(part, createWriteStream(path));
  }

  async remove(): Promise<void> {
    if (this.directory !== undefined) await rm(this.directory, { recursive: true, force: true });
  }
}
