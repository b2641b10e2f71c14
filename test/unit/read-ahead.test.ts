/**
 * readAhead: the next element is taken while the caller works on the current one, never more than one
 * ahead; order, errors and early exits behave as with the source itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readAhead } from '#shared/read-ahead.ts';

/** A source that records how many elements were taken from it and whether it was closed. */
function countingSource(count: number, options: { failAt?: number } = {}) {
  const state = { taken: 0, closed: false };
  async function* source() {
    try {
      for (let index = 0; index < count; index++) {
        await Promise.resolve();
        if (index === options.failAt) throw new Error(`element ${index} failed`);
        state.taken++;
        yield index;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, source: source() };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('readAhead', () => {
  it('gives every element in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer()), async (values) => {
        const seen: number[] = [];
        async function* source() {
          yield* values;
        }
        for await (const value of readAhead(source())) seen.push(value);
        expect(seen).toEqual(values);
      }),
    );
  });

  it('takes the next element while the caller works, and no more than one', async () => {
    const { state, source } = countingSource(10);
    const taken: number[] = [];
    for await (const value of readAhead(source)) {
      await tick();
      // the element after this one is taken already, the one after that is not
      taken.push(state.taken - value);
    }
    expect(taken.slice(0, -1).every((ahead) => ahead === 2)).toBe(true);
    expect(taken.at(-1)).toBe(1);
  });

  it("throws the source's error where its element would have come, after the earlier ones", async () => {
    const { state, source } = countingSource(10, { failAt: 4 });
    const seen: number[] = [];
    await expect(async () => {
      for await (const value of readAhead(source)) seen.push(value);
    }).rejects.toThrow('element 4 failed');
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(state.closed).toBe(true);
  });

  it('closes the source when the caller leaves early', async () => {
    const { state, source } = countingSource(100);
    for await (const value of readAhead(source)) {
      await tick();
      if (value === 3) break;
    }
    expect(state.closed).toBe(true);
    expect(state.taken).toBe(5);
  });
});
