/**
 * Text clean-up shared by the parsers of identifiers, districts and registry values. Office files mix
 * full-width and half-width characters, so every comparison starts here.
 */

/** Characters a copy from a web page or Excel leaves behind that no one can see. */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

/** Full-width ASCII block U+FF01..U+FF5E sits 0xFEE0 above its half-width twin. */
const FULL_WIDTH_ASCII = /[\uFF01-\uFF5E]/g;
const FULL_WIDTH_OFFSET = 0xfee0;

/**
 * Full-width ASCII (`Ａ`, `１`, `（`, `，`) to half-width, ideographic space to a plain space, zero-width
 * characters removed, then trimmed with inner runs of whitespace collapsed to one space.
 *
 * Idempotent: `toHalfWidth(toHalfWidth(s)) === toHalfWidth(s)`. Chinese punctuation outside the
 * full-width ASCII block (`、`, `。`) is left as it is.
 */
export function toHalfWidth(s: string): string {
  return s
    .replace(INVISIBLE, '')
    .replace(FULL_WIDTH_ASCII, (c) => String.fromCharCode(c.charCodeAt(0) - FULL_WIDTH_OFFSET))
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * {@link toHalfWidth} with every whitespace removed: the form to compare codes and short labels in,
 * where a space is never meaningful (`9144 0300…`, `长安 区`).
 */
export function compactText(s: string): string {
  return toHalfWidth(s).replace(/\s+/g, '');
}
