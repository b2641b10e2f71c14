import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileNameProblem, MAX_FILE_NAME_LENGTH } from '../../functions/api/file-name.ts';

/** Characters a plain file name is made of: Chinese, ASCII letters and digits, a few separators. */
const plainChar = fc.constantFrom(
  ...'名单税务法院采购市场监管二〇二二年十一月ABCxyz0123456789 -_()（）【】+,'.split(''),
);
const extension = fc.constantFrom('.csv', '.xlsx', '.CSV', '.XLSX');
/** A name the office would send: plain characters (not starting with a dot) and an imported extension. */
const plainName = fc
  .tuple(fc.array(plainChar, { minLength: 1, maxLength: 60 }), extension)
  .map(([chars, ext]) => `${chars.join('')}${ext}`);

const BIDI = [
  '\u061C',
  '\u200E',
  '\u200F',
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
];
const control = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }),
  fc.constant(0x7f),
  fc.integer({ min: 0x80, max: 0x9f }),
);

/** `name` with `inserted` placed at `at` (a fraction of its length). */
function insert(name: string, inserted: string, at: number): string {
  const chars = [...name];
  const index = Math.floor(at * (chars.length + 1));
  return [...chars.slice(0, index), inserted, ...chars.slice(index)].join('');
}

describe('fileNameProblem', () => {
  it('accepts plain CSV and XLSX names', () => {
    fc.assert(
      fc.property(plainName, (name) => {
        expect(fileNameProblem(name)).toBeUndefined();
      }),
    );
  });

  it('refuses a name that begins with a dot, which the drop folder would never pick up', () => {
    fc.assert(
      fc.property(plainName, (name) => {
        expect(fileNameProblem(`.${name}`)).toBe('文件名不能以“.”开头');
      }),
    );
    expect(fileNameProblem('.csv')).toBe('文件名不能以“.”开头');
  });

  it('refuses a bidirectional control anywhere in the name', () => {
    fc.assert(
      fc.property(plainName, fc.constantFrom(...BIDI), fc.double({ min: 0, max: 1 }), (name, bidi, at) => {
        expect(fileNameProblem(insert(name, bidi, at))).toBe('文件名不能包含改变文字方向的不可见字符');
      }),
    );
  });

  it('refuses a control character anywhere in the name', () => {
    fc.assert(
      fc.property(plainName, control, fc.double({ min: 0, max: 1 }), (name, code, at) => {
        expect(fileNameProblem(insert(name, String.fromCharCode(code), at))).toMatch(/控制字符/);
      }),
    );
  });

  it('refuses folders, other extensions, empty and long names, each with a Chinese reason', () => {
    const refused = [
      'incoming/court/名单.csv',
      '..\\名单.csv',
      '名单.xls',
      '名单.exe',
      '名单',
      '',
      `${'名'.repeat(MAX_FILE_NAME_LENGTH - 3)}.csv`,
    ];
    for (const name of refused) expect(fileNameProblem(name)).toMatch(/[\u4e00-\u9fff]/);
    expect(fileNameProblem(`${'名'.repeat(MAX_FILE_NAME_LENGTH - 4)}.csv`)).toBeUndefined();
  });

  it('answers every string with a Chinese reason or accepts it, never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 250 }), (name) => {
        const problem = fileNameProblem(name);
        if (problem === undefined) {
          expect(name.startsWith('.')).toBe(false);
          expect(name).toMatch(/\.(csv|xlsx)$/i);
        } else {
          expect(problem).toMatch(/[\u4e00-\u9fff]/);
        }
      }),
    );
  });
});
