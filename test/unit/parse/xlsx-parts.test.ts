/**
 * A part that goes over its limit before anyone reads it: the rejection waits for its reader, and
 * nothing is thrown where no one can catch it.
 */
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { XLSX_LIMITS } from '../../../functions/import/parse/limits.ts';
import { guardedWorksheets, type WorkbookPartReaders } from '../../../functions/import/parse/xlsx-parts.ts';
import { chunksOf, rejectionOf, xlsxBytes } from './support.ts';

/** A reader that has its shared strings and relationships already, and hands each worksheet's bytes on unread. */
function idleReader(): WorkbookPartReaders<AsyncIterable<Buffer>> {
  const drain = async (entry: Readable) => {
    entry.resume();
    await once(entry, 'end');
  };
  return {
    sharedStrings: [],
    workbookRels: [],
    _parseRels: drain,
    _parseWorkbook: drain,
    _parseStyles: drain,
    async *_parseSharedStrings(entry) {
      await drain(entry);
      yield* [];
    },
    *_parseWorksheet(iterator) {
      yield { eventType: 'worksheet', value: iterator };
    },
  };
}

async function* archiveOf(bytes: Uint8Array): AsyncGenerator<Buffer> {
  for await (const chunk of chunksOf(bytes, 65_536)) yield Buffer.from(chunk);
}

describe('guardedWorksheets', () => {
  it('holds a worksheet that went over its limit unread until its reader asks for it', async () => {
    // Prepare: a worksheet far over a 20 kB limit, which the inflater fills before anyone reads it
    const file = await xlsxBytes((workbook) => {
      const sheet = workbook.addWorksheet('名单');
      for (let row = 1; row <= 2_000; row++) sheet.addRow([`石家庄测试商贸有限公司${row}`, row]);
    });
    const sheets = guardedWorksheets(idleReader(), Readable.from(archiveOf(file)), {
      ...XLSX_LIMITS,
      worksheetBytes: 20_000,
    });
    const first = await sheets.next();
    if (first.done === true) throw new Error('no worksheet');
    await sleep(200);
    // Act
    const error = await rejectionOf(
      (async () => {
        for await (const _ of first.value);
      })(),
    );
    await sheets.return();
    // Assess
    expect(error.reason).toBe('too-large');
    expect(error.message).toMatch(/xl\/worksheets\/sheet1\.xml 解压后超过/);
  });
});
