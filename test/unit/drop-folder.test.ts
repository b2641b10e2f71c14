import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DROP_PREFIX,
  importMessageBody,
  importMessageSchema,
  incomingKey,
  parseIncomingKey,
} from '#shared/drop-folder.ts';

const segment = fc.string({ minLength: 1, maxLength: 20 }).filter((text) => !text.includes('/'));
const fileName = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));

describe('drop-folder keys', () => {
  it('read back the source, import and file name an upload key was built from', () => {
    fc.assert(
      fc.property(segment, fc.uuid({ version: 4 }), fileName, (source, importId, name) => {
        const key = incomingKey({ source, importId, fileName: name });
        expect(key.startsWith(DROP_PREFIX.incoming)).toBe(true);
        expect(parseIncomingKey(key)).toEqual({ source, importId, fileName: name });
      }),
    );
  });

  it('read a file dropped straight into a source folder without an import id', () => {
    expect(parseIncomingKey('incoming/court/名单 2022.csv')).toEqual({
      source: 'court',
      fileName: '名单 2022.csv',
    });
    expect(parseIncomingKey('incoming/court/not-a-uuid/名单.csv')).toEqual({
      source: 'court',
      fileName: 'not-a-uuid/名单.csv',
    });
  });

  it('leave keys outside the inbox alone', () => {
    for (const key of ['processed/court/名单.csv', 'incoming/court', 'incoming/court/', 'incomingx/a/b'])
      expect(parseIncomingKey(key), key).toBeUndefined();
  });
});

describe('import queue messages', () => {
  it('are read back by the schema the worker reads them with', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.nat(), (importId, chunk) => {
        for (const message of [
          { kind: 'import-chunk', importId, chunk } as const,
          { kind: 'import-release', importId } as const,
        ])
          expect(importMessageSchema.parse(JSON.parse(importMessageBody(message)))).toEqual(message);
      }),
    );
  });

  it('refuse a chunk that is not a whole non-negative number', () => {
    expect(() => importMessageBody({ kind: 'import-chunk', importId: 'x', chunk: -1 })).toThrow();
    expect(importMessageSchema.safeParse({ kind: 'import-chunk', importId: 'x', chunk: 1.5 }).success).toBe(
      false,
    );
  });
});
