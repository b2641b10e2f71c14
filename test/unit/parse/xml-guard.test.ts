/**
 * The guard on a workbook's XML parts: each thing exceljs or its XML parser holds whole is bounded,
 * counted where exceljs starts and stops holding it, and the verdict does not depend on where the
 * inflater cuts the bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileRejectedError } from '../../../functions/import/parse/errors.ts';
import type { XlsxLimits } from '../../../functions/import/parse/limits.ts';
import { type PartKind, XmlPartGuard } from '../../../functions/import/parse/xml-guard.ts';

/** Small limits, so that a test needs a few hundred bytes to pass one. */
const LIMITS: XlsxLimits = {
  cellBytes: 100,
  rowBytes: 1_000,
  rowCells: 5,
  worksheetBytes: 1_000_000,
  sharedStringsBytes: 1_000_000,
  otherPartBytes: 1_000_000,
  workbookBytes: 1_000_000,
};

/** Feeds the part in chunks of `size` bytes; the error the guard threw, or undefined. */
function verdict(kind: PartKind, xml: string, size = 7): FileRejectedError | undefined {
  const bytes = Buffer.from(xml, 'utf8');
  const guard = new XmlPartGuard(kind, LIMITS);
  try {
    for (let offset = 0; offset < bytes.length; offset += size)
      guard.write(bytes.subarray(offset, offset + size));
    guard.end();
  } catch (error) {
    if (error instanceof FileRejectedError) return error;
    throw error;
  }
  return undefined;
}

const a = (count: number) => 'a'.repeat(count);
const sheet = (rows: string) => `<worksheet><sheetData>${rows}</sheetData></worksheet>`;
const cell = (text: string) => `<c r="A1" t="inlineStr"><is><t>${text}</t></is></c>`;

describe('XmlPartGuard', () => {
  it.each<[string, PartKind, string]>([
    [
      'a worksheet of many cells, each under the limit',
      'worksheet',
      sheet(`<row r="1">${cell(a(90)).repeat(5)}</row>`.repeat(20)),
    ],
    [
      'shared strings, each under the limit',
      'shared-strings',
      `<sst>${`<si><t>${a(80)}</t></si>`.repeat(50)}</sst>`,
    ],
    [
      'a long styles part of short tags',
      'other',
      `<styleSheet>${'<xf numFmtId="0" fontId="0"/>'.repeat(200)}</styleSheet>`,
    ],
    [
      'a short comment, CDATA section and instruction',
      'worksheet',
      `<?xml version="1.0"?><!-- a<b --><x><![CDATA[<<>>]]></x>`,
    ],
    ['attributes holding > and /', 'other', `<a b="x>y/" c='/>'>${a(50)}</a>`.repeat(10)],
    [
      'a prefixed namespace',
      'worksheet',
      sheet(`<x:row>${'<x:c><x:v>1</x:v></x:c>'.repeat(5)}</x:row>`.repeat(30)),
    ],
  ])('lets %s through', (_what, kind, xml) => {
    expect(verdict(kind, xml)).toBeUndefined();
  });

  it.each<[string, PartKind, string, RegExp]>([
    ['one long text node', 'other', `<a>${a(101)}</a>`, /单元格或文本/],
    ['one long tag', 'other', `<a b="${a(101)}"/>`, /单元格或文本/],
    ['a long attribute value full of >', 'other', `<a b="${'>'.repeat(101)}"/>`, /单元格或文本/],
    ['a long comment full of <', 'other', `<a><!--${'<'.repeat(101)}--></a>`, /单元格或文本/],
    [
      'a long CDATA section full of < and >',
      'other',
      `<a><![CDATA[${'<>'.repeat(60)}]]></a>`,
      /单元格或文本/,
    ],
    ['a long processing instruction', 'other', `<?pi ${'<>'.repeat(60)}?><a/>`, /单元格或文本/],
    [
      'a document type, which never lets go',
      'other',
      `<!DOCTYPE a [<!ENTITY b "c">]>${'<a/>'.repeat(30)}`,
      /单元格或文本/,
    ],
    [
      'a shared string of short runs that add up',
      'shared-strings',
      `<sst><si>${`<r><t>${a(20)}</t></r>`.repeat(6)}</si></sst>`,
      /单元格或文本/,
    ],
    [
      'a cell value broken by empty tags',
      'worksheet',
      sheet(`<row><c><v>${`${a(40)}<x/>`.repeat(3)}</v></c></row>`),
      /单元格或文本/,
    ],
    [
      'text after the last cell, which the reader still appends to it',
      'worksheet',
      sheet(`<row><c><v>1</v></c></row>${`<y>${a(40)}</y>`.repeat(3)}`),
      /单元格或文本/,
    ],
    [
      'text after a value tag outside any cell, which starts no new value',
      'worksheet',
      sheet(`<row><c><v>1</v></c></row><v>${a(60)}</v><v>${a(60)}</v>`),
      /单元格或文本/,
    ],
    [
      'a row longer than the row limit',
      'worksheet',
      sheet(`<row>${`<x b="${a(20)}"/>`.repeat(50)}</row>`),
      /一行超过/,
    ],
    [
      'a row with more cells than columns',
      'worksheet',
      sheet(`<row>${'<c><v>1</v></c>'.repeat(6)}</row>`),
      /一行超过/,
    ],
    [
      'a long list of column widths',
      'worksheet',
      `<worksheet><cols>${'<col min="1" max="1"/>'.repeat(60)}</cols></worksheet>`,
      /一行超过/,
    ],
    ['elements nested past any workbook', 'other', `${'<a>'.repeat(300)}`, /嵌套过深/],
  ])('refuses %s', (_what, kind, xml, message) => {
    expect(verdict(kind, xml)?.message).toMatch(message);
  });

  it('starts a new value with each cell, not only with each row', () => {
    expect(verdict('worksheet', sheet(`<row>${cell(a(90))}${cell(a(90))}</row>`))).toBeUndefined();
    expect(verdict('worksheet', sheet(`<row>${cell(a(101))}</row>`))?.reason).toBe('too-large');
  });

  it('gives the same verdict wherever the bytes are cut', () => {
    const pieces = fc.constantFrom(
      '<row>',
      '</row>',
      '<c r="A1">',
      '</c>',
      '<v>',
      '</v>',
      '<x/>',
      '<!--',
      '-->',
      '<![CDATA[',
      ']]>',
      '<?p ',
      '?>',
      ' b=">"',
      a(30),
      '<<',
      '>',
      '-',
      ']',
      '名',
    );
    fc.assert(
      fc.property(
        fc.array(pieces, { maxLength: 60 }),
        fc.constantFrom<PartKind>('worksheet', 'shared-strings', 'other'),
        fc.integer({ min: 1, max: 40 }),
        (parts, kind, size) => {
          const xml = sheet(parts.join(''));
          expect(verdict(kind, xml, size)?.message).toBe(verdict(kind, xml, xml.length)?.message);
        },
      ),
    );
  });
});
