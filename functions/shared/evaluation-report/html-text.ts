/** Text into HTML, element content and quoted attributes alike. */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Every character that could end a text or an attribute, escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

/** `2023-04-01T18:00:00.000Z` → `2023-04-02 02:00` (Asia/Shanghai, no daylight saving). */
export function shanghaiDateTime(iso: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  return new Date(at + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** `12345` → `12,345`. */
export function grouped(value: number): string {
  return value.toLocaleString('en-US');
}
