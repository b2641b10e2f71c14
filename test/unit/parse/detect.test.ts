import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { DETECT_SAMPLE_BYTES, detectFile, isUtf8Prefix } from '../../../functions/import/parse/detect.ts';
import { pseudoRandomBytes, utf8, xlsxBytes } from './support.ts';

const HEADER = '企业名称,统一社会信用代码,所属区县,列入日期\r\n';
const ROW = '石家庄市长安区某某商贸有限公司,91130102MA0CXXXX1X,长安区,2022-11-03\r\n';

/** The first DETECT_SAMPLE_BYTES bytes of a long file, cut wherever the count falls. */
function sampleOf(bytes: Uint8Array): Uint8Array {
  return bytes.subarray(0, DETECT_SAMPLE_BYTES);
}

describe('detectFile', () => {
  it('reads a ZIP as XLSX', async () => {
    // Prepare
    const workbook = await xlsxBytes((wb) => wb.addWorksheet('名单').addRow(['企业名称']));
    // Act / Assess
    expect(detectFile(sampleOf(workbook))).toEqual({ format: 'xlsx' });
  });

  it('refuses an old .xls and asks for XLSX or CSV', () => {
    const ole2 = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(600).fill(0)]);
    const detection = detectFile(ole2);
    expect(detection).toMatchObject({ format: 'rejected', reason: 'not-a-spreadsheet' });
    expect(detection.format === 'rejected' && detection.message).toContain('.xlsx');
  });

  it('calls an empty file, or a BOM alone, empty', () => {
    expect(detectFile(new Uint8Array())).toMatchObject({ format: 'rejected', reason: 'empty' });
    expect(detectFile(Uint8Array.from([0xef, 0xbb, 0xbf]))).toMatchObject({ reason: 'empty' });
  });

  it('tells UTF-8 with and without BOM', () => {
    expect(detectFile(utf8(`\uFEFF${HEADER}${ROW}`))).toEqual({
      format: 'csv',
      encoding: 'utf8-bom',
      delimiter: ',',
    });
    expect(detectFile(utf8(`${HEADER}${ROW}`))).toEqual({ format: 'csv', encoding: 'utf8', delimiter: ',' });
    expect(detectFile(utf8('uscc,name\r\n'))).toMatchObject({ encoding: 'utf8' });
  });

  it('allows a UTF-8 character cut off at the end of the sample, at every cut', () => {
    // Prepare: 中 is three bytes, so one of three cuts falls inside it
    const long = utf8(`${HEADER}${ROW.repeat(200)}`);
    for (const cut of [DETECT_SAMPLE_BYTES, DETECT_SAMPLE_BYTES + 1, DETECT_SAMPLE_BYTES + 2]) {
      // Act / Assess
      expect(detectFile(long.subarray(0, cut))).toMatchObject({ format: 'csv', encoding: 'utf8' });
    }
  });

  it('reads GBK as GB18030, even cut inside a character', () => {
    // Prepare
    const gbk = iconv.encode(`${HEADER}${ROW.repeat(200)}`, 'gbk');
    // Act / Assess
    expect(detectFile(gbk.subarray(0, 500))).toEqual({ format: 'csv', encoding: 'gb18030', delimiter: ',' });
    expect(detectFile(gbk.subarray(0, DETECT_SAMPLE_BYTES))).toMatchObject({ encoding: 'gb18030' });
    expect(detectFile(gbk.subarray(0, DETECT_SAMPLE_BYTES + 1))).toMatchObject({ encoding: 'gb18030' });
  });

  it('takes a tab-separated export for what it is, even under a title row', () => {
    const tsv = utf8(
      '石家庄市失信被执行人名单\r\n企业名称\t统一社会信用代码\r\n甲公司\t914403001922038216\r\n',
    );
    expect(detectFile(tsv)).toMatchObject({ format: 'csv', delimiter: '\t' });
    expect(detectFile(utf8('企业名称\t备注\r\n甲公司\t"a,b"\r\n'))).toMatchObject({ delimiter: '\t' });
    expect(detectFile(utf8('企业名称,备注\t说明\r\n'))).toMatchObject({ delimiter: ',' });
  });

  it('refuses text in an encoding it cannot trust', () => {
    // Latin-1 text is neither UTF-8 nor Chinese in GB18030
    const latin1 = Buffer.from(
      'Soci\u00e9t\u00e9 g\u00e9n\u00e9rale,d\u00e9j\u00e0 vu,caf\u00e9\r\n',
      'latin1',
    );
    expect(detectFile(latin1)).toMatchObject({ format: 'rejected', reason: 'encoding' });
    // A BOM that says UTF-8 over GBK bytes
    const lying = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), iconv.encode(HEADER, 'gbk')]);
    expect(detectFile(lying)).toMatchObject({ format: 'rejected', reason: 'encoding' });
    // UTF-16 ("Unicode text" from Excel)
    expect(detectFile(iconv.encode(HEADER, 'utf16le', { addBOM: true }))).toMatchObject({
      reason: 'encoding',
    });
  });

  it('refuses binary garbage, PDFs and HTML pretending to be .xls', () => {
    expect(detectFile(pseudoRandomBytes(DETECT_SAMPLE_BYTES, 42))).toMatchObject({
      reason: 'not-a-spreadsheet',
    });
    expect(detectFile(utf8('%PDF-1.7\n%âãÏÓ\n1 0 obj'))).toMatchObject({ reason: 'not-a-spreadsheet' });
    expect(detectFile(utf8('企业名称\u0000统一社会信用代码'))).toMatchObject({ reason: 'not-a-spreadsheet' });
    const html = utf8(
      '<html><head><meta charset="utf-8"></head><body><table><tr><td>企业名称</td></tr></table>',
    );
    expect(detectFile(html)).toMatchObject({ reason: 'not-a-spreadsheet' });
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2 * DETECT_SAMPLE_BYTES }), (bytes) => {
        const detection = detectFile(bytes);
        expect(['xlsx', 'csv', 'rejected']).toContain(detection.format);
      }),
    );
  });

  it('takes any text written as UTF-8 for UTF-8', () => {
    const text = fc.string({ unit: 'grapheme', minLength: 1 }).filter((s) => !/[\p{Cc}<]/u.test(s));
    fc.assert(
      fc.property(text, (s) => {
        expect(detectFile(utf8(`名称,${s}`))).toMatchObject({ format: 'csv', encoding: 'utf8' });
      }),
    );
  });
});

describe('isUtf8Prefix', () => {
  it.each([
    [[0xc0, 0x80], false], // overlong NUL
    [[0xed, 0xa0, 0x80], false], // surrogate
    [[0xf4, 0x90, 0x80, 0x80], false], // above U+10FFFF
    [[0xe4, 0xb8], true], // 中 cut after two bytes
    [[0xe4, 0xb8, 0xad], true],
    [[0xe4, 0x41], false],
  ])('judges %j as %s', (bytes, expected) => {
    expect(isUtf8Prefix(Uint8Array.from(bytes))).toBe(expected);
  });
});
