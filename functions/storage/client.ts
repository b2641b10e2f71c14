import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock } from './subject-store.ts';

export interface DynamoOptions {
  /** DynamoDB Local's endpoint; absent in the cloud, where the SDK resolves the regional endpoint. */
  readonly endpoint?: string;
  readonly region?: string;
}

/**
 * A document client. Against DynamoDB Local it uses fixed dummy credentials (DynamoDB Local accepts
 * any), so nothing on the machine's AWS configuration can send a test to a real account.
 */
export function createDocumentClient(options: DynamoOptions = {}): DynamoDBDocumentClient {
  const local = options.endpoint !== undefined;
  const client = new DynamoDBClient({
    ...(local
      ? {
          endpoint: options.endpoint,
          region: options.region ?? 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          maxAttempts: 10,
        }
      : {}),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

/** The table of a function's configuration in the cloud: one document client, the system clock. */
export function cloudStore(config: { readonly tableName: string; readonly counterShards?: number }) {
  return {
    client: createDocumentClient(),
    tableName: config.tableName,
    clock: systemClock,
    ...(config.counterShards === undefined ? {} : { counterShards: config.counterShards }),
  };
}
