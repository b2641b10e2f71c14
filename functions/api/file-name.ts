/**
 * The name of a file uploaded through `POST /imports`: it becomes the last segment of the drop-folder
 * key and the name the office sees on receipts and downloads, so it must be one plain file name that
 * the drop folder will pick up and that reads the same on every screen.
 */

export const MAX_FILE_NAME_LENGTH = 200;

/** The extensions the importer reads; `.xls` (the old binary format) is not one of them. */
const IMPORTED_EXTENSION = /\.(csv|xlsx)$/i;

/**
 * Characters that reorder or hide text (bidirectional embeddings, overrides, isolates and marks):
 * `付款.xlsx` can be made to read as `xslx.款付`, or a name to show another extension than it has.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/**
 * Unicode's control characters (general category Cc: C0, DEL and C1): invisible, and a line break would
 * split logs and CSV cells.
 */
const CONTROL_CHARACTERS = /\p{Cc}/u;

/**
 * Why a file name is refused, in Chinese, or `undefined` when it is accepted. The name is taken as
 * sent (callers trim it first).
 */
export function fileNameProblem(name: string): string | undefined {
  if (name === '') return '文件名不能为空';
  if ([...name].length > MAX_FILE_NAME_LENGTH) return `文件名不能超过 ${MAX_FILE_NAME_LENGTH} 个字符`;
  if (name.includes('/') || name.includes('\\')) return '文件名不能包含文件夹（“/”或“\\”）';
  if (CONTROL_CHARACTERS.test(name)) return '文件名不能包含控制字符（如换行、制表符）';
  if (BIDI_CONTROLS.test(name)) return '文件名不能包含改变文字方向的不可见字符';
  // the drop folder skips hidden files, so such an upload would wait forever
  if (name.startsWith('.')) return '文件名不能以“.”开头';
  if (!IMPORTED_EXTENSION.test(name)) return '只接受 .csv 或 .xlsx 文件';
  return undefined;
}
