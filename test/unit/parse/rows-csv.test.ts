import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { toCsv } from '#shared/csv.ts';
import { FileRejectedError } from '../../../functions/import/parse/errors.ts';
import { readSheetRows } from '../../../functions/import/parse/rows.ts';
import { chunksOf, DEFAULT_LIMITS, pseudoRandomBytes, readAll, rejectionOf, utf8 } from './support.ts';

const cellsAndLines = (rows: { line: number; cells: string[] }[]) =>
  rows.map(({ line, cells }) => [line, cells]);

describe('readSheetRows on CSV', () => {
  it('reads UTF-8 with a BOM, the BOM gone and the first line counted as 1', async () => {
    // Act
    const rows = await readAll(utf8('\uFEFF企业名称,统一社会信用代码\r\n甲公司,914403001922038216\r\n'));
    // Assess
    expect(rows).toEqual([
      { sheet: '', line: 1, cells: ['企业名称', '统一社会信用代码'] },
      { sheet: '', line: 2, cells: ['甲公司', '914403001922038216'] },
    ]);
  });

  it('decodes GBK even when chunks cut its characters in two', async () => {
    // Prepare
    const text =
      '企业名称,所属区县\r\n石家庄市长安区甲商贸有限公司,长安区\r\n（全角括号）公司，有限,桥西区\r\n';
    const gbk = iconv.encode(text, 'gbk');
    // Act
    const rows = await readAll(gbk, DEFAULT_LIMITS, 3);
    // Assess
    expect(rows.map((row) => row.cells)).toEqual([
      ['企业名称', '所属区县'],
      ['石家庄市长安区甲商贸有限公司', '长安区'],
      ['（全角括号）公司，有限', '桥西区'],
    ]);
  });

  it('counts the physical lines of multi-line quoted cells, with LF and with CRLF', async () => {
    for (const eol of ['\n', '\r\n']) {
      // Prepare
      const text = [
        '名称,原因',
        '甲,"第一行',
        '第二行',
        '第三行"',
        '乙,"a ""quoted"" word"',
        '',
        '丙,"x',
        'y"',
      ].join(eol);
      // Act
      const rows = await readAll(utf8(text));
      // Assess
      expect(cellsAndLines(rows)).toEqual([
        [1, ['名称', '原因']],
        [2, ['甲', `第一行${eol}第二行${eol}第三行`]],
        [5, ['乙', 'a "quoted" word']],
        [6, ['']],
        [7, ['丙', `x${eol}y`]],
      ]);
    }
  });

  it('yields blank lines so that a header finder can skip them', async () => {
    const rows = await readAll(utf8('石家庄市失信被执行人名单,,\n\n\n企业名称,统一社会信用代码,备注\n'));
    expect(cellsAndLines(rows)).toEqual([
      [1, ['石家庄市失信被执行人名单', '', '']],
      [2, ['']],
      [3, ['']],
      [4, ['企业名称', '统一社会信用代码', '备注']],
    ]);
  });

  it('reads tab-separated exports and ragged rows', async () => {
    const rows = await readAll(utf8('企业名称\t统一社会信用代码\n甲公司\t9144\t多出一列\n乙公司\n'));
    expect(rows.map((row) => row.cells)).toEqual([
      ['企业名称', '统一社会信用代码'],
      ['甲公司', '9144', '多出一列'],
      ['乙公司'],
    ]);
  });

  it('reads a header-only file as its one row', async () => {
    const rows = await readAll(utf8('企业名称,统一社会信用代码\r\n'));
    expect(cellsAndLines(rows)).toEqual([[1, ['企业名称', '统一社会信用代码']]]);
  });

  it('refuses an empty file and one of blank lines only', async () => {
    expect((await rejectionOf(readAll(new Uint8Array()))).reason).toBe('empty');
    expect((await rejectionOf(readAll(utf8('\uFEFF')))).reason).toBe('empty');
    expect((await rejectionOf(readAll(utf8('\r\n,,\r\n \r\n')))).reason).toBe('empty');
  });

  it('refuses a file past maxBytes, while streaming', async () => {
    // Prepare
    const big = utf8(`企业名称,统一社会信用代码\r\n${'甲公司,914403001922038216\r\n'.repeat(5000)}`);
    // Act
    const error = await rejectionOf(readAll(big, { maxBytes: 64 * 1024 }));
    // Assess
    expect(error.reason).toBe('too-large');
    expect(error.message).toContain('64 KB');
  });

  it('refuses a file past maxRows', async () => {
    const many = utf8('a,b\n'.repeat(101));
    expect((await rejectionOf(readAll(many, { maxBytes: 1e6, maxRows: 100 }))).reason).toBe('too-many-rows');
    expect(await readAll(many, { maxBytes: 1e6, maxRows: 101 })).toHaveLength(101);
  });

  it('refuses a file that turns out not to be UTF-8 after the sample', async () => {
    // Prepare: 10 KB of UTF-8, then a GBK line
    const mixed = Buffer.concat([
      utf8('企业名称,所属区县\n'.repeat(500)),
      iconv.encode('甲公司,长安区\n', 'gbk'),
    ]);
    // Act / Assess
    expect((await rejectionOf(readAll(mixed))).reason).toBe('encoding');
  });

  it('refuses a quote that never closes, naming the line it opens on', async () => {
    // Act
    const error = await rejectionOf(readAll(utf8('企业名称,原因\n甲,好\n乙,"未闭合\n丙,x\n')));
    // Assess
    expect(error.reason).toBe('not-a-spreadsheet');
    expect(error.message).toContain('第 3 行');
  });

  it('keeps a stray quote inside a cell as text', async () => {
    const rows = await readAll(utf8('名称,备注\n甲,5"屏幕\n'));
    expect(rows[1]?.cells).toEqual(['甲', '5"屏幕']);
  });

  it('refuses random bytes as not a spreadsheet', async () => {
    expect((await rejectionOf(readAll(pseudoRandomBytes(20_000, 7)))).reason).toBe('not-a-spreadsheet');
  });

  it('fails on any bytes only with a FileRejectedError, ZIP-looking or not', async () => {
    const zipMagic = Uint8Array.from([0x50, 0x4b, 0x03, 0x04]);
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 4096 }),
      fc.uint8Array({ maxLength: 4096 }).map((tail) => Buffer.concat([zipMagic, tail])),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (file) => {
        try {
          await readAll(file, DEFAULT_LIMITS, 512);
        } catch (error) {
          expect(error).toBeInstanceOf(FileRejectedError);
        }
      }),
    );
  });

  it('reads lazily: the first row comes before the file is through', async () => {
    // Prepare: 100 000 rows, and a count of the chunks pulled from the source
    const file = utf8(`企业名称,统一社会信用代码\n${'甲公司,914403001922038216\n'.repeat(100_000)}`);
    let pulled = 0;
    async function* counted() {
      for await (const chunk of chunksOf(file, 16 * 1024)) {
        pulled++;
        yield chunk;
      }
    }
    const totalChunks = Math.ceil(file.length / (16 * 1024));
    // Act
    const rows = readSheetRows(counted(), DEFAULT_LIMITS);
    const first = await rows.next();
    await rows.return();
    // Assess
    expect(first.value).toMatchObject({ line: 1 });
    expect(pulled).toBeLessThan(totalChunks / 4);
  });

  it('gives every record the physical line it starts on, whatever the cells hold', async () => {
    const cell = fc.stringMatching(/^[a-z甲乙 ",]{0,6}(\r\n|\n|\r)?[a-z甲乙 ",]{0,6}$/);
    const records = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(records, fc.integer({ min: 1, max: 64 }), async (written, chunkSize) => {
        // Prepare: a header keeps the file non-blank and comma-separated
        const all = [['名称', '代码'], ...written];
        const text = toCsv(all);
        const starts: number[] = [];
        let offset = 0;
        for (const record of all) {
          starts.push(offset);
          offset += toCsv([record]).length;
        }
        const physicalLine = (at: number) => 1 + (text.slice(0, at).match(/\r\n|\r|\n/g)?.length ?? 0);
        // Act
        const rows = await readAll(utf8(text), DEFAULT_LIMITS, chunkSize);
        // Assess
        expect(rows.map((row) => row.cells)).toEqual(all);
        expect(rows.map((row) => row.line)).toEqual(starts.map(physicalLine));
      }),
      { numRuns: 200 },
    );
  });
});
