/**
 * What exceljs holds while it reads one XML part, tracked for `XmlPartGuard` (xml-guard.ts): the
 * guard finds the tags and text, this follows the elements exceljs's readers care about and counts the
 * bytes each of its buffers would take, refusing the file when one passes its limit.
 */
import { FileRejectedError } from './errors.ts';
import type { XlsxLimits } from './limits.ts';

/** What exceljs does with a part decides what it holds while reading it. */
export type PartKind = 'worksheet' | 'shared-strings' | 'other';

const MB = 1_000_000;

/** The cell text, shared string, row and column list exceljs is building, in bytes. */
export class ExceljsHoldings {
  // the worksheet reader's variables of the same names, mirrored
  private inRows = false;
  private inCols = false;
  private row = false;
  private cell = false;
  private rowBytes = 0;
  private rowCells = 0;
  private colsBytes = 0;
  /** Text appended to the cell value being built since the reader last started a new one. */
  private valueText = 0;
  /** Bytes since the current shared string (`<si>`) began: its text runs and their formatting. */
  private sharedString = 0;

  constructor(
    private readonly kind: PartKind,
    private readonly limits: XlsxLimits,
  ) {}

  /** An element opened. */
  open(name: string): void {
    if (this.kind === 'shared-strings') {
      if (name === 'si') this.sharedString = 0;
      return;
    }
    if (this.kind !== 'worksheet') return;
    switch (name) {
      case 'sheetData':
        this.inRows = true;
        break;
      case 'cols':
        this.inCols = true;
        this.colsBytes = 0;
        break;
      case 'row':
        if (this.inRows) {
          this.row = true;
          this.rowBytes = 0;
          this.rowCells = 0;
        }
        break;
      case 'c':
        if (this.row) this.cell = true;
        break;
      case 'f':
      case 'v':
      case 'is':
      case 't':
        if (this.cell) this.valueText = 0;
        break;
    }
  }

  /** An element closed (a self-closing one right after opening). */
  close(name: string): void {
    if (this.kind !== 'worksheet') return;
    switch (name) {
      case 'sheetData':
        this.inRows = false;
        break;
      case 'cols':
        this.inCols = false;
        break;
      case 'row':
        this.row = false;
        break;
      case 'c':
        if (this.row && this.cell) {
          this.cell = false;
          if (++this.rowCells > this.limits.rowCells) throw rowTooLarge(this.limits);
        }
        break;
    }
  }

  /** Counts bytes read, `text` when they are of a text node, into whatever holds them in exceljs. */
  count(bytes: number, text: boolean): void {
    const { cellBytes, rowBytes } = this.limits;
    if (this.kind === 'shared-strings') {
      this.sharedString += bytes;
      if (this.sharedString > cellBytes) throw cellTooLarge(this.limits);
    } else if (this.kind === 'worksheet') {
      if (text) {
        this.valueText += bytes;
        if (this.valueText > cellBytes) throw cellTooLarge(this.limits);
      }
      if (this.row) {
        this.rowBytes += bytes;
        if (this.rowBytes > rowBytes) throw rowTooLarge(this.limits);
      }
      if (this.inCols) {
        this.colsBytes += bytes;
        if (this.colsBytes > rowBytes) throw rowTooLarge(this.limits);
      }
    }
  }
}

export function cellTooLarge(limits: XlsxLimits): FileRejectedError {
  return new FileRejectedError(
    'too-large',
    `Excel 文件中有单元格或文本的内容超过 ${limits.cellBytes / MB} MB 的上限，请检查后重新上传`,
  );
}

export function rowTooLarge(limits: XlsxLimits): FileRejectedError {
  return new FileRejectedError(
    'too-large',
    `Excel 工作表中有一行超过 ${limits.rowBytes / MB} MB 或 ${limits.rowCells} 列的上限，请检查后重新上传`,
  );
}
