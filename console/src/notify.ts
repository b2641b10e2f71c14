/**
 * Messages and confirmations for every page. ElMessage and ElMessageBox are called from code, not from a
 * template, so the per-component import never sees them: their styles are imported here.
 */
import { ElMessage, ElMessageBox } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import { errorText } from './api.ts';

/** The API's own Chinese text, kept on screen long enough to read. */
export function showError(error: unknown): void {
  ElMessage.error({ message: errorText(error), showClose: true, duration: 8000 });
}

/** A short failure line, shown for the default time (the page keeps the full text beside its form). */
export function showFailure(message: string): void {
  ElMessage.error(message);
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

/** Asks for an optional line of text before an action; undefined when the person cancelled. */
export function askText(
  message: string,
  title: string,
  action: string,
  placeholder: string,
): Promise<string | undefined> {
  return ElMessageBox.prompt(message, title, {
    confirmButtonText: action,
    cancelButtonText: '取消',
    inputPlaceholder: placeholder,
    inputValue: '',
  }).then(
    (answer) => ((answer as { value?: string }).value ?? '').trim(),
    () => undefined,
  );
}
