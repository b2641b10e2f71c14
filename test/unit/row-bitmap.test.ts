/** The bitmap of repeated rows a chunk carries: it holds exactly the ordinals of its range it was given. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inRowBitmap, rowBitmap } from '../../functions/import/row-bitmap.ts';

describe('rowBitmap', () => {
  it('holds exactly the given ordinals within the range, and nothing outside it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.array(fc.integer({ min: 0, max: 110_000 }), { maxLength: 300 }),
        (fromRow, size, ordinals) => {
          const toRow = fromRow + size - 1;
          const bitmap = rowBitmap(fromRow, toRow, ordinals);
          const inside = new Set(ordinals.filter((ordinal) => ordinal >= fromRow && ordinal <= toRow));
          expect(bitmap === undefined).toBe(inside.size === 0);
          for (let ordinal = fromRow - 9; ordinal <= toRow + 9; ordinal++) {
            expect(inRowBitmap(bitmap, fromRow, ordinal)).toBe(inside.has(ordinal));
          }
        },
      ),
    );
  });

  it('takes one bit a row', () => {
    expect(rowBitmap(50_000, 99_999, [50_000, 99_999])?.byteLength).toBe(6_250);
  });
});
