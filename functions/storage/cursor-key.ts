/**
 * The secret that signs the API's pagination cursors. It lives in the table itself, so every Lambda
 * instance (and the local runtime) signs with the same key without a secret store: the first caller
 * creates it with a conditional put, everyone after reads it.
 */
import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './errors.ts';
import { ITEM_TYPES, keys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';

const KEY_BYTES = 32;

async function readCursorKey(deps: Pick<StoreDeps, 'client' | 'tableName'>): Promise<Buffer | undefined> {
  const stored = await deps.client.send(
    new GetCommand({ TableName: deps.tableName, Key: keys.cursorKey(), ConsistentRead: true }),
  );
  const secret: unknown = stored.Item?.secret;
  return typeof secret === 'string' ? Buffer.from(secret, 'base64url') : undefined;
}

/** The table's cursor key, created (32 random bytes) by the first caller to need it. */
export async function loadCursorKey(
  deps: Pick<StoreDeps, 'client' | 'tableName' | 'clock'>,
): Promise<Buffer> {
  const existing = await readCursorKey(deps);
  if (existing !== undefined) return existing;
  const secret = randomBytes(KEY_BYTES);
  try {
    await deps.client.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: {
          ...keys.cursorKey(),
          type: ITEM_TYPES.cursorKey,
          secret: secret.toString('base64url'),
          createdAt: deps.clock.now().toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return secret;
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
    // another instance created it between our read and our put: theirs is the key
    const created = await readCursorKey(deps);
    if (created === undefined) throw error;
    return created;
  }
}
