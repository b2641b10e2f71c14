/**
 * Telling what a dropped file is from its first bytes: XLSX, or CSV in UTF-8 (with or without BOM) or
 * GB18030/GBK, or something to refuse. Detect, never assume: the extension and the sender's word count
 * for nothing, and a text that is neither valid UTF-8 nor plausible Chinese in GB18030 is refused rather
 * than decoded into mojibake.
 */
import { FILE_REJECT_MESSAGES, type FileRejectReason } from './errors.ts';
import { decodeGb18030 } from './gb18030.ts';

/** How many leading bytes {@link detectFile} wants; a shorter sample must be the whole file. */
export const DETECT_SAMPLE_BYTES = 8192;

export type CsvEncoding = 'utf8' | 'utf8-bom' | 'gb18030';
export type CsvDelimiter = ',' | '\t';

export type Detection =
  | { readonly format: 'xlsx' }
  | { readonly format: 'csv'; readonly encoding: CsvEncoding; readonly delimiter: CsvDelimiter }
  | { readonly format: 'rejected'; readonly reason: FileRejectReason; readonly message: string };

const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY_ARCHIVE = [0x50, 0x4b, 0x05, 0x06];
const OLE2_COMPOUND = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16_BOMS = [
  [0xff, 0xfe],
  [0xfe, 0xff],
];

/** Formats people drop by mistake; none of them is a spreadsheet. */
const OTHER_BINARY_MAGIC = [
  [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF8
  [0x1f, 0x8b], // gzip
  [0x52, 0x61, 0x72, 0x21], // Rar!
  [0x37, 0x7a, 0xbc, 0xaf], // 7z
];

/** Share of control bytes above which a "text" is taken for binary. */
const MAX_CONTROL_SHARE = 0.01;
/** Share of non-ASCII characters that must be Chinese for a GB18030 reading to be believed. */
const MIN_CJK_SHARE = 0.6;
/** Share of two-byte characters that must fall in the GB2312 rows, the characters Chinese text is made of. */
const MIN_GB2312_SHARE = 0.5;

const MESSAGES = {
  xls: '不支持旧版 Excel（.xls）或其他旧版 Office 文件，请用 Excel 另存为 .xlsx 或 CSV 后重新上传',
  markup:
    '文件是网页（HTML）或 XML 格式，常见于系统导出的“.xls”文件，请用 Excel 打开后另存为 .xlsx 或 CSV 后重新上传',
  utf16: '不支持 UTF-16（“Unicode 文本”）编码，请另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后重新上传',
  badUtf8: '文件标明为 UTF-8 编码，但内容不是有效的 UTF-8，请重新导出后上传',
} as const;

/**
 * Classify a file from its first {@link DETECT_SAMPLE_BYTES} bytes (or all of it, if it is shorter).
 * Never throws: a file to refuse comes back as `format: 'rejected'` with the reason and a Chinese message.
 * A ZIP is answered `xlsx`; whether it really holds a workbook is known only once it is read.
 */
export function detectFile(sample: Uint8Array): Detection {
  if (sample.length === 0) return rejected('empty');
  if (startsWith(sample, ZIP_LOCAL_HEADER)) return { format: 'xlsx' };
  if (startsWith(sample, ZIP_EMPTY_ARCHIVE)) return rejected('not-a-spreadsheet');
  if (startsWith(sample, OLE2_COMPOUND)) return rejected('not-a-spreadsheet', MESSAGES.xls);
  if (OTHER_BINARY_MAGIC.some((magic) => startsWith(sample, magic))) return rejected('not-a-spreadsheet');
  if (UTF16_BOMS.some((bom) => startsWith(sample, bom))) return rejected('encoding', MESSAGES.utf16);

  const hasBom = startsWith(sample, UTF8_BOM);
  const body = hasBom ? sample.subarray(UTF8_BOM.length) : sample;
  // A small file is whole in its sample, so a BOM and nothing else is an empty file.
  if (body.length === 0) return rejected('empty');
  if (looksBinary(body)) return rejected('not-a-spreadsheet');

  let encoding: CsvEncoding;
  let text: string;
  if (isUtf8Prefix(body)) {
    encoding = hasBom ? 'utf8-bom' : 'utf8';
    text = new TextDecoder('utf-8').decode(body);
  } else if (hasBom) {
    return rejected('encoding', MESSAGES.badUtf8);
  } else {
    const decoded = decodePlausibleGb18030(body);
    if (decoded === undefined) return rejected('encoding');
    encoding = 'gb18030';
    text = decoded;
  }
  if (looksLikeMarkup(text)) return rejected('not-a-spreadsheet', MESSAGES.markup);
  return { format: 'csv', encoding, delimiter: guessDelimiter(text) };
}

function rejected(reason: FileRejectReason, message: string = FILE_REJECT_MESSAGES[reason]): Detection {
  return { format: 'rejected', reason, message };
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** NUL never occurs in text of our encodings; other control bytes only by accident. */
function looksBinary(bytes: Uint8Array): boolean {
  let controls = 0;
  for (const b of bytes) {
    if (b === 0x00) return true;
    const isControl = (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) || b === 0x7f;
    if (isControl) controls++;
  }
  return controls > bytes.length * MAX_CONTROL_SHARE;
}

/**
 * Whether the bytes are valid UTF-8, allowing one multibyte sequence cut off at the very end (the sample
 * stops wherever the chunk did). Overlong forms, surrogates and code points above U+10FFFF are invalid.
 */
export function isUtf8Prefix(bytes: Uint8Array): boolean {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const continuation = utf8ContinuationCount(lead);
    if (continuation === 0) return false;
    for (let k = 1; k <= continuation; k++) {
      if (i + k >= n) return true;
      const byte = bytes[i + k] ?? 0;
      const [low, high] = k === 1 ? utf8SecondByteRange(lead) : [0x80, 0xbf];
      if (byte < low || byte > high) return false;
    }
    i += continuation + 1;
  }
  return true;
}

function utf8ContinuationCount(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 1;
  if (lead >= 0xe0 && lead <= 0xef) return 2;
  if (lead >= 0xf0 && lead <= 0xf4) return 3;
  return 0;
}

/** The second byte's range is narrower after some leads: that is what rules out overlongs and surrogates. */
function utf8SecondByteRange(lead: number): readonly [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

/**
 * Read the bytes as GB18030 and keep the reading only if it looks like Chinese text: structurally
 * valid, no unmappable sequence, mostly Chinese characters, mostly from the common GB2312 rows.
 */
function decodePlausibleGb18030(bytes: Uint8Array): string | undefined {
  const scan = scanGb18030(bytes);
  if (scan === undefined || scan.multiByte === 0) return undefined;
  if (scan.gb2312 < scan.twoByte * MIN_GB2312_SHARE) return undefined;
  const text = decodeGb18030(bytes.subarray(0, scan.end));
  if (text.includes('\uFFFD')) return undefined;
  let nonAscii = 0;
  let chinese = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) continue;
    nonAscii++;
    if (isChineseTextChar(code)) chinese++;
  }
  return chinese >= nonAscii * MIN_CJK_SHARE ? text : undefined;
}

interface Gb18030Scan {
  /** Bytes up to the last complete character. */
  readonly end: number;
  readonly multiByte: number;
  readonly twoByte: number;
  /** Two-byte characters in the GB2312 area (both bytes A1–FE, lead up to F7). */
  readonly gb2312: number;
}

/** Walk GB18030's byte structure (1, 2 or 4 bytes a character); undefined when it breaks. */
function scanGb18030(bytes: Uint8Array): Gb18030Scan | undefined {
  const n = bytes.length;
  let i = 0;
  let multiByte = 0;
  let twoByte = 0;
  let gb2312 = 0;
  while (i < n) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    if (lead === 0x80 || lead === 0xff) return undefined;
    if (i + 1 >= n) return { end: i, multiByte, twoByte, gb2312 };
    const second = bytes[i + 1] ?? 0;
    if (second >= 0x30 && second <= 0x39) {
      if (i + 3 >= n) return { end: i, multiByte, twoByte, gb2312 };
      const third = bytes[i + 2] ?? 0;
      const fourth = bytes[i + 3] ?? 0;
      if (third < 0x81 || third > 0xfe || fourth < 0x30 || fourth > 0x39) return undefined;
      multiByte++;
      i += 4;
      continue;
    }
    if (second < 0x40 || second === 0x7f || second === 0xff) return undefined;
    multiByte++;
    twoByte++;
    if (lead >= 0xa1 && lead <= 0xf7 && second >= 0xa1) gb2312++;
    i += 2;
  }
  return { end: n, multiByte, twoByte, gb2312 };
}

function isChineseTextChar(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) || // CJK unified ideographs
    (code >= 0x3400 && code <= 0x4dbf) || // extension A
    (code >= 0xf900 && code <= 0xfaff) || // compatibility ideographs
    (code >= 0x3000 && code <= 0x303f) || // CJK symbols and punctuation: 、。《》【】
    (code >= 0xff00 && code <= 0xffef) || // full-width forms: （），：
    (code >= 0x2000 && code <= 0x206f) // general punctuation: “”‘’—…
  );
}

/** HTML tables and XML Spreadsheet 2003 files are what many systems export under a `.xls` name. */
function looksLikeMarkup(text: string): boolean {
  const head = text.trimStart().slice(0, 1024).toLowerCase();
  return head.startsWith('<') && /<(html|table|\?xml|!doctype html|workbook)/.test(head);
}

/**
 * Comma unless the first line that holds a comma or a tab holds tabs and no comma (a "text" export from
 * Excel). A title row above the header often holds neither, so it does not decide.
 */
function guessDelimiter(text: string): CsvDelimiter {
  for (const line of text.split(/\r\n|\r|\n/)) {
    const hasComma = line.includes(',');
    const hasTab = line.includes('\t');
    if (hasComma || hasTab) return hasTab && !hasComma ? '\t' : ',';
  }
  return ',';
}
