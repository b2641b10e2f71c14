/**
 * The XLSX writers' workbook, loaded on first use: exceljs's Workbook class alone (without its
 * streaming reader and writer) is about 480 KB of bundled code, which the API, exits and evaluation
 * functions would otherwise load at every cold start for a download few requests ask for. The bundler
 * puts it in a chunk of its own (lib/constructs/lambda-bundle.ts).
 */
import type ExcelJS from 'exceljs';

/** A new, empty workbook. */
export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { default: Workbook } = await import('exceljs/lib/doc/workbook.js');
  return new Workbook();
}
