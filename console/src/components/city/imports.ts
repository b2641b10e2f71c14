/**
 * Imports as the console shows them: the receipt's shape (functions/shared/import-receipt.ts), its
 * words (functions/shared/receipt-labels.ts, shared with the receipt file beside an imported file), and
 * the upload itself: `POST /imports` answers a URL the file is PUT to, by XMLHttpRequest because fetch
 * reports no upload progress.
 */
import type {
  ImportRecord,
  ImportSource,
  ImportStatus,
} from '../../../../functions/shared/import-receipt.ts';
import { api } from '../../api.ts';
import type { Role } from '../../session.ts';

export { LIST_TYPE_LABELS } from '../../../../functions/domain/model.ts';
export { ALWAYS_SHOWN, COUNT_LABELS, STATUS_LABELS } from '../../../../functions/shared/receipt-labels.ts';
export type { ImportRecord, ImportSource, ImportStatus };

export const SOURCE_LABELS: Readonly<Record<ImportSource, string>> = {
  push: '全量推送（各类名单汇总）',
  court: '失信被执行人（法院）',
  tax: '重大税收违法失信主体（税务）',
  procurement: '政府采购严重违法失信（财政）',
  market: '市场监管严重违法失信（市场监管）',
  registry: '登记状态更新',
  'enterprise-counts': '法人企业数',
};

/** What each role may upload, as `POST /imports` allows it. */
export function sourcesFor(role: Role | undefined): ImportSource[] {
  if (role === 'city') return Object.keys(SOURCE_LABELS) as ImportSource[];
  return ['court', 'tax', 'procurement', 'market', 'registry'];
}

export const STATUS_TAGS: Readonly<
  Record<ImportStatus, 'info' | 'primary' | 'success' | 'warning' | 'danger'>
> = {
  queued: 'info',
  running: 'primary',
  succeeded: 'success',
  held: 'warning',
  duplicate: 'info',
  rejected: 'danger',
};

/** Still changing: the receipt page reads it again until it settles. */
export function inProgress(status: ImportStatus): boolean {
  return status === 'queued' || status === 'running';
}

export class UploadFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UploadFailedError';
  }
}

/** PUTs the file to the upload URL, telling `progress` the share sent (0–1). */
function put(url: string, file: File, progress: (share: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', url);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) progress(event.loaded / event.total);
    };
    request.onload = () =>
      request.status >= 200 && request.status < 300
        ? resolve()
        : reject(new UploadFailedError(`文件上传失败（HTTP ${request.status}），请重试`));
    request.onerror = () => reject(new UploadFailedError('文件上传中断，请检查网络后重试'));
    request.send(file);
  });
}

/** Starts an import of `file` as `source` and uploads it; answers the import's id. */
export async function uploadImport(
  source: ImportSource,
  file: File,
  progress: (share: number) => void,
): Promise<string> {
  const started = await api<{ importId: string; uploadUrl: string }>('/imports', {
    method: 'POST',
    body: { source, fileName: file.name },
  });
  await put(started.uploadUrl, file, progress);
  return started.importId;
}
