/** Content hashes of imported files, so that a file seen twice in a source imports once. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ImportRecord } from '#shared/import-receipt.ts';
import { isConditionFailed } from './errors.ts';
import { getImport } from './import-batch-store.ts';
import { ITEM_TYPES, keys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';

type Deps = Pick<StoreDeps, 'client' | 'tableName'>;

/**
 * Claims a file's content hash within its source for an import. Returns the import that claimed it
 * first when that is another one: the file was seen before in this source. A hash whose import was
 * rejected can be claimed again.
 */
export async function claimContentHash(
  deps: Deps,
  record: Pick<ImportRecord, 'importId' | 'source'>,
  sha256: string,
): Promise<string | undefined> {
  const { importId, source } = record;
  const key = keys.importHash(source, sha256);
  const item = { ...key, type: ITEM_TYPES.importHash, source, sha256, importId };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await deps.client.send(
        new PutCommand({
          TableName: deps.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(PK) OR importId = :importId',
          ExpressionAttributeValues: { ':importId': importId },
        }),
      );
      return undefined;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const held = await deps.client.send(
        new GetCommand({ TableName: deps.tableName, Key: key, ConsistentRead: true }),
      );
      const owner = String(held.Item?.importId ?? '');
      const ownerImport = owner === '' ? undefined : await getImport(deps, owner);
      if (ownerImport !== undefined && ownerImport.status !== 'rejected') return owner;
      // the earlier import of this content was rejected: take the hash over
      await deps.client
        .send(
          new PutCommand({
            TableName: deps.tableName,
            Item: item,
            ConditionExpression: 'importId = :owner',
            ExpressionAttributeValues: { ':owner': owner },
          }),
        )
        .catch(() => undefined);
    }
  }
  throw new Error(`could not claim content hash ${sha256} of source ${source}`);
}
