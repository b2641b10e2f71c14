/**
 * `npm start` keeps its table under .local across versions: a table made before the trail existed gets
 * the stream and the TTL the shared definition asks for, and a new one is made with both.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { createTableInput, TIME_TO_LIVE_ATTRIBUTE } from '#storage/table-definition.ts';
import { ensureTable, localClient } from '../../local/dynamodb-local.ts';

async function describeTable(endpoint: string, tableName: string) {
  const client = localClient(endpoint);
  try {
    const table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    const ttl = (await client.send(new DescribeTimeToLiveCommand({ TableName: tableName })))
      .TimeToLiveDescription;
    return { stream: table?.StreamSpecification, ttl };
  } finally {
    client.destroy();
  }
}

describe('ensureTable', () => {
  it('gives a table of an earlier version the stream and the TTL', async () => {
    // Prepare: the table as an earlier version created it, without a stream
    const endpoint = inject('dynamoEndpoint');
    const tableName = `old-${Date.now()}`;
    const { StreamSpecification: _stream, ...withoutStream } = createTableInput(tableName);
    const client = localClient(endpoint);
    await client.send(new CreateTableCommand(withoutStream));
    client.destroy();
    // Act
    await ensureTable(endpoint, tableName);
    // Assess
    const described = await describeTable(endpoint, tableName);
    expect(described.stream).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(described.ttl).toMatchObject({
      AttributeName: TIME_TO_LIVE_ATTRIBUTE,
      TimeToLiveStatus: 'ENABLED',
    });
  });

  it('creates a new table with both, and changes nothing on a second call', async () => {
    const endpoint = inject('dynamoEndpoint');
    const tableName = `new-${Date.now()}`;
    await ensureTable(endpoint, tableName);
    await ensureTable(endpoint, tableName);
    const described = await describeTable(endpoint, tableName);
    expect(described.stream).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(described.ttl?.TimeToLiveStatus).toBe('ENABLED');
  });
});
