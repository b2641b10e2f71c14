/**
 * Each test file gets its own table on the run's DynamoDB Local, so files run in parallel.
 * Refuses to run against anything but a loopback endpoint: these tests must never reach AWS.
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createDocumentClient } from '#storage/client.ts';
import { ensureTable, startDynamoLocal } from '../../local/dynamodb-local.ts';

export interface TestTable {
  readonly endpoint: string;
  readonly tableName: string;
  readonly documentClient: ReturnType<typeof createDocumentClient>;
}

export interface TestTableOptions {
  /**
   * The table streams its changes, as the real one does, for tests that read the trail. Off by default:
   * on each item written to a table with a stream, DynamoDB Local walks the records of the streams
   * written before it (an unindexed `MIN(SequenceNumber) … WHERE StreamID = ?`), so its writes slow
   * about 15 times once other tables' streams hold tens of thousands of records, and one DynamoDB Local
   * serves the whole run.
   */
  readonly stream?: boolean;
}

export async function createTestTable(label = 'test', options: TestTableOptions = {}): Promise<TestTable> {
  const endpoint = inject('dynamoEndpoint');
  if (!/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(endpoint)) {
    throw new Error(`refusing to run integration tests against ${endpoint}: DynamoDB Local only`);
  }
  const tableName = `${label}-${randomUUID().slice(0, 8)}`;
  await ensureTable(endpoint, tableName, { stream: options.stream === true });
  return { endpoint, tableName, documentClient: createDocumentClient({ endpoint }) };
}

/**
 * A table with its stream on a DynamoDB Local of its own, for a test whose stream holds many thousand
 * records: on the run's shared instance, every stream table slows as the others' streams fill.
 * `stop()` ends the instance.
 */
export async function createTableOnOwnDynamo(label: string): Promise<TestTable & { stop(): Promise<void> }> {
  const dynamo = await startDynamoLocal();
  const tableName = `${label}-${randomUUID().slice(0, 8)}`;
  await ensureTable(dynamo.endpoint, tableName);
  const documentClient = createDocumentClient({ endpoint: dynamo.endpoint });
  return {
    endpoint: dynamo.endpoint,
    tableName,
    documentClient,
    async stop() {
      documentClient.destroy();
      await dynamo.stop();
    },
  };
}
