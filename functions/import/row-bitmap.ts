/**
 * A set of row ordinals within one chunk, as a bitmap from the chunk's first row: one bit a row, so
 * that a chunk of 50 000 rows carries its set in about 6 KB on its own item.
 */
export function rowBitmap(
  fromRow: number,
  toRow: number,
  ordinals: Iterable<number>,
): Uint8Array | undefined {
  let bitmap: Uint8Array | undefined;
  for (const ordinal of ordinals) {
    if (ordinal < fromRow || ordinal > toRow) continue;
    bitmap ??= new Uint8Array(Math.ceil((toRow - fromRow + 1) / 8));
    const offset = ordinal - fromRow;
    bitmap[offset >> 3] = (bitmap[offset >> 3] as number) | (1 << (offset & 7));
  }
  return bitmap;
}

export function inRowBitmap(bitmap: Uint8Array | undefined, fromRow: number, ordinal: number): boolean {
  if (bitmap === undefined || ordinal < fromRow) return false;
  const offset = ordinal - fromRow;
  return ((bitmap[offset >> 3] ?? 0) & (1 << (offset & 7))) !== 0;
}
