/**
 * Why a dropped file is refused as a whole (docs/files.md, A bad file). The message is Chinese and written for
 * the office staff who sent the file: it says what is wrong and what to do instead.
 */

export type FileRejectReason =
  | 'empty'
  | 'not-a-spreadsheet'
  | 'encoding'
  | 'no-header'
  | 'no-data-rows'
  | 'too-large'
  | 'too-many-rows';

/** The message each reason carries unless the thrower has a more precise one. */
export const FILE_REJECT_MESSAGES: Record<FileRejectReason, string> = {
  empty: '文件为空',
  'not-a-spreadsheet': '无法识别的文件格式，请上传 CSV 或 XLSX 文件',
  encoding: '无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV 文件，或另存为 XLSX 文件后重新上传',
  'no-header': '未在前 20 行找到表头，请确认表头含“统一社会信用代码”或“企业名称”等列名',
  'no-data-rows': '文件只有表头，没有数据行（或数据行全部为空），请填写数据后重新上传',
  'too-large': '文件超过大小上限，请拆分后分批上传',
  'too-many-rows': '文件行数超过上限，请拆分后分批上传',
};

/** The whole file is refused; nothing of it is imported. */
export class FileRejectedError extends Error {
  readonly reason: FileRejectReason;

  constructor(
    reason: FileRejectReason,
    message: string = FILE_REJECT_MESSAGES[reason],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
    this.reason = reason;
  }
}
