/**
 * The background writer the import uses for audit entries: everything added is written once drained,
 * the backlog stays bounded, and a failed write stops the caller instead of vanishing.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { BackgroundWriter } from '#storage/background-writer.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable('background-writer');
});

function items(prefix: string, count: number) {
  return Array.from({ length: count }, (_, index) => ({ PK: `${prefix}#${index}`, SK: 'ENTRY', index }));
}

async function countItems(prefix: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.documentClient.send(
      new ScanCommand({
        TableName: table.tableName,
        FilterExpression: 'begins_with(PK, :prefix)',
        ExpressionAttributeValues: { ':prefix': `${prefix}#` },
        ExclusiveStartKey: start,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return count;
}

describe('BackgroundWriter', () => {
  it('writes every item added, the last partial batch included, once drained', async () => {
    const writer = new BackgroundWriter(table.documentClient, table.tableName);
    for (let from = 0; from < 1_003; from += 59) {
      await writer.add(items('all', 1_003).slice(from, from + 59));
    }
    await writer.drain();
    expect(writer.backlog).toBe(0);
    expect(await countItems('all')).toBe(1_003);
  });

  it('keeps the caller waiting while the backlog is over its bound', async () => {
    const writer = new BackgroundWriter(table.documentClient, table.tableName, {
      concurrency: 1,
      maxBacklog: 50,
      itemsPerTask: 25,
    });
    const backlogs: number[] = [];
    for (let from = 0; from < 400; from += 40) {
      await writer.add(items('bounded', 400).slice(from, from + 40));
      backlogs.push(writer.backlog);
    }
    await writer.drain();
    expect(Math.max(...backlogs)).toBeLessThanOrEqual(50);
    expect(await countItems('bounded')).toBe(400);
  });

  it('throws a failed write at the next call, and writes nothing more', async () => {
    const writer = new BackgroundWriter(table.documentClient, table.tableName, {
      concurrency: 1,
      maxBacklog: 1_000,
      itemsPerTask: 25,
    });
    // an item without its sort key is refused by DynamoDB
    await writer.add([...items('failing', 10), { PK: 'failing#broken' }, ...items('failing-late', 14)]);
    await expect(writer.drain()).rejects.toThrow(/key/i);
    await expect(writer.add(items('after-failure', 30))).rejects.toThrow(/key/i);
    await expect(writer.drain()).rejects.toThrow(/key/i);
    expect(await countItems('after-failure')).toBe(0);
  });
});
