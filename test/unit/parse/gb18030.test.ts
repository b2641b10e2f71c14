/**
 * The runtime's GB18030 decoder (through gb18030.ts) against iconv-lite, which the import used before:
 * the same text wherever the bytes are GBK/GB18030 as encoders write them, cut into chunks anywhere,
 * and the two known differences pinned (the 18 codes GB18030-2022 remapped keep iconv-lite's
 * characters; four-byte sequences outside the ranges are unreadable).
 */
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { PUSH_HEADER, PUSH_TITLE, type PushTally, pushRows } from '../../../bench/push-file.ts';
import { decodeGb18030, Gb18030Decoder } from '../../../functions/import/parse/gb18030.ts';
import { COURT_HEADER } from '../../support/files.ts';

const byIconv = (bytes: Uint8Array) => iconv.decode(Buffer.from(bytes), 'gb18030');

function inChunks(bytes: Uint8Array, cuts: readonly number[]): string {
  const decoder = new Gb18030Decoder();
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  let text = '';
  let from = 0;
  for (const point of [...points, bytes.length]) {
    text += decoder.write(bytes.subarray(from, point));
    from = point;
  }
  return text + decoder.end();
}

const byte = (min: number, max: number) => fc.integer({ min, max });
/** One well-formed GB18030 sequence: ASCII, a two-byte GBK code, or a four-byte code in its ranges. */
const sequence = fc.oneof(
  fc.tuple(byte(0x00, 0x7f)),
  fc.tuple(byte(0x81, 0xfe), fc.oneof(byte(0x40, 0x7e), byte(0x80, 0xfe))),
  // the BMP's four-byte codes (81308130 to 8431A439)
  fc
    .tuple(byte(0x81, 0x84), byte(0x30, 0x39), byte(0x81, 0xfe), byte(0x30, 0x39))
    .filter(
      ([a, b, c, d]) => ((a * 10 + b) * 126 + c) * 10 + d <= ((0x84 * 10 + 0x31) * 126 + 0xa4) * 10 + 0x39,
    ),
  // the supplementary planes (90308130 to E3329A35)
  fc
    .tuple(byte(0x90, 0xe3), byte(0x30, 0x39), byte(0x81, 0xfe), byte(0x30, 0x39))
    .filter(
      ([a, b, c, d]) => ((a * 10 + b) * 126 + c) * 10 + d <= ((0xe3 * 10 + 0x32) * 126 + 0x9a) * 10 + 0x35,
    ),
);
const gb18030Bytes = fc
  .array(sequence, { maxLength: 200 })
  .map((sequences) => Uint8Array.from(sequences.flat()));

/** Unicode text (Chinese mostly) as an encoder would write it. */
const chineseText = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((code) => String.fromCodePoint(code)),
    fc.constantFrom('（', '）', '，', '、', '·', '—', '￥', '€', 'A', '1', ',', '\r\n', '"'),
    fc
      .integer({ min: 0x20, max: 0x2ffff })
      .filter((code) => code < 0xd800 || code > 0xdfff)
      .map((code) => String.fromCodePoint(code)),
  ),
  maxLength: 200,
});

describe('GB18030 decoding', () => {
  it('reads random well-formed GBK/GB18030 bytes as iconv-lite does, cut into chunks anywhere', () => {
    fc.assert(
      fc.property(gb18030Bytes, fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
        const expected = byIconv(bytes);
        expect(decodeGb18030(bytes)).toBe(expected);
        expect(inChunks(bytes, cuts)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads text encoded as GBK and as GB18030 back as iconv-lite does', () => {
    fc.assert(
      fc.property(chineseText, fc.array(fc.nat(), { maxLength: 8 }), (text, cuts) => {
        for (const encoding of ['gbk', 'gb18030']) {
          const bytes = iconv.encode(text, encoding);
          expect(inChunks(bytes, cuts)).toBe(byIconv(bytes));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('reads the bench push file and the court header the tests write as iconv-lite does', () => {
    // Prepare: the fixtures' own text, GB18030 as the bench writes its push files
    const tally: PushTally = { rows: 0, subjects: 0, repeatListings: 0, badCodes: 0, persons: 0, bytes: 0 };
    const lines = [PUSH_TITLE, PUSH_HEADER.join(','), COURT_HEADER.join(',')];
    for (const row of pushRows(2000, 'cycle', tally)) lines.push(row.join(','));
    const bytes = iconv.encode(`${lines.join('\r\n')}\r\n`, 'gb18030');
    // Act
    const text = inChunks(bytes, [1, 4097, 8192, 65_537]);
    // Assess
    expect(text).toBe(byIconv(bytes));
    expect(text).toContain(PUSH_TITLE);
  });

  it("keeps iconv-lite's (GB18030-2005) characters for the 18 codes GB18030-2022 remapped", () => {
    // Prepare: A6D9 among ASCII, and FEA0 cut in two by a chunk boundary
    const bytes = Uint8Array.from([0x41, 0xa6, 0xd9, 0x42, 0xfe, 0xa0]);
    // Act
    const text = inChunks(bytes, [5]);
    // Assess
    expect(text).toBe('A\ue78dB\ue864');
    expect(text).toBe(byIconv(bytes));
    // the runtime alone gives the 2022 characters
    expect(new TextDecoder('gb18030').decode(bytes)).toBe('A\ufe10B\u9fbb');
  });

  it('finds the remapped codes only where a sequence starts, never inside another one', () => {
    // Prepare: D5A6 D9.. — A6 D9 straddles two codes and must not be read as A6D9
    const bytes = Uint8Array.from([0xd5, 0xa6, 0xd9, 0xa1]);
    // Act / Assess
    expect(decodeGb18030(bytes)).toBe(byIconv(bytes));
  });

  it('refuses four-byte sequences outside the ranges, which iconv-lite made up characters for', () => {
    for (const bytes of [
      [0x84, 0x31, 0xa5, 0x30],
      [0xe3, 0x32, 0x9a, 0x36],
    ]) {
      expect(decodeGb18030(Uint8Array.from(bytes))).toContain('\uFFFD');
      expect(byIconv(Uint8Array.from(bytes))).not.toContain('\uFFFD');
    }
  });

  it('reads an unfinished sequence at the end as unreadable', () => {
    for (const bytes of [
      [0x41, 0x81],
      [0x81, 0x30],
      [0x81, 0x30, 0x81],
    ]) {
      expect(decodeGb18030(Uint8Array.from(bytes))).toContain('\uFFFD');
      expect(byIconv(Uint8Array.from(bytes))).toContain('\uFFFD');
    }
  });
});
