/**
 * Names of the files the API hands out, and the `Content-Disposition` header that carries them: the
 * Chinese name as RFC 5987 `filename*`, and an ASCII `filename` for clients that read only that one.
 */

/** `名单.csv` → `名单.错误明细.csv`: the uploaded name without its extension, then what this file is. */
export function errorReportFileName(uploadedName: string): string {
  const withoutExtension = uploadedName.replace(/\.[^.]*$/, '');
  return `${withoutExtension === '' ? uploadedName : withoutExtension}.错误明细.csv`;
}

/** The ASCII fallback: `名单-2022.csv` → `2022.errors.csv`; `fallbackBase` when nothing ASCII is left. */
export function asciiErrorReportFileName(uploadedName: string, fallbackBase: string): string {
  const ascii = uploadedName
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9._ -]/g, '')
    .replace(/^[ ._-]+|[ ._-]+$/g, '');
  return `${ascii === '' ? fallbackBase : ascii}.errors.csv`;
}

/** RFC 5987 `ext-value` characters: what `encodeURIComponent` leaves alone, minus `'`, `(`, `)` and `*`. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266), the ASCII name quoted safely. */
export function attachmentDisposition(fileName: string, asciiFallback: string): string {
  const quoted = asciiFallback.replace(/[^\x20-\x7E]|["\\]/g, '_');
  return `attachment; filename="${quoted}"; filename*=UTF-8''${encodeRfc5987(fileName)}`;
}
