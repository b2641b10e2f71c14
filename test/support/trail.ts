/**
 * The trail of a test table, as the cloud writes it: the table's stream read from DynamoDB Local by the
 * local runtime's stream reader and handed to the trail handler as DynamoDB stream events.
 */
import { AUDITED_TYPES } from '#domain/trail.ts';
import { silentLogger } from '#shared/logger.ts';
import { ITEM_TYPES } from '#storage/keys.ts';
import { subjectTrail } from '#storage/trail-store.ts';
import { createTrailHandler } from '../../functions/trail/create-handler.ts';
import { createStreamConsumer, type StreamConsumer, type StreamHandler } from '../../local/stream-reader.ts';
import type { TestTable } from './dynamo.ts';

export interface TrailReader {
  /** Reads the stream until it has nothing more, writing the trail; the number of records handed on. */
  drain(): Promise<number>;
  /** A subject's trail entries, newest first, after a drain. */
  history(uscc: string): Promise<Awaited<ReturnType<typeof subjectTrail>>['entries']>;
  stop(): Promise<void>;
}

export function trailHandlerOf(table: TestTable) {
  return createTrailHandler({
    store: { client: table.documentClient, tableName: table.tableName },
    log: silentLogger,
  });
}

/** One reader per table: it keeps its place in the stream between drains. */
export function trailReader(table: TestTable, handler: StreamHandler = trailHandlerOf(table)): TrailReader {
  const consumer: StreamConsumer = createStreamConsumer({
    endpoint: table.endpoint,
    tableName: table.tableName,
    name: 'trail',
    types: AUDITED_TYPES,
    handler,
    maxRetries: 3,
    log: () => undefined,
  });
  return {
    drain: () => consumer.drain(),
    async history(uscc) {
      await consumer.drain();
      const page = await subjectTrail({ client: table.documentClient, tableName: table.tableName }, uscc, {
        limit: 1_000,
      });
      return page.entries;
    },
    stop: () => consumer.stop(),
  };
}

/** Every trail entry of the table (a scan: tests only). */
export async function allTrailEntries(table: TestTable): Promise<Record<string, unknown>[]> {
  const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.documentClient.send(
      new ScanCommand({
        TableName: table.tableName,
        FilterExpression: '#type = :audit',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':audit': ITEM_TYPES.audit },
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}
