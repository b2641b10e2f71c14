/**
 * How far one record of a dropped file may go. A real row is a few kilobytes; anything near these
 * limits is a broken file (an unclosed quote) or a crafted one (a workbook that expands a thousandfold),
 * and refusing it keeps the worker's memory bounded whatever the file holds.
 */

/** Bytes of one CSV record, and of one XLSX cell's text: a single value never needs more. */
export const MAX_RECORD_BYTES = 1_000_000;

const MIB = 1024 * 1024;

/** Limits on the XML parts of a workbook, counted on the bytes as they are inflated, never as declared. */
export interface XlsxLimits {
  /**
   * One token of XML (a text node, a tag with its attributes, a comment), and the text that goes into
   * one value (a shared string, a cell): the XML parser holds each whole before it hands it on.
   */
  readonly cellBytes: number;
  /** One `<row>` element of a worksheet, markup included: the reader builds a whole row before yielding it. */
  readonly rowBytes: number;
  /** Cells of one row: Excel's last column is XFD, the 16 384th. */
  readonly rowCells: number;
  /** A worksheet part: streamed, but spooled to a temporary file when it comes before the shared strings. */
  readonly worksheetBytes: number;
  /** The shared-strings part: the reader keeps every shared string in memory for the whole file. */
  readonly sharedStringsBytes: number;
  /** Any other part (workbook, styles, relationships, themes…): read whole into memory or skipped. */
  readonly otherPartBytes: number;
  /** All parts together. */
  readonly workbookBytes: number;
}

export const XLSX_LIMITS: XlsxLimits = {
  cellBytes: MAX_RECORD_BYTES,
  // XML spells a row out several times longer than CSV does (`<c r="B7" t="s"><v>12</v></c>` per cell)
  rowBytes: 4 * MAX_RECORD_BYTES,
  rowCells: 16_384,
  // a million rows (the row limit) of ten short cells take about 400 MB of worksheet XML
  worksheetBytes: 512 * MIB,
  sharedStringsBytes: 64 * MIB,
  otherPartBytes: 16 * MIB,
  workbookBytes: 1024 * MIB,
};
