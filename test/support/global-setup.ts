/** Starts one in-memory DynamoDB Local for the whole test run; each test file creates its own table. */
import type { TestProject } from 'vitest/node';
import { startDynamoLocal } from '../../local/dynamodb-local.ts';
import { requireJava } from '../../local/java.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  // Without Java 17+ every integration test would wait for a DynamoDB Local that never answers.
  requireJava();
  const dynamo = await startDynamoLocal();
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return async () => {
    await dynamo.stop();
  };
}
