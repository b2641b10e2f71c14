/**
 * The listings a department may exit directly (rule E1): its active listings on GSI2
 * (`DEPT#<department>#active`), kept to those whose classification — the override prevailing — is the
 * exit list's direct track, by a FilterExpression, so that only they cross the wire.
 */
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { DIRECT_EXIT } from '#domain/direct-exits.ts';
import type { Listing } from '#domain/model.ts';
import { queryPages } from './batch.ts';
import { encodeListingId, indexPartitions } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';
import { GSI } from './table-definition.ts';

/** The effective list and track: the override's where there is one, else the rule's. */
const DIRECT_EXIT_FILTER =
  '((attribute_exists(#c.#o) AND #c.#o.#l = :list AND #c.#o.#t = :track) OR ' +
  '(attribute_not_exists(#c.#o) AND #c.#l = :list AND #c.#t = :track))';

function directExitQuery(tableName: string, department: string, district?: string): QueryCommandInput {
  const index = GSI.byOwnerStatus;
  return {
    TableName: tableName,
    IndexName: index.indexName,
    KeyConditionExpression: `${index.partitionKey} = :pk`,
    FilterExpression:
      district === undefined ? DIRECT_EXIT_FILTER : `${DIRECT_EXIT_FILTER} AND #d = :district`,
    ExpressionAttributeNames: {
      '#c': 'classification',
      '#o': 'override',
      '#l': 'list',
      '#t': 'track',
      '#k': 'key',
      ...(district === undefined ? {} : { '#d': 'district' }),
    },
    ExpressionAttributeValues: {
      ':pk': indexPartitions.listingsOfDepartment(department, 'active'),
      ':list': DIRECT_EXIT.list,
      ':track': DIRECT_EXIT.track,
      ...(district === undefined ? {} : { ':district': district }),
    },
    ProjectionExpression: 'uscc, listType, #k',
  };
}

/**
 * The ids of the department's active listings on the direct-exit track (of one district when given), in
 * listed-date order; stops once it has found `atMost + 1`, enough to tell that there are too many.
 */
export async function directExitListingIds(
  deps: Pick<StoreDeps, 'client' | 'tableName'>,
  department: string,
  options: { readonly district?: string; readonly atMost: number },
): Promise<string[]> {
  const input = directExitQuery(deps.tableName, department, options.district);
  const ids: string[] = [];
  for await (const items of queryPages(deps.client, input)) {
    for (const item of items as Pick<Listing, 'uscc' | 'listType' | 'key'>[]) {
      ids.push(encodeListingId(item.uscc, item.listType, item.key));
      if (ids.length > options.atMost) return ids;
    }
  }
  return ids;
}
