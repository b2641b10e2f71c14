import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactText, toHalfWidth } from '#domain/text.ts';

describe('toHalfWidth', () => {
  it('turns full-width ASCII half-width and the ideographic space into a space', () => {
    // Prepare
    const raw = '\u3000９１４４（长安区）\u3000，ＡＢｃ　 ';

    // Act
    const result = toHalfWidth(raw);

    // Assess
    expect(result).toBe('9144(长安区) ,ABc');
  });

  it('trims, collapses inner whitespace and drops zero-width characters', () => {
    // Prepare
    const raw = ' \t吊销，\u200B  未注销\n\uFEFF';

    // Act
    const result = toHalfWidth(raw);

    // Assess
    expect(result).toBe('吊销, 未注销');
  });

  it('leaves Chinese punctuation outside the full-width ASCII block alone', () => {
    // Prepare
    const raw = '存续（在营、开业、在册）。';

    // Act
    const result = toHalfWidth(raw);

    // Assess
    expect(result).toBe('存续(在营、开业、在册)。');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        // Act
        const once = toHalfWidth(s);

        // Assess
        expect(toHalfWidth(once)).toBe(once);
      }),
    );
  });

  it('leaves no full-width ASCII, no ideographic space and no outer whitespace', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        // Act
        const result = toHalfWidth(s);

        // Assess
        expect(result).not.toMatch(/[\uFF01-\uFF5E\u3000]/);
        expect(result).toBe(result.trim());
        expect(result).not.toMatch(/\s\s/);
      }),
    );
  });
});

describe('compactText', () => {
  it('removes every whitespace after the half-width pass', () => {
    // Prepare
    const raw = ' 长安\u3000区 ';

    // Act
    const result = compactText(raw);

    // Assess
    expect(result).toBe('长安区');
  });
});
