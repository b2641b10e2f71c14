/**
 * GBK/GB18030 decoding through the runtime's own decoder (`TextDecoder('gb18030')`, ICU) instead of a
 * bundled one: iconv-lite was about 480 KB of the import bundle. Compared with iconv-lite over every
 * one-, two- and four-byte sequence (gb18030.test.ts), the two differ in two places only:
 * - 18 two-byte codes that GB18030-2022 moved from the Private Use Area to standard characters
 *   (A6D9–A6DF, A6EC, A6ED, A6F3: vertical forms U+FE10–FE19; FE59, FE61, FE66, FE67, FE6D, FE7E, FE90,
 *   FEA0: U+9FB4–9FBB). The runtime gives the 2022 characters, iconv-lite (GB18030-2005) the PUA ones;
 *   these codes keep iconv-lite's PUA characters here, so a name imported before reads the same bytes
 *   now and a re-import shows no change.
 * - four-byte sequences outside GB18030's ranges (after 8431A439 and before 90308130, and after
 *   E3329A35): no encoder writes them; iconv-lite made up code points (even lone surrogates), the
 *   runtime gives U+FFFD, so such a file is refused as not GB18030.
 * Chunk boundaries are handled here, not by the decoder's stream mode: the bytes of a sequence cut by a
 * boundary are carried to the next chunk, so every piece decoded is whole and the 18 codes are found
 * where they start a sequence, never inside another one.
 */

/** iconv-lite's (GB18030-2005) characters of the codes GB18030-2022 remapped, by code. */
const GB18030_2005_PUA: ReadonlyMap<number, string> = new Map([
  [0xa6d9, '\ue78d'],
  [0xa6da, '\ue78e'],
  [0xa6db, '\ue78f'],
  [0xa6dc, '\ue790'],
  [0xa6dd, '\ue791'],
  [0xa6de, '\ue792'],
  [0xa6df, '\ue793'],
  [0xa6ec, '\ue794'],
  [0xa6ed, '\ue795'],
  [0xa6f3, '\ue796'],
  [0xfe59, '\ue81e'],
  [0xfe61, '\ue826'],
  [0xfe66, '\ue82b'],
  [0xfe67, '\ue82c'],
  [0xfe6d, '\ue832'],
  [0xfe7e, '\ue843'],
  [0xfe90, '\ue854'],
  [0xfea0, '\ue864'],
]);

const EMPTY = new Uint8Array(0);

const isDigit = (byte: number) => byte >= 0x30 && byte <= 0x39;

/** A streaming GB18030 decoder: `write` each chunk, then `end`. Unreadable bytes become U+FFFD. */
export class Gb18030Decoder {
  readonly #decoder = new TextDecoder('gb18030');
  #carry: Uint8Array = EMPTY;

  write(chunk: Uint8Array): string {
    const bytes = this.#carry.length === 0 ? chunk : concat(this.#carry, chunk);
    const parts: string[] = [];
    let from = 0;
    let at = 0;
    while (at < bytes.length) {
      const lead = bytes[at] as number;
      // ASCII, 0x80 (the euro sign) and 0xFF (unreadable) stand alone
      if (lead < 0x81 || lead === 0xff) {
        at++;
        continue;
      }
      if (at + 1 >= bytes.length) break;
      if (isDigit(bytes[at + 1] as number)) {
        if (at + 3 >= bytes.length) break;
        at += 4;
        continue;
      }
      const pua = GB18030_2005_PUA.get((lead << 8) | (bytes[at + 1] as number));
      if (pua !== undefined) {
        parts.push(this.#decoder.decode(bytes.subarray(from, at)), pua);
        from = at + 2;
      }
      at += 2;
    }
    parts.push(this.#decoder.decode(bytes.subarray(from, at)));
    this.#carry = bytes.slice(at);
    return parts.join('');
  }

  /** What is left: an unfinished sequence at the end of the input is unreadable (U+FFFD). */
  end(): string {
    const rest = this.#carry;
    this.#carry = EMPTY;
    return rest.length === 0 ? '' : this.#decoder.decode(rest);
  }
}

/** The text of a whole GB18030 byte sequence. */
export function decodeGb18030(bytes: Uint8Array): string {
  const decoder = new Gb18030Decoder();
  return decoder.write(bytes) + decoder.end();
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
