/**
 * The exit queues: submissions read from their queue indexes (GSI2 the city's, by status; GSI3 a
 * district's, by status), oldest submission first. A view may span several partitions (a department sees
 * every status); each is read from the same position and the rows merged by their sort key
 * (`<submittedAt>#<exitId>`, the same on both indexes), so one position string pages through all of them.
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { currentExitRound, shanghaiMonthSpan } from '#domain/exit-queue.ts';
import type { ExitReason, ExitStatus, ExitSubmission } from '#domain/exits.ts';
import { indexPartitions, withoutKeys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';
import { GSI } from './table-definition.ts';

/** Where a queue view reads: the city's index, or one district's. */
export type ExitQueueSource =
  | { readonly kind: 'city'; readonly statuses: readonly ExitStatus[] }
  | { readonly kind: 'district'; readonly district: string; readonly statuses: readonly ExitStatus[] };

/** Filters applied to the rows of the partitions read. */
export interface ExitQueueFilter {
  readonly department?: string;
  readonly reason?: ExitReason;
  /** `yyyy-mm`: the month (Asia/Shanghai) the current round was submitted in. */
  readonly month?: string;
}

export interface ExitQueuePage {
  readonly exits: readonly ExitSubmission[];
  /** The sort key of the last row given, when more may follow. */
  readonly next?: string;
}

interface Partition {
  readonly index: typeof GSI.byOwnerStatus | typeof GSI.byDistrictQueue;
  readonly value: string;
}

function partitionsOf(source: ExitQueueSource): Partition[] {
  return source.statuses.map((status) =>
    source.kind === 'city'
      ? { index: GSI.byOwnerStatus, value: indexPartitions.exitsOfCity(status) }
      : { index: GSI.byDistrictQueue, value: indexPartitions.exitsOfDistrict(source.district, status) },
  );
}

function matches(exit: ExitSubmission, filter: ExitQueueFilter): boolean {
  if (filter.department !== undefined && exit.department !== filter.department) return false;
  if (filter.reason !== undefined && currentExitRound(exit)?.reason !== filter.reason) return false;
  return true;
}

/**
 * The key condition of one partition: after `after` (exclusive) and, with a month, inside it. BETWEEN is
 * inclusive, so a position equal to the lower bound is dropped by the caller.
 */
function keyCondition(partition: Partition, after: string | undefined, month: string | undefined) {
  const names = { '#pk': partition.index.partitionKey, '#sk': partition.index.sortKey };
  if (month === undefined) {
    return after === undefined
      ? {
          KeyConditionExpression: '#pk = :pk',
          names: { '#pk': names['#pk'] },
          values: { ':pk': partition.value },
        }
      : {
          KeyConditionExpression: '#pk = :pk AND #sk > :after',
          names,
          values: { ':pk': partition.value, ':after': after },
        };
  }
  const span = shanghaiMonthSpan(month);
  const lower = after !== undefined && after > span.from ? after : span.from;
  // `<submittedAt>#<exitId>` of an instant before `to` sorts before `to` itself
  return {
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lower AND :upper',
    names,
    values: { ':pk': partition.value, ':lower': lower, ':upper': span.to },
  };
}

interface Row {
  readonly position: string;
  readonly exit: ExitSubmission;
}

/** Up to `limit` matching rows of one partition after `after`; `more` when the partition holds more. */
async function readPartition(
  deps: StoreDeps,
  partition: Partition,
  filter: ExitQueueFilter,
  after: string | undefined,
  limit: number,
): Promise<{ rows: Row[]; more: boolean }> {
  const condition = keyCondition(partition, after, filter.month);
  const rows: Row[] = [];
  let start: QueryCommandInput['ExclusiveStartKey'];
  do {
    const page = await deps.client.send(
      new QueryCommand({
        TableName: deps.tableName,
        IndexName: partition.index.indexName,
        KeyConditionExpression: condition.KeyConditionExpression,
        ExpressionAttributeNames: condition.names,
        ExpressionAttributeValues: condition.values,
        Limit: limit + 1,
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    for (const item of page.Items ?? []) {
      const position = String(item[partition.index.sortKey]);
      if (position === after) continue;
      const exit = withoutKeys<ExitSubmission>(item);
      if (!matches(exit, filter)) continue;
      rows.push({ position, exit });
      if (rows.length > limit) return { rows: rows.slice(0, limit), more: true };
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return { rows, more: false };
}

/** A page of a queue view, oldest submission first; `after` is the `next` of the page before. */
export async function exitQueuePage(
  deps: StoreDeps,
  source: ExitQueueSource,
  filter: ExitQueueFilter,
  page: { readonly limit: number; readonly after?: string },
): Promise<ExitQueuePage> {
  const results = await Promise.all(
    partitionsOf(source).map((partition) => readPartition(deps, partition, filter, page.after, page.limit)),
  );
  const merged = results
    .flatMap((result) => result.rows)
    .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  const rows = merged.slice(0, page.limit);
  const more = merged.length > page.limit || results.some((result) => result.more);
  const last = rows.at(-1);
  return {
    exits: rows.map((row) => row.exit),
    ...(more && last !== undefined ? { next: last.position } : {}),
  };
}
