/**
 * Drop-folder files built by the tests (CSV in UTF-8, UTF-8 with BOM or GBK; XLSX; hostile bytes), valid
 * codes to fill them with, and ways to read back what an import left in the table.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { orgCodeCheckChar, uscc18CheckChar } from '#domain/uscc.ts';
import { readMonthlyFlows } from '#storage/counter-store.ts';
import type { StoreDeps } from '#storage/subject-store.ts';
import { importIdForObject } from '../../functions/import/worker.ts';
import { pseudoRandomBytes as parserTestBytes } from '../unit/parse/support.ts';

type Deps = Pick<StoreDeps, 'client' | 'tableName'>;

/**
 * A USCC that passes both checks: `91` (an enterprise), the division code (default 130102, 长安区),
 * an organisation code made of the serial, its check character, and the position 18 check.
 */
export function makeUscc(serial: number, options: { prefix?: string; division?: string } = {}): string {
  const body = String(serial).padStart(8, '0');
  const first17 = `${options.prefix ?? '91'}${options.division ?? '130102'}${body}${orgCodeCheckChar(body)}`;
  return first17 + uscc18CheckChar(first17);
}

const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** An 18-digit resident ID with a correct GB 11643 check character, from its first 17 digits. */
export function residentId(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * (RESIDENT_ID_WEIGHTS[i] ?? 0);
  return first17 + '10X98765432'.charAt(sum % 11);
}

/** The headers of a court list (失信被执行人), as the court's export writes them. */
export const COURT_HEADER = [
  '企业名称',
  '统一社会信用代码',
  '所属区县',
  '执行法院',
  '案号',
  '列入日期',
] as const;

export interface ListingRow {
  readonly name: string;
  readonly uscc: string;
  readonly district?: string;
  readonly department?: string;
  readonly caseNo: string;
  readonly listedAt?: string;
}

/** One row under {@link COURT_HEADER}. */
export function courtRow(row: ListingRow): string[] {
  return [
    row.name,
    row.uscc,
    row.district ?? '长安区',
    row.department ?? '长安区人民法院',
    row.caseNo,
    row.listedAt ?? '2022-11-03',
  ];
}

/** `count` distinct subjects of the court list, each with one listing, numbered from `from`. */
export function courtRows(count: number, from = 1, district = '长安区'): string[][] {
  return Array.from({ length: count }, (_, index) => {
    const serial = from + index;
    return courtRow({
      name: `石家庄测试商贸有限公司${serial}`,
      uscc: makeUscc(serial),
      district,
      caseNo: `(2022)冀0102执${serial}号`,
    });
  });
}

/** RFC 4180 CSV with CRLF; cells holding a comma, quote or line break are quoted. */
export function csvText(rows: readonly (readonly string[])[]): string {
  return rows
    .map((row) =>
      row.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(','),
    )
    .map((line) => `${line}\r\n`)
    .join('');
}

export function utf8Csv(rows: readonly (readonly string[])[], options: { bom?: boolean } = {}): Buffer {
  const text = csvText(rows);
  return Buffer.from(options.bom === true ? `\uFEFF${text}` : text, 'utf8');
}

/** The CSV as Excel's "CSV (逗号分隔)" writes it on a Chinese Windows: GBK, no BOM. */
export function gbkCsv(rows: readonly (readonly string[])[]): Buffer {
  return iconv.encode(csvText(rows), 'gbk');
}

export type CellValue = string | number | Date | null;

export interface SheetSpec {
  readonly name: string;
  /** Row n of the sheet is `rows[n - 1]`; `null` leaves the row blank. */
  readonly rows: readonly (readonly CellValue[] | null)[];
  /** Ranges to merge, e.g. `A1:F1` for a title across the table. */
  readonly merges?: readonly string[];
}

/** An XLSX workbook with the given sheets, as exceljs writes it. */
export async function xlsxFile(sheets: readonly SheetSpec[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name);
    spec.rows.forEach((cells, index) => {
      if (cells === null) return;
      const row = sheet.getRow(index + 1);
      cells.forEach((value, column) => {
        if (value === null) return;
        const cell = row.getCell(column + 1);
        cell.value = value;
        if (value instanceof Date) cell.numFmt = 'yyyy-mm-dd';
      });
      row.commit();
    });
    for (const range of spec.merges ?? []) sheet.mergeCells(range);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The Excel (1900 system) serial day number of a date. */
export function excelSerial(isoDate: string): number {
  return Math.round((Date.parse(`${isoDate}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000);
}

/** A ZIP archive (deflated entries) that holds whatever it is given: not a workbook unless told so. */
export function zipFile(entries: readonly { name: string; content: string }[]): Buffer {
  return zipArchive(
    entries.map((entry) => {
      const data = Buffer.from(entry.content, 'utf8');
      return { name: entry.name, packed: deflateRawSync(data), crc: crc32(data), size: data.length };
    }),
  );
}

/** One entry of {@link zipArchive}: its name, its deflated bytes, and the CRC and size of what they inflate to. */
export interface DeflatedEntry {
  readonly name: string;
  readonly packed: Buffer;
  readonly crc: number;
  readonly size: number;
}

/** A ZIP archive of entries deflated already: local headers, the central directory, its end record. */
export function zipArchive(entries: readonly DeflatedEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { packed, crc, size, ...entry } of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The start of an old Excel (.xls) file: an OLE2 compound document header, then filler. */
export function ole2File(): Buffer {
  const header = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  return Buffer.concat([header, Buffer.alloc(4096 - header.length, 0xff)]);
}

/** Deterministic pseudo-random bytes (the parser tests' generator), as a Buffer for the drop folder. */
export function pseudoRandomBytes(length: number, seed: number): Buffer {
  return Buffer.from(parserTestBytes(length, seed));
}

/** The import id the worker gives a drop-folder file notified by the test harness (default eTag). */
export function dropImportId(key: string, eTag = 'etag-1'): string {
  return importIdForObject(key, eTag, '0055AED6DCD90281E5');
}

/** Every item of the table, by a plain paginated scan. */
export async function scanTable(deps: Deps): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.client.send(
      new ScanCommand({ TableName: deps.tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/** Items of the given types (subject, listing, audit, counter, flow…). */
export async function itemsOfType(deps: Deps, ...types: string[]): Promise<Record<string, unknown>[]> {
  return (await scanTable(deps)).filter((item) => types.includes(String(item.type)));
}

/** The month's flows of a district, summed over the write shards, if any. */
export async function readFlow(deps: Deps, month: string, district: string) {
  return (await readMonthlyFlows(deps, month)).get(district);
}
