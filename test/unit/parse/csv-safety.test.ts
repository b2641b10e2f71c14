import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutralizeCell, toCsv, withBom } from '#shared/csv.ts';

const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'];

/** Text that exercises quoting: quotes, commas, both line breaks, formula starters, Chinese. */
const csvCell = fc.stringMatching(/^[a-z甲乙",\r\n =+\-@\t']{0,12}$/);

describe('neutralizeCell', () => {
  it.each([
    ['=HYPERLINK("http://x","点我")', `'=HYPERLINK("http://x","点我")`],
    ['+86 311', `'+86 311`],
    ['-1', `'-1`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\t=1', `'\t=1`],
    ['\r=1', `'\r=1`],
    ['石家庄某某有限公司', '石家庄某某有限公司'],
    ['', ''],
    ['a=1', 'a=1'],
  ])('makes %j safe as %j', (value, expected) => {
    expect(neutralizeCell(value)).toBe(expected);
  });

  it('never leaves a formula character first', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), csvCell), (value) => {
        const safe = neutralizeCell(value);
        expect(FORMULA_STARTS).not.toContain(safe.charAt(0));
        expect(safe.endsWith(value)).toBe(true);
      }),
    );
  });
});

describe('toCsv', () => {
  it('quotes only what needs it and ends every record with CRLF', () => {
    // Act
    const csv = toCsv([
      ['序号', '主体名称', '退出原因'],
      ['1', '甲公司, 分公司', '说"已履行"'],
      ['2', '乙\n公司', ''],
      [''],
    ]);
    // Assess
    expect(csv).toBe(
      '序号,主体名称,退出原因\r\n1,"甲公司, 分公司","说""已履行"""\r\n2,"乙\n公司",\r\n""\r\n',
    );
  });

  it('neutralises formulas on request', () => {
    expect(toCsv([['=1+1', 'a']], { neutralize: true })).toBe(`'=1+1,a\r\n`);
    expect(toCsv([['=1+1', 'a']])).toBe('=1+1,a\r\n');
  });

  it('is read back by csv-parse as written', () => {
    const rows = fc.array(fc.array(fc.oneof(csvCell, fc.string()), { minLength: 1, maxLength: 6 }), {
      maxLength: 8,
    });
    fc.assert(
      fc.property(rows, (written) => {
        const read = parse(toCsv(written), { relax_column_count: true, skip_empty_lines: false });
        expect(read).toEqual(written);
      }),
    );
  });
});

describe('withBom', () => {
  it('puts one BOM in front', () => {
    expect(withBom('a\r\n')).toBe('\uFEFFa\r\n');
    expect(withBom(withBom('a\r\n'))).toBe('\uFEFFa\r\n');
  });
});
