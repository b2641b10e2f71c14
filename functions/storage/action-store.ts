/**
 * Actions on listings, each its own item beside the listing in its subject's partition, so the subject's
 * page reads them with its listings and the trail records each (type `action` is audited) in the
 * subject's history. An action is never changed once recorded.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ListingAction } from '#domain/actions.ts';
import { listingSortKey } from '#domain/subject-writes.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { prefixQuery, queryAll } from './batch.ts';
import { ITEM_TYPES, type Key, keys, withoutKeys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';

/** The key of an action's item (its trail entries carry it too). */
export function actionKey(action: ListingAction): Key {
  const sortKey = listingSortKey({ listType: action.listType, key: action.listingKey });
  return keys.action(action.uscc, sortKey, action.at, action.actionId);
}

/**
 * Records an action with who recorded it and why. The put holds only if no item has its key: an action
 * id is new each time, so a second put under it is a bug, never an update.
 */
export async function putAction(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
  action: ListingAction,
  changedBy: ChangedBy,
): Promise<void> {
  await deps.client.send(
    new PutCommand({
      TableName: deps.tableName,
      Item: {
        ...actionKey(action),
        type: ITEM_TYPES.action,
        ...action,
        changedBy,
        // The trail dates an entry by the item's updatedAt: the action's own time.
        updatedAt: action.at,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

/** An action as read back: with who recorded it and why. */
export type RecordedAction = ListingAction & { readonly changedBy: ChangedBy };

/** Every action on the listings of a subject, oldest first within each listing. */
export async function subjectActions(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
  uscc: string,
): Promise<RecordedAction[]> {
  const items = await queryAll(deps.client, prefixQuery(deps.tableName, keys.actionPrefix(uscc)));
  return items.map((item) => {
    const { updatedAt: _updatedAt, ...action } = withoutKeys<RecordedAction & { updatedAt?: string }>(item);
    return action;
  });
}
