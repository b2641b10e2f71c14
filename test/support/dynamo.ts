/**
 * Each test file gets its own table on the run's DynamoDB Local, so files run in parallel.
 * Refuses to run against anything but a loopback endpoint: these tests must never reach AWS.
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createDocumentClient } from '#storage/client.ts';
import { ensureTable } from '../../local/dynamodb-local.ts';

export interface TestTable {
  readonly endpoint: string;
  readonly tableName: string;
  readonly documentClient: ReturnType<typeof createDocumentClient>;
}

export async function createTestTable(label = 'test'): Promise<TestTable> {
  const endpoint = inject('dynamoEndpoint');
  if (!/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(endpoint)) {
    throw new Error(`refusing to run integration tests against ${endpoint}: DynamoDB Local only`);
  }
  const tableName = `${label}-${randomUUID().slice(0, 8)}`;
  await ensureTable(endpoint, tableName);
  return { endpoint, tableName, documentClient: createDocumentClient({ endpoint }) };
}
