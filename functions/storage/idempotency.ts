/**
 * Idempotency-Key for POSTs that create things: the first request with a key stores what it created;
 * a repeat with the same key (same caller) gets the same thing back instead of a second one.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './errors.ts';
import { ITEM_TYPES, keys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';

/**
 * Claims `idempotencyKey` for `value`; returns the value stored by an earlier request with the same
 * key, or `value` when this request is the first.
 */
export async function claimIdempotencyKey<T extends Record<string, unknown>>(
  deps: Pick<StoreDeps, 'client' | 'tableName' | 'clock'>,
  scope: string,
  idempotencyKey: string,
  value: T,
): Promise<{ first: boolean; value: T }> {
  const key = keys.idempotency(scope, idempotencyKey);
  try {
    await deps.client.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: {
          ...key,
          type: ITEM_TYPES.idempotency,
          value,
          createdAt: deps.clock.now().toISOString(),
          // kept a day; a TTL attribute the table may expire on
          expiresAt: Math.floor(deps.clock.now().getTime() / 1000) + 86_400,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return { first: true, value };
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
    const stored = await deps.client.send(
      new GetCommand({ TableName: deps.tableName, Key: key, ConsistentRead: true }),
    );
    return { first: false, value: stored.Item?.value as T };
  }
}
