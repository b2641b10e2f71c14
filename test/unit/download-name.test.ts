import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asciiErrorReportFileName,
  attachmentDisposition,
  errorReportFileName,
} from '../../functions/api/download-name.ts';

/** What a browser does with `filename*=UTF-8''…` (RFC 5987). */
function decodeExtValue(header: string): string | undefined {
  const match = /filename\*=UTF-8''([^;\s]+)/.exec(header);
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

describe('the errors download name', () => {
  it('is the uploaded name without its extension, then 错误明细.csv', () => {
    expect(errorReportFileName('名单.csv')).toBe('名单.错误明细.csv');
    expect(errorReportFileName('2022年11月 失信名单.XLSX')).toBe('2022年11月 失信名单.错误明细.csv');
    expect(errorReportFileName('a.b.csv')).toBe('a.b.错误明细.csv');
  });

  it('falls back to an ASCII name built from what is ASCII in the uploaded one, or the import', () => {
    expect(asciiErrorReportFileName('名单-2022.csv', 'import-1')).toBe('2022.errors.csv');
    expect(asciiErrorReportFileName('名单.csv', 'import-1')).toBe('import-1.errors.csv');
    expect(asciiErrorReportFileName('court list "A".xlsx', 'import-1')).toBe('court list A.errors.csv');
  });
});

describe('attachmentDisposition', () => {
  it('carries any name exactly in filename*, and a quoted ASCII fallback', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), fc.string(), (name, fallback) => {
        // Act
        const header = attachmentDisposition(name, fallback);
        // Assess
        expect(decodeExtValue(header)).toBe(name);
        expect(header).toMatch(
          /^attachment; filename="[\x20-\x21\x23-\x5B\x5D-\x7E]*"; filename\*=UTF-8''[A-Za-z0-9%!._~-]+$/,
        );
      }),
    );
  });
});
