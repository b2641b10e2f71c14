/**
 * Idempotency-Key for POSTs that create things: the first request with a key stores what it created;
 * a repeat with the same key by the same caller gets the same thing back instead of a second one.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './errors.ts';
import { ITEM_TYPES, keys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';
import { TIME_TO_LIVE_ATTRIBUTE } from './table-definition.ts';

/** How long a key is honoured; the table's TTL removes the record some time after. */
export const IDEMPOTENCY_SECONDS = 86_400;

/**
 * Who used a key, for what. Keys of one caller never meet another's: the token's subject alone is not
 * enough, since two departments' tokens (or a city and a department token) may carry the same `sub`.
 */
export interface IdempotencyScope {
  /** The kind of request, e.g. `imports`. */
  readonly operation: string;
  readonly principal: string;
  readonly role: string;
  readonly department?: string;
  readonly district?: string;
}

/** One key part from the scope; each field encoded, so that no value can run into the next. */
function scopePart(scope: IdempotencyScope): string {
  return [scope.operation, scope.role, scope.principal, scope.department ?? '', scope.district ?? '']
    .map(encodeURIComponent)
    .join('#');
}

/**
 * Claims `idempotencyKey` for `value`; returns the value stored by an earlier request of the same
 * scope with the same key, or `value` when this request is the first (or the earlier claim expired).
 */
export async function claimIdempotencyKey<T extends Record<string, unknown>>(
  deps: Pick<StoreDeps, 'client' | 'tableName' | 'clock'>,
  scope: IdempotencyScope,
  idempotencyKey: string,
  value: T,
): Promise<{ first: boolean; value: T }> {
  const key = keys.idempotency(scopePart(scope), idempotencyKey);
  // a claim found expired and removed between our put and our read is tried again
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = Math.floor(deps.clock.now().getTime() / 1000);
    try {
      await deps.client.send(
        new PutCommand({
          TableName: deps.tableName,
          Item: {
            ...key,
            type: ITEM_TYPES.idempotency,
            value,
            createdAt: deps.clock.now().toISOString(),
            [TIME_TO_LIVE_ATTRIBUTE]: now + IDEMPOTENCY_SECONDS,
          },
          // TTL deletes up to days late: an expired claim is free already
          ConditionExpression: 'attribute_not_exists(PK) OR #expires <= :now',
          ExpressionAttributeNames: { '#expires': TIME_TO_LIVE_ATTRIBUTE },
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return { first: true, value };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const stored = await deps.client.send(
        new GetCommand({ TableName: deps.tableName, Key: key, ConsistentRead: true }),
      );
      if (stored.Item !== undefined) return { first: false, value: stored.Item.value as T };
    }
  }
  throw new Error(`could not claim idempotency key ${idempotencyKey}`);
}
