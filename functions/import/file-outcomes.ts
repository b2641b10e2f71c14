/**
 * Where an import's file goes when it is not imported, or was already: rejected whole (with a report),
 * a duplicate of an earlier file, or a second upload to a finished import's URL (set aside).
 */
import { shanghaiDate } from '#domain/model.ts';
import { updateImport } from '#storage/import-store.ts';
import { hashObject } from './first-pass.ts';
import type { ImportRecord } from './model.ts';
import { writeImportReceipt } from './receipt-files.ts';
import { type ImportDeps, importActor, targetKey } from './run-context.ts';

/**
 * A notification for an import that is finished. Either the first delivery's move was interrupted (the
 * archived copy holds the same bytes: finish the move), or someone PUT another file to a used upload
 * URL: that file is not imported under the old receipt but set aside in rejected/ with a report.
 */
export async function settleFinishedImport(
  deps: ImportDeps,
  record: ImportRecord,
  incomingKey: string,
): Promise<void> {
  if (record.key === undefined || record.key === incomingKey) return;
  if ((await deps.drop.head(incomingKey)) === undefined) return;
  const unhashable = () => undefined;
  if ((await deps.drop.head(record.key)) === undefined) {
    // the first delivery's copy never landed: finish its move
    await deps.drop.move(incomingKey, record.key);
    return;
  }
  // a copy that cannot be hashed (empty, or over the size limit) counts as unlike any other
  const archived = await hashObject(deps, record.key).catch(unhashable);
  if (archived !== undefined && archived === (await hashObject(deps, incomingKey).catch(unhashable))) {
    await deps.drop.move(incomingKey, record.key);
    return;
  }
  const stamp = deps.store.clock.now().toISOString().replace(/[:.]/g, '-');
  const setAside = `rejected/${record.source}/${record.importId}/reupload-${stamp}-${record.fileName}`;
  await deps.drop.move(incomingKey, setAside);
  await deps.drop.put(
    `${setAside}.错误报告.txt`,
    `文件：${record.fileName}\n导入批次：${record.importId}\n结果：未导入\n原因：该上传地址对应的导入已经结束（${record.status}），同一地址再次上传的文件不会导入，请重新申请上传地址后上传\n`,
    'text/plain; charset=utf-8',
  );
  deps.log.warn('a file was uploaded again to a finished import; set aside', { importId: record.importId });
}

/** Closes an import whose file was imported before, and archives it. */
export async function closeDuplicate(
  deps: ImportDeps,
  record: ImportRecord,
  sha256: string,
  duplicateOf: string,
): Promise<void> {
  await updateImport(deps.store, record.importId, importActor(record), {
    status: 'duplicate',
    sha256,
    duplicateOf,
    key: targetKey('processed', record),
    finishedAt: deps.store.clock.now().toISOString(),
  });
  await deps.drop.move(record.key as string, targetKey('processed', record));
  await writeImportReceipt(deps, record.importId);
}

/** Closes an import whose file is refused whole, sets it aside with a report in Chinese. */
export async function reject(
  deps: ImportDeps,
  record: ImportRecord,
  reason: string,
  message: string,
): Promise<void> {
  const rejectedKey = targetKey('rejected', record);
  await updateImport(deps.store, record.importId, importActor(record), {
    status: 'rejected',
    rejectReason: reason,
    rejectMessage: message,
    key: rejectedKey,
    finishedAt: deps.store.clock.now().toISOString(),
  });
  if (record.key !== undefined) await deps.drop.move(record.key, rejectedKey);
  await deps.drop.put(
    `${rejectedKey}.错误报告.txt`,
    `文件：${record.fileName}\n导入批次：${record.importId}\n日期：${shanghaiDate(deps.store.clock.now())}\n结果：整份文件未导入\n原因：${message}\n`,
    'text/plain; charset=utf-8',
  );
  deps.log.warn('file rejected', { importId: record.importId, reason });
}
