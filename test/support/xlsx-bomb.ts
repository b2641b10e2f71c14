/**
 * Workbooks that expand far beyond their size: one huge shared string or inline cell, deflated as it is
 * generated so that neither the file nor the test ever holds the expanded text (300 MB of text make a
 * file of about 300 KB).
 */
import { crc32, createDeflateRaw } from 'node:zlib';
import { COURT_HEADER, zipArchive } from './files.ts';

export type BombKind = 'shared-string' | 'inline-cell';

export interface BombOptions {
  readonly kind: BombKind;
  /** Bytes of the one huge value. */
  readonly bytes: number;
}

const GENERATED = 1024 * 1024;

/**
 * A court list (header row and one data row) whose data row's name is `bytes` long: a shared string
 * (the shared strings come after the worksheet, as Excel writes them) or an inline string in the cell.
 */
export async function bombWorkbook(options: BombOptions): Promise<Buffer> {
  const huge = repeated(options.bytes);
  const header = COURT_HEADER.map(
    (name, index) => `<c r="${column(index)}1" t="inlineStr"><is><t>${name}</t></is></c>`,
  ).join('');
  const nameCell =
    options.kind === 'shared-string'
      ? '<c r="A2" t="s"><v>0</v></c>'
      : ['<c r="A2" t="inlineStr"><is><t>', huge, '</t></is></c>'];
  const sheet = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
    `<worksheet xmlns="${MAIN}"><sheetData><row r="1">${header}</row><row r="2">`,
    nameCell,
    '<c r="B2" t="inlineStr"><is><t>91130102000000019M</t></is></c></row></sheetData></worksheet>',
  ];
  const entries: ZipEntrySpec[] = [
    { name: '[Content_Types].xml', content: [CONTENT_TYPES] },
    { name: '_rels/.rels', content: [ROOT_RELS] },
    { name: 'xl/workbook.xml', content: [WORKBOOK] },
    { name: 'xl/_rels/workbook.xml.rels', content: [WORKBOOK_RELS] },
    { name: 'xl/worksheets/sheet1.xml', content: sheet },
  ];
  if (options.kind === 'shared-string') {
    entries.push({
      name: 'xl/sharedStrings.xml',
      content: [`<sst xmlns="${MAIN}" count="1" uniqueCount="1"><si><t>`, huge, '</t></si></sst>'],
    });
  }
  return zipStreamed(entries);
}

/** What an entry holds: text, or a generator of chunks for text too large to hold. */
type Content = string | Iterable<Buffer>;

interface ZipEntrySpec {
  readonly name: string;
  readonly content: readonly (Content | readonly Content[])[];
}

function* repeated(bytes: number): Generator<Buffer> {
  const block = Buffer.alloc(GENERATED, 'A');
  for (let left = bytes; left > 0; left -= GENERATED)
    yield left >= GENERATED ? block : block.subarray(0, left);
}

function* chunksOf(content: ZipEntrySpec['content']): Generator<Buffer> {
  for (const part of content.flat()) {
    if (typeof part === 'string') yield Buffer.from(part, 'utf8');
    else yield* part;
  }
}

/** A ZIP of deflated entries, each compressed as a stream and its CRC computed as it goes. */
async function zipStreamed(entries: readonly ZipEntrySpec[]): Promise<Buffer> {
  const deflated = [];
  for (const entry of entries)
    deflated.push({ name: entry.name, ...(await deflate(chunksOf(entry.content))) });
  return zipArchive(deflated);
}

async function deflate(chunks: Iterable<Buffer>): Promise<{ packed: Buffer; crc: number; size: number }> {
  const deflater = createDeflateRaw({ level: 9 });
  const packed: Buffer[] = [];
  deflater.on('data', (chunk: Buffer) => packed.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    deflater.once('end', resolve);
    deflater.once('error', reject);
  });
  let crc = 0;
  let size = 0;
  for (const chunk of chunks) {
    crc = crc32(chunk, crc);
    size += chunk.length;
    if (!deflater.write(chunk)) await new Promise((resolve) => deflater.once('drain', resolve));
  }
  deflater.end();
  await done;
  return { packed: Buffer.concat(packed), crc, size };
}

function column(index: number): string {
  return String.fromCharCode(0x41 + index);
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>';
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="失信名单" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
