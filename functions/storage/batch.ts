/**
 * Helpers that respect DynamoDB's limits: BatchWriteItem takes 25 requests and may leave some
 * unprocessed; BatchGetItem takes 100 keys; TransactWriteItems takes 100 actions, never two on one
 * item; Query and Scan return pages of at most 1 MB. Callers never see those limits.
 */
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';

type WriteRequest = NonNullable<
  NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string]
>[number];
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Item = Record<string, unknown>;

export const BATCH_WRITE_LIMIT = 25;
export const BATCH_GET_LIMIT = 100;
export const TRANSACT_LIMIT = 100;
const MAX_RETRIES = 12;

/** Exponential backoff with full jitter, capped at 2 s. */
export function backoffMs(attempt: number): number {
  return Math.random() * Math.min(2_000, 25 * 2 ** attempt);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes all requests in batches of 25, retrying unprocessed items with backoff; up to `concurrency`
 * batches in flight at once.
 */
export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  concurrency = 1,
): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT)
    batches.push(requests.slice(start, start + BATCH_WRITE_LIMIT));
  let next = 0;
  const writer = async () => {
    while (next < batches.length) {
      const batch = batches[next++] as WriteRequest[];
      await writeBatch(client, tableName, batch);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, writer));
}

async function writeBatch(client: DynamoDBDocumentClient, tableName: string, batch: WriteRequest[]) {
  let pending = batch;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > MAX_RETRIES) throw new Error(`BatchWriteItem left ${pending.length} items unprocessed`);
    if (attempt > 0) await sleep(backoffMs(attempt));
    const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    pending = (result.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
  }
}

/** Puts all items in batches of 25, up to `concurrency` batches in flight. */
export function batchPutAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Item[],
  concurrency = 1,
) {
  return batchWriteAll(
    client,
    tableName,
    items.map((item) => ({ PutRequest: { Item: item } })),
    concurrency,
  );
}

/** Reads all keys, 100 per BatchGetItem, retrying unprocessed keys; order of the answer is not the keys'. */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, string>[],
  options?: Pick<
    NonNullable<BatchGetCommandInput['RequestItems']>[string],
    'ProjectionExpression' | 'ExpressionAttributeNames' | 'ConsistentRead'
  >,
): Promise<Item[]> {
  const found: Item[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
    let pending = keys.slice(start, start + BATCH_GET_LIMIT);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > MAX_RETRIES) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed`);
      if (attempt > 0) await sleep(backoffMs(attempt));
      const result = await client.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ...options } } }),
      );
      found.push(...((result.Responses?.[tableName] ?? []) as Item[]));
      pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, string>[];
    }
  }
  return found;
}

/** Runs one transaction after checking the limits DynamoDB would reject it for. */
export async function transactWrite(
  client: DynamoDBDocumentClient,
  items: readonly TransactItem[],
): Promise<void> {
  if (items.length === 0) return;
  if (items.length > TRANSACT_LIMIT) {
    throw new Error(`a transaction takes at most ${TRANSACT_LIMIT} actions, got ${items.length}`);
  }
  const seen = new Set<string>();
  for (const item of items) {
    const key = item.Put?.Item ?? item.Update?.Key ?? item.Delete?.Key ?? item.ConditionCheck?.Key;
    const id = `${String(key?.PK)}\u0000${String(key?.SK)}`;
    if (seen.has(id)) throw new Error(`a transaction may not touch ${id.replace('\u0000', ' ')} twice`);
    seen.add(id);
  }
  await client.send(new TransactWriteCommand({ TransactItems: [...items] }));
}

/** A query for the items of one partition whose sort key starts with a prefix. */
export function prefixQuery(
  tableName: string,
  prefix: { PK: string; SKPrefix: string },
  options: Omit<QueryCommandInput, 'TableName' | 'KeyConditionExpression' | 'ExpressionAttributeValues'> = {},
): QueryCommandInput {
  return {
    TableName: tableName,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
    ExpressionAttributeValues: { ':pk': prefix.PK, ':sk': prefix.SKPrefix },
    ...options,
  };
}

/** Every page of a query, one after the other. */
export async function* queryPages(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
): AsyncGenerator<Item[]> {
  let ExclusiveStartKey = input.ExclusiveStartKey;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    yield (page.Items ?? []) as Item[];
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey !== undefined);
}

/** All items of a query. Only for partitions known to be small. */
export async function queryAll(client: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of queryPages(client, input)) items.push(...page);
  return items;
}

/** A parallel scan in `segments` segments; `onPage` sees every page of every segment. */
export async function parallelScan(
  client: DynamoDBDocumentClient,
  input: ScanCommandInput,
  segments: number,
  onPage: (items: Item[]) => void | Promise<void>,
): Promise<void> {
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let ExclusiveStartKey: ScanCommandInput['ExclusiveStartKey'];
      do {
        const page = await client.send(
          new ScanCommand({ ...input, Segment: segment, TotalSegments: segments, ExclusiveStartKey }),
        );
        await onPage((page.Items ?? []) as Item[]);
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey !== undefined);
    }),
  );
}

/** Pagination cursor: the last evaluated key as base64url JSON. */
export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | undefined {
  return lastKey === undefined
    ? undefined
    : Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const values = Object.values(parsed);
      if (values.every((value) => typeof value === 'string')) return parsed as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  return undefined;
}
