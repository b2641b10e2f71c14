/** Whether the table can be reached, for `/health`: one cheap DescribeTable with a short deadline. */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface TableProbeDeps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * True when DynamoDB describes the table within `timeoutMs`; false when it is missing, the database does
 * not answer, or the answer comes too late. Never throws: a health check reports, it does not fail.
 */
export async function tableReachable(deps: TableProbeDeps, timeoutMs: number): Promise<boolean> {
  // The abort ends the SDK's own retries too (the local client retries a refused connection ten times).
  const abortSignal = AbortSignal.timeout(timeoutMs);
  try {
    const answer = await deps.client.send(new DescribeTableCommand({ TableName: deps.tableName }), {
      abortSignal,
    });
    return answer.Table !== undefined;
  } catch {
    return false;
  }
}
