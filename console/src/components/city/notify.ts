/**
 * Messages and confirmations for the city pages. ElMessage and ElMessageBox are called from code, not
 * from a template, so the per-component import never sees them: their styles are imported here.
 */
import { ElMessage, ElMessageBox } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import { errorText } from '../../api.ts';

/** The API's own Chinese text, kept on screen long enough to read. */
export function showError(error: unknown): void {
  ElMessage.error({ message: errorText(error), showClose: true, duration: 8000 });
}

export function showDone(message: string): void {
  ElMessage.success(message);
}

/** Asks before an action that cannot be taken back; answers whether the person went ahead. */
export function confirmAction(message: string, title: string, action: string): Promise<boolean> {
  return ElMessageBox.confirm(message, title, {
    confirmButtonText: action,
    cancelButtonText: '取消',
    type: 'warning',
  }).then(
    () => true,
    () => false,
  );
}
