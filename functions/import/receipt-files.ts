/**
 * What an import tells the office in files: a Chinese receipt, and the row errors as the CSV
 * `GET /imports/{id}/errors` serves (`#shared/row-errors-csv.ts`). A clerk who only uses the drop folder finds both beside the file in
 * `processed/<source>/<importId>/`, so that a partly accepted file does not hide its row errors.
 */
import { LIST_TYPE_LABELS, type ListType } from '#domain/model.ts';
import { DROP_PREFIX } from '#shared/drop-folder.ts';
import type { Logger } from '#shared/logger.ts';
import type { DropStore } from '#shared/object-store.ts';
import { ALWAYS_SHOWN, COUNT_LABELS, STATUS_LABELS } from '#shared/receipt-labels.ts';
import { rowErrorsCsv } from '#shared/row-errors-csv.ts';
import { getImport, readRowErrors } from '#storage/import-store.ts';
import type { StoreDeps } from '#storage/subject-store.ts';
import type { ImportRecord } from './model.ts';

type Deps = Pick<StoreDeps, 'client' | 'tableName'>;

/** The receipt as text for people: what happened to the file, and what to do next. */
export function receiptText(record: ImportRecord, options: { readonly errorsFile?: string } = {}): string {
  const lines = [
    `文件：${record.fileName}`,
    `导入批次：${record.importId}`,
    `结果：${STATUS_LABELS[record.status] ?? record.status}`,
  ];
  if (record.listTypes !== undefined && record.listTypes.length > 0) {
    lines.push(`名单类型：${record.listTypes.map(listTypeLabel).join('、')}`);
  }
  if (record.finishedAt !== undefined) lines.push(`完成时间：${shanghaiTime(record.finishedAt)}`);
  if (record.counts !== undefined) {
    const counts = record.counts;
    lines.push('', '数量：');
    COUNT_LABELS.forEach(([name, label], index) => {
      if (index < ALWAYS_SHOWN || counts[name] > 0) lines.push(`  ${label}：${counts[name]}`);
    });
  }
  if (record.status === 'duplicate' && record.duplicateOf !== undefined) {
    lines.push('', `说明：同样内容的文件已由导入批次 ${record.duplicateOf} 导入，本次未写入任何数据。`);
  }
  if (record.status === 'held') lines.push('', ...heldAdvice(record));
  if (options.errorsFile !== undefined) {
    lines.push(
      '',
      `有问题的行见同目录下的“${options.errorsFile}”（可用 Excel 打开），修正后可重新上传这些行。`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function heldAdvice(record: ImportRecord): string[] {
  const lines = ['说明：'];
  if (record.heldMessage !== undefined) lines.push(`  ${record.heldMessage}`);
  if (record.diff !== undefined) {
    lines.push(
      `  范围：${record.diff.scope}；原有效名单 ${record.diff.activeBefore} 条，本次缺少 ${record.diff.missing} 条。`,
    );
  }
  lines.push(
    '处理办法：',
    '  1. 放行前，本文件不会写入任何数据；文件仍在 incoming 目录中，请勿删除。',
    '  2. 如推送无误（确有大量名单移出），请市信用办核实后在系统中确认放行（导入批次见上）。',
    '  3. 如推送有误（漏传、传错文件或只传了部分名单），请不要放行，更正后把完整名单重新放入 incoming 目录。',
  );
  return lines;
}

const SHANGHAI_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  dateStyle: 'short',
  timeStyle: 'medium',
  hour12: false,
});

/** An ISO instant as the office reads it: Beijing time. */
function shanghaiTime(iso: string): string {
  return `${SHANGHAI_TIME.format(new Date(iso))}（北京时间）`;
}

function listTypeLabel(listType: string): string {
  return LIST_TYPE_LABELS[listType as ListType] ?? listType;
}

/** Where the receipt files of an import go: beside the file as it is archived. */
export function receiptKeys(record: Pick<ImportRecord, 'importId' | 'source' | 'fileName'>) {
  const base = `${DROP_PREFIX.processed}${record.source}/${record.importId}/${record.fileName}`;
  return { receipt: `${base}.回执.txt`, errors: `${base}.错误明细.csv` };
}

/**
 * Puts the receipt, and the row errors when there are any, beside the file in `processed/`. Written
 * again with the same names when an import is retried or a held push is released, so the latest wins.
 */
export async function writeReceiptFiles(
  deps: { readonly store: Deps; readonly drop: Pick<DropStore, 'put'> },
  record: ImportRecord,
): Promise<void> {
  const keys = receiptKeys(record);
  const errors = await rowErrorsCsv(readRowErrors(deps.store, record.importId), record);
  const errorsFile = keys.errors.split('/').at(-1) as string;
  if (errors.problems > 0) await deps.drop.put(keys.errors, errors.body, 'text/csv; charset=utf-8');
  await deps.drop.put(
    keys.receipt,
    receiptText(record, errors.problems > 0 ? { errorsFile } : {}),
    'text/plain; charset=utf-8',
  );
}

/**
 * The receipt files of an import as it stands now (finished, held or a duplicate). The import's outcome
 * is settled before: a drop folder that refuses the write is logged, and never undoes or repeats it.
 */
export async function writeImportReceipt(
  deps: { readonly store: Deps; readonly drop: Pick<DropStore, 'put'>; readonly log: Logger },
  importId: string,
): Promise<void> {
  try {
    const record = await getImport(deps.store, importId);
    if (record !== undefined) await writeReceiptFiles(deps, record);
  } catch (error) {
    deps.log.warn('could not write the receipt files', { importId, error: String(error) });
  }
}
