/**
 * The registry's monthly enterprise counts per district: plain puts of the latest figure, so writing
 * one again is harmless. Each carries who and why, for the trail.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ChangedBy } from '#domain/trail.ts';
import { ITEM_TYPES, keys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface EnterpriseCount {
  readonly month: string;
  readonly district: string;
  readonly enterprises: number;
}

/** The put of one month's enterprise count of a district, for a transaction. */
export function enterpriseCountPut(
  deps: Pick<StoreDeps, 'tableName'>,
  count: EnterpriseCount,
  changedBy: ChangedBy,
  at: string,
): TransactItem {
  return {
    Put: {
      TableName: deps.tableName,
      Item: {
        ...keys.enterpriseCount(count.month, count.district),
        type: ITEM_TYPES.enterpriseCount,
        month: count.month,
        district: count.district,
        enterprises: count.enterprises,
        updatedAt: at,
        changedBy,
      },
    },
  };
}
