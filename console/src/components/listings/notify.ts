/**
 * Messages for these pages: the API's own Chinese text for a failure, a short line for a success.
 * ElMessage is called from code, not from a template, so its style is imported here by hand (the
 * per-component import only sees templates).
 */
import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import { errorText } from '../../api.ts';

export function showError(error: unknown): void {
  ElMessage.error({ message: errorText(error), showClose: true, duration: 8000 });
}

export function showDone(message: string): void {
  ElMessage.success(message);
}
