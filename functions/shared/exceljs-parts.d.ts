/**
 * exceljs's classes by their own modules, so that a bundle takes only the part it uses (the package's
 * entry pulls in the reader, both writers, CSV and their dependencies). The types are the package's.
 */
declare module 'exceljs/lib/doc/workbook.js' {
  import type { Workbook } from 'exceljs';

  const WorkbookClass: typeof Workbook;
  export default WorkbookClass;
}

declare module 'exceljs/lib/stream/xlsx/workbook-reader.js' {
  import type { stream } from 'exceljs';

  const WorkbookReaderClass: typeof stream.xlsx.WorkbookReader;
  export default WorkbookReaderClass;
}
