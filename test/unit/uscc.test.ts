import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyIdentifier,
  isEnterpriseUscc,
  LOOK_ALIKE_LETTERS,
  looksLikeResidentId,
  normalizeCode,
  orgCodeCheckChar,
  orgCodeMatchesUscc,
  orgCodeOfUscc,
  USCC_ALPHABET,
  uscc18CheckChar,
  usccDivision,
  validateOrgCode,
  validateUscc,
} from '#domain/uscc.ts';

const VALID = ['914403001922038216', '9144030071526726XG', '91330100799655058B', '91130000677356885K'];

const alphabetChar = fc.constantFrom(...USCC_ALPHABET);
const first17 = fc.string({ unit: alphabetChar, minLength: 17, maxLength: 17 });
/** Any code that passes position 18, whatever position 17 says. */
const validUscc = first17.map((head) => head + uscc18CheckChar(head));
/** A code that passes both checks. */
const fullyValidUscc = fc
  .tuple(
    fc.string({ unit: alphabetChar, minLength: 8, maxLength: 8 }),
    fc.string({ unit: alphabetChar, minLength: 8, maxLength: 8 }),
  )
  .map(([head, org]) => {
    const first17Chars = head + org + orgCodeCheckChar(org);
    return first17Chars + uscc18CheckChar(first17Chars);
  });

function toFullWidth(s: string): string {
  return [...s].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
}

describe('validateUscc', () => {
  it.each(VALID)('accepts %s with no warning', (code) => {
    // Act
    const result = validateUscc(code);

    // Assess
    expect(result).toEqual({ ok: true, uscc: code, warnings: [] });
  });

  it('rejects a wrong position 18 with a Chinese message', () => {
    // Act
    const result = validateUscc('914403001922038217');

    // Assess
    expect(result).toMatchObject({ ok: false, error: 'check-digit' });
    expect(!result.ok && result.message).toMatch(/第18位/);
  });

  it('accepts a wrong position 17 with an org-check warning', () => {
    // Prepare: position 17 of 914403001922038216 is 1; make it 2 and recompute position 18
    const head = '91440300192203822';
    const code = head + uscc18CheckChar(head);

    // Act
    const result = validateUscc(code);

    // Assess
    expect(result.ok).toBe(true);
    expect(result.ok && result.warnings.map((w) => w.code)).toEqual(['org-check']);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['91440300192203821', 'length'],
    ['9144030019220382166', 'length'],
    ['91440300192203821O', 'look-alike'],
    ['9144030019220382-6', 'character'],
  ])('rejects %j as %s', (raw, error) => {
    // Act
    const result = validateUscc(raw);

    // Assess
    expect(result).toMatchObject({ ok: false, error });
    expect(!result.ok && result.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('names the look-alike letters in the message rather than rewriting them', () => {
    // Act
    const result = validateUscc('9I44O3OO1922O38216');

    // Assess
    expect(result).toMatchObject({ ok: false, error: 'look-alike' });
    expect(!result.ok && result.message).toContain('I、O');
  });

  it('accepts any 17 alphabet characters followed by their computed check character', () => {
    fc.assert(
      fc.property(validUscc, (code) => {
        // Act
        const result = validateUscc(code);

        // Assess
        expect(result.ok && result.uscc).toBe(code);
      }),
    );
  });

  it('breaks when any single character of a fully valid code changes', () => {
    fc.assert(
      fc.property(fullyValidUscc, fc.nat(17), alphabetChar, (code, position, replacement) => {
        // Prepare
        fc.pre(code.charAt(position) !== replacement);
        const changed = code.slice(0, position) + replacement + code.slice(position + 1);

        // Act
        const result = validateUscc(changed);

        // Assess: either position 18 fails, or only position 17 does and it warns
        if (result.ok) {
          expect(result.warnings.map((w) => w.code)).toEqual(['org-check']);
        } else {
          expect(result.error).toBe('check-digit');
        }
      }),
    );
  });

  it('validates full-width, lower-case and space-padded variants to the same code', () => {
    fc.assert(
      fc.property(
        validUscc,
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('', ' ', '\u3000', '\t'),
        (code, fullWidth, lowerCase, pad) => {
          // Prepare
          let variant = lowerCase ? code.toLowerCase() : code;
          variant = fullWidth ? toFullWidth(variant) : variant;
          variant = `${pad}${variant.slice(0, 6)}${pad}${variant.slice(6)}${pad}`;

          // Act
          const result = validateUscc(variant);

          // Assess
          expect(result.ok && result.uscc).toBe(code);
        },
      ),
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (raw) => {
        // Act
        const result = validateUscc(raw);

        // Assess
        expect(typeof result.ok).toBe('boolean');
      }),
    );
  });
});

describe('normalizeCode', () => {
  it('trims, removes inner spaces, turns full-width half-width and upper-cases', () => {
    // Act
    const result = normalizeCode(' ９１４４ 0300 1922038216x\u3000');

    // Assess
    expect(result).toEqual({ value: '914403001922038216X', lookAlikes: [] });
  });

  it('lists look-alike letters without rewriting them', () => {
    // Act
    const result = normalizeCode('91o4i0s0v0z0o');

    // Assess
    expect(result).toEqual({ value: '91O4I0S0V0Z0O', lookAlikes: ['O', 'I', 'S', 'V', 'Z'] });
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (raw) => {
        // Act
        const once = normalizeCode(raw);
        const twice = normalizeCode(once.value);

        // Assess
        expect(twice).toEqual(once);
      }),
    );
  });

  it('always reports a look-alike letter, whatever its case or width', () => {
    fc.assert(
      fc.property(
        validUscc,
        fc.nat(17),
        fc.constantFrom(...LOOK_ALIKE_LETTERS),
        fc.constantFrom('upper', 'lower', 'full-width'),
        (code, position, letter, form) => {
          // Prepare
          const written =
            form === 'lower' ? letter.toLowerCase() : form === 'full-width' ? toFullWidth(letter) : letter;
          const withLetter = code.slice(0, position) + written + code.slice(position + 1);

          // Act
          const normalized = normalizeCode(withLetter);
          const validation = validateUscc(withLetter);

          // Assess
          expect(normalized.lookAlikes).toContain(letter);
          expect(normalized.value.charAt(position)).toBe(letter);
          expect(validation).toMatchObject({ ok: false, error: 'look-alike' });
        },
      ),
    );
  });
});

describe('check characters', () => {
  it('computes position 18 of the examples', () => {
    // Act
    const checks = VALID.map((code) => uscc18CheckChar(code.slice(0, 17)));

    // Assess
    expect(checks).toEqual(VALID.map((code) => code.charAt(17)));
  });

  it('computes position 17 of the examples, including X', () => {
    // Act
    const checks = VALID.map((code) => orgCodeCheckChar(code.slice(8, 16)));

    // Assess
    expect(checks).toEqual(['1', 'X', '8', '5']);
  });

  it('throws a RangeError on input of the wrong shape', () => {
    // Assess
    expect(() => uscc18CheckChar('91440300192203821')).not.toThrow();
    expect(() => uscc18CheckChar('9144030019220382')).toThrow(RangeError);
    expect(() => uscc18CheckChar('9144030019220382O')).toThrow(RangeError);
    expect(() => orgCodeCheckChar('1922038')).toThrow(RangeError);
  });
});

describe('validateOrgCode and orgCodeOfUscc', () => {
  it.each(['19220382-1', '192203821', '７１５２６７２６－Ｘ', ' 79965505-8 '])('accepts %j', (raw) => {
    // Act
    const result = validateOrgCode(raw);

    // Assess
    expect(result.ok).toBe(true);
  });

  it('returns the code without the dash', () => {
    // Act
    const result = validateOrgCode('71526726-x');

    // Assess
    expect(result).toEqual({ ok: true, orgCode: '71526726X', lookAlikes: [] });
  });

  it.each([
    ['', 'empty'],
    ['1922038', 'length'],
    ['19220382-2', 'check-digit'],
    ['1922038*-1', 'character'],
  ])('rejects %j as %s', (raw, error) => {
    // Act
    const result = validateOrgCode(raw);

    // Assess
    expect(result).toMatchObject({ ok: false, error });
  });

  it('matches an organisation code to the USCC that embeds it', () => {
    // Act
    const embedded = orgCodeOfUscc('9144030071526726XG');

    // Assess
    expect(embedded).toBe('71526726X');
    expect(orgCodeMatchesUscc('71526726-X', '9144030071526726XG')).toBe(true);
    expect(orgCodeMatchesUscc('19220382-1', '9144030071526726XG')).toBe(false);
    expect(orgCodeOfUscc('9144')).toBeUndefined();
  });

  it('validates the organisation code embedded in every fully valid USCC', () => {
    fc.assert(
      fc.property(fullyValidUscc, (code) => {
        // Act
        const org = orgCodeOfUscc(code) ?? '';

        // Assess
        expect(validateOrgCode(org).ok).toBe(true);
        expect(orgCodeMatchesUscc(`${org.slice(0, 8)}-${org.slice(8)}`, code)).toBe(true);
      }),
    );
  });
});

describe('classifyIdentifier', () => {
  it.each([
    ['914403001922038216', 'uscc'],
    ['914403001922038217', 'uscc'],
    ['91440300192203821O', 'uscc'],
    ['19220382-1', 'org-code'],
    ['192203821', 'org-code'],
    ['130102198001011234', 'person-id'],
    ['13010219800101123x', 'person-id'],
    ['1301021980****1234', 'person-id'],
    ['130102**********34', 'person-id'],
    ['130102800101123', 'person-id'],
    ['1301028001****3', 'person-id'],
    ['', 'unknown'],
    ['张三', 'unknown'],
    ['12345', 'unknown'],
    ['(2022)冀0102执123号', 'unknown'],
  ])('classifies %j as %s', (raw, kind) => {
    // Act
    const result = classifyIdentifier(raw);

    // Assess
    expect(result).toBe(kind);
  });

  it('never calls a valid USCC a person ID when positions 1–2 cannot be a province', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          validUscc.filter((code) => !looksLikeResidentId(code)),
          fc
            .string({ unit: fc.constantFrom(...'0123456789'), minLength: 16, maxLength: 16 })
            .map((h) => `9${h}${uscc18CheckChar(`9${h}`)}`),
        ),
        (code) => {
          // Act
          const result = classifyIdentifier(code);

          // Assess
          expect(result).toBe('uscc');
        },
      ),
    );
  });

  it('calls a dated ID-shaped code a person ID when it fails the USCC organisation-code check (privacy first)', () => {
    fc.assert(
      fc.property(
        fc
          .stringMatching(/^13010219[5-9]\d(0[1-9]|1[0-2])(0[1-9]|[12]\d)\d{3}$/)
          .map((h) => h + uscc18CheckChar(h))
          .filter((code) => {
            const validation = validateUscc(code);
            return validation.ok && validation.warnings.length > 0 && /[0-9X]$/.test(code);
          }),
        (code) => {
          expect(classifyIdentifier(code)).toBe('person-id');
        },
      ),
    );
  });

  it('calls a dated 18-character ID that fails the USCC check a person ID, masked or not', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^13010[1-9](19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dX]$/),
        fc.array(fc.nat(17), { maxLength: 8 }),
        (id, masked) => {
          // Prepare
          fc.pre(!validateUscc(id).ok);
          const written = [...id].map((c, i) => (masked.includes(i) ? '*' : c)).join('');

          // Act
          const result = classifyIdentifier(written);

          // Assess
          expect(result).toBe('person-id');
          expect(looksLikeResidentId(written)).toBe(true);
        },
      ),
    );
  });
});

describe('isEnterpriseUscc and usccDivision', () => {
  it('tells enterprises by the configured prefixes', () => {
    // Assess
    expect(isEnterpriseUscc('914403001922038216')).toBe(true);
    expect(isEnterpriseUscc(' ９１４４０３００１９２２０３８２１６')).toBe(true);
    expect(isEnterpriseUscc('92130102MA07ABCDE1')).toBe(false);
    expect(isEnterpriseUscc('92130102MA07ABCDE1', ['91', '92'])).toBe(true);
    expect(isEnterpriseUscc('914403001922038216', [])).toBe(false);
  });

  it('reads positions 3–8', () => {
    // Assess
    expect(usccDivision('91130000677356885K')).toBe('130000');
    expect(usccDivision('914403001922038216')).toBe('440300');
    expect(usccDivision('9144')).toBeUndefined();
  });
});

describe('classifyIdentifier keeps resident IDs out even when they pass the USCC check by chance', () => {
  it('calls an ID that passes position 18 but fails position 17 a person ID', () => {
    expect(validateUscc('13010219800230123X').ok).toBe(true);
    expect(classifyIdentifier('13010219800230123X')).toBe('person-id');
  });

  it('calls an ID with a valid resident-ID check character a person ID', () => {
    // 11010519491231002X is the textbook example of GB 11643
    expect(classifyIdentifier('11010519491231002X')).toBe('person-id');
  });

  it('never takes an enterprise code for a person', () => {
    for (const code of [
      '914403001922038216',
      '9144030071526726XG',
      '91330100799655058B',
      '91130000677356885K',
    ]) {
      expect(classifyIdentifier(code)).toBe('uscc');
    }
  });
});
