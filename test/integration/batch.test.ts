/** The BatchWriteItem helper: every item written, in batches of 25, several in flight when asked. */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { batchPutAll } from '#storage/batch.ts';
import { createTestTable } from '../support/dynamo.ts';

describe('batchPutAll', () => {
  it.each([1, 4])(
    'writes every item, a partial last batch included, with %i batches in flight',
    async (concurrency) => {
      // Prepare
      const table = await createTestTable('batch');
      const items = Array.from({ length: 263 }, (_, index) => ({
        PK: `ITEM#${index}`,
        SK: 'X',
        type: 'test',
        index,
      }));
      let inFlight = 0;
      let most = 0;
      table.documentClient.middlewareStack.add(
        (next) => async (args) => {
          inFlight++;
          most = Math.max(most, inFlight);
          try {
            return await next(args);
          } finally {
            inFlight--;
          }
        },
        { step: 'initialize', name: 'countInFlight' },
      );
      // Act
      await batchPutAll(table.documentClient, table.tableName, items, concurrency);
      // Assess
      const stored = await table.documentClient.send(new ScanCommand({ TableName: table.tableName }));
      expect((stored.Items ?? []).map((item) => item.index).sort((a, b) => a - b)).toEqual(
        items.map((item) => item.index),
      );
      expect(most).toBe(concurrency);
    },
  );
});
