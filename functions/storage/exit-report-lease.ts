/**
 * The lease on the exit report sequence item (steps 1 and 4 of exit-report-store.ts): one batch is built
 * at a time, and a lease that has expired belongs to a build that is gone, so another may take it over.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './errors.ts';
import { ITEM_TYPES, keys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';

/** Longer than any invocation of the exits function, so that an expired lease's build is over. */
export const EXIT_REPORT_LEASE_MS = 5 * 60_000;

/** Takes the lease; the number the batch will have, or undefined while another build holds it. */
export async function takeLease(deps: StoreDeps, owner: string, now: Date): Promise<number | undefined> {
  try {
    const result = await deps.client.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: keys.exitReportSequence(),
        UpdateExpression: 'SET #type = :type, #lease = :owner, #until = :until',
        ConditionExpression: 'attribute_not_exists(#until) OR #until < :now',
        ExpressionAttributeNames: { '#type': 'type', '#lease': 'lease', '#until': 'leaseUntil' },
        ExpressionAttributeValues: {
          ':type': ITEM_TYPES.exitReportSequence,
          ':owner': owner,
          ':until': new Date(now.getTime() + EXIT_REPORT_LEASE_MS).toISOString(),
          ':now': now.toISOString(),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Number(result.Attributes?.last ?? 0) + 1;
  } catch (error) {
    if (isConditionFailed(error)) return undefined;
    throw error;
  }
}

export async function releaseLease(deps: StoreDeps, owner: string): Promise<void> {
  try {
    await deps.client.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: keys.exitReportSequence(),
        UpdateExpression: 'REMOVE #lease, #until',
        ConditionExpression: '#lease = :owner',
        ExpressionAttributeNames: { '#lease': 'lease', '#until': 'leaseUntil' },
        ExpressionAttributeValues: { ':owner': owner },
      }),
    );
  } catch (error) {
    // lost to an expiry: the build that took it over owns the number now
    if (!isConditionFailed(error)) throw error;
  }
}
