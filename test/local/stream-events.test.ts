/**
 * The local runtime's DynamoDB stream events, read from DynamoDB Local's Streams API, held to the golden
 * fixture of the event Lambda's event source mapping sends: same keys and types record by record, the
 * same fixed values, images that decode to the items written, and the mapping's type filter.
 */
import { readFileSync } from 'node:fs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStreamConsumer } from '../../local/stream-reader.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import { shapeOf } from './shape.ts';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/events/dynamodb-stream.json', import.meta.url), 'utf8'),
) as DynamoDBStreamEvent;

/** The subject as the fixture carries it, as a plain item. */
function fixtureItem(index: number, image: 'NewImage' | 'OldImage') {
  return unmarshall(fixture.Records[index]?.dynamodb?.[image] as never);
}

/** What a record may differ in from the fixture: ids, times, sizes, region and ARN are the environment's. */
function fixedValues(record: DynamoDBRecord) {
  return {
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    streamViewType: record.dynamodb?.StreamViewType,
  };
}

let table: TestTable;
let records: DynamoDBRecord[];

beforeAll(async () => {
  table = await createTestTable('stream-events', { stream: true });
  const put = (item: Record<string, unknown>) =>
    table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: item }));
  await put(fixtureItem(0, 'NewImage'));
  await put(fixtureItem(1, 'NewImage'));
  await put({ PK: 'IMPORTHASH#push#x', SK: 'HASH', type: 'import-hash' });
  records = [];
  const consumer = createStreamConsumer({
    endpoint: table.endpoint,
    tableName: table.tableName,
    name: 'fixture',
    types: ['subject'],
    handler: async (event) => {
      records.push(...event.Records);
      return { batchItemFailures: [] };
    },
    log: () => undefined,
  });
  await consumer.drain();
  await consumer.stop();
});

describe('local DynamoDB stream events carry the shape and values of the cloud events', () => {
  it('has the keys and types of the fixture, record by record', () => {
    expect(records).toHaveLength(2);
    expect(records.map((record) => shapeOf(record))).toEqual(
      fixture.Records.map((record) => shapeOf(record)),
    );
  });

  it('has the fixed values of the fixture and the environment values in their formats', () => {
    expect(records.map(fixedValues)).toEqual(fixture.Records.map(fixedValues));
    for (const record of records) {
      expect(Number.isInteger(record.dynamodb?.ApproximateCreationDateTime)).toBe(true);
      expect(record.dynamodb?.SequenceNumber).toMatch(/^\d+$/);
      expect(record.eventSourceARN).toMatch(
        /^arn:aws:dynamodb:[\w-]+:\d+:table\/[\w.-]+\/stream\/[\d\-T:.]+$/,
      );
      expect(record.eventID).toMatch(/^[\w-]+$/);
    }
  });

  it('carries the images that decode to the items written, an empty map as {"M": {}}', () => {
    expect(records.map((record) => record.dynamodb?.NewImage)).toEqual(
      fixture.Records.map((record) => record.dynamodb?.NewImage),
    );
    expect(records[1]?.dynamodb?.OldImage).toEqual(fixture.Records[1]?.dynamodb?.OldImage);
    expect(records[1]?.dynamodb?.NewImage?.flags).toEqual({ M: {} });
  });

  it("drops what the mapping's filter drops: item types that are not audited", () => {
    expect(records.every((record) => record.dynamodb?.NewImage?.type?.S === 'subject')).toBe(true);
  });
});
