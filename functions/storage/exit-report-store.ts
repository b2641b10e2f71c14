/**
 * The 信用中国 batches. One batch is built at a time, under a lease on the sequence item; a batch's
 * number is consumed only when the batch is written, so numbers run 1, 2, 3 … without gaps:
 *
 * 1. take the lease (conditioned on no live lease) and read the next number n = last + 1;
 * 2. read the confirmed exits without a batch (or marked n by a build that died: theirs is the same n);
 * 3. mark each with `reportId = n`, conditioned on it being confirmed and in no other batch: an exit is
 *    in exactly one batch, whatever the index (eventually consistent) said in step 2;
 * 4. none marked: release the lease, nothing consumed (the caller answers 409);
 * 5. write the lines of the exits marked, then in one transaction the batch item and `last = n` with the
 *    lease released, conditioned on still holding the lease.
 *
 * A build that dies after step 3 leaves exits marked n and no batch n: the next build is n again and
 * takes them in. The lease outlives any Lambda invocation of the exits function (29 s), so a lease that
 * has expired belongs to a build that is gone.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type ExitReport, type ExitReportLine, exitReportLine, reportOrder } from '#domain/exit-report.ts';
import type { ExitSubmission } from '#domain/exits.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { batchWriteAll, prefixQuery, queryAll, transactWrite } from './batch.ts';
import { isConditionFailed, isTransactionRace } from './errors.ts';
import { releaseLease, takeLease } from './exit-report-lease.ts';
import { ITEM_TYPES, indexPartitions, keys, withoutKeys } from './keys.ts';
import type { StoreDeps } from './subject-store.ts';
import { GSI } from './table-definition.ts';

/** Marks in flight at once. */
const MARK_CONCURRENCY = 16;

/**
 * The most exits one batch takes: the oldest first, the rest wait for the next batch. One build marks
 * each exit and writes its line within the exits function's 29 s; an unbounded batch (a city that has not
 * reported for months: thousands of exits) would be cut off by the timeout and leave its lease to expire.
 */
export const MAX_EXITS_PER_REPORT = 500;

/** Another batch is being built right now. */
export class ExitReportBusyError extends Error {
  constructor() {
    super('another exit report batch is being built');
    this.name = 'ExitReportBusyError';
  }
}

/** No confirmed exit is waiting for a batch. */
export class EmptyExitReportError extends Error {
  constructor() {
    super('no confirmed exit waits for a batch');
    this.name = 'EmptyExitReportError';
  }
}

/** Confirmed exits in no batch, or in batch `reportId` that a dead build began. */
async function waitingExits(deps: StoreDeps, reportId: string): Promise<ExitSubmission[]> {
  const items = await queryAll(deps.client, {
    TableName: deps.tableName,
    IndexName: GSI.byOwnerStatus.indexName,
    KeyConditionExpression: '#pk = :pk',
    FilterExpression: 'attribute_not_exists(#report) OR #report = :report',
    ExpressionAttributeNames: { '#pk': GSI.byOwnerStatus.partitionKey, '#report': 'reportId' },
    ExpressionAttributeValues: { ':pk': indexPartitions.exitsOfCity('confirmed'), ':report': reportId },
  });
  return items.map((item) => withoutKeys<ExitSubmission>(item));
}

/**
 * The exits this batch takes: those a dead build of the same number already marked (they belong to this
 * number), then the others in the batch's order, `max` in all.
 */
export function exitsForBatch(
  waiting: readonly ExitSubmission[],
  reportId: string,
  max: number,
): ExitSubmission[] {
  const ours = waiting.filter((exit) => exit.reportId === reportId);
  const others = waiting.filter((exit) => exit.reportId !== reportId).sort(reportOrder);
  return [...ours, ...others].slice(0, Math.max(max, ours.length));
}

/** Marks one exit as in batch `reportId`; false when it is in another batch (or not confirmed). */
async function markExit(
  deps: StoreDeps,
  exit: ExitSubmission,
  reportId: string,
  actor: ChangedBy,
  at: string,
): Promise<ExitSubmission | undefined> {
  try {
    const result = await deps.client.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: keys.exit(exit.exitId),
        UpdateExpression:
          'SET #report = :report, #changedBy = :actor, #updatedAt = :at, #version = if_not_exists(#version, :zero) + :one',
        ConditionExpression: '#status = :confirmed AND (attribute_not_exists(#report) OR #report = :report)',
        ExpressionAttributeNames: {
          '#report': 'reportId',
          '#changedBy': 'changedBy',
          '#updatedAt': 'updatedAt',
          '#version': 'version',
          '#status': 'status',
        },
        ExpressionAttributeValues: {
          ':report': reportId,
          ':actor': actor,
          ':at': at,
          ':zero': 0,
          ':one': 1,
          ':confirmed': 'confirmed',
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return withoutKeys<ExitSubmission>(result.Attributes ?? {});
  } catch (error) {
    if (isConditionFailed(error)) return undefined;
    throw error;
  }
}

async function markAll(
  deps: StoreDeps,
  exits: readonly ExitSubmission[],
  reportId: string,
  actor: ChangedBy,
  at: string,
): Promise<ExitSubmission[]> {
  const marked: ExitSubmission[] = [];
  let next = 0;
  const worker = async () => {
    while (next < exits.length) {
      const exit = exits[next++] as ExitSubmission;
      const result = await markExit(deps, exit, reportId, actor, at);
      if (result !== undefined) marked.push(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(MARK_CONCURRENCY, exits.length) }, worker));
  return marked;
}

/** Replaces whatever lines a dead build of the same number left with this build's. */
async function writeLines(deps: StoreDeps, reportNumber: number, lines: readonly ExitReportLine[]) {
  const stale = await queryAll(
    deps.client,
    prefixQuery(deps.tableName, keys.exitReportRowPrefix(reportNumber), {
      ConsistentRead: true,
      ProjectionExpression: 'PK, SK',
    }),
  );
  await batchWriteAll(
    deps.client,
    deps.tableName,
    stale.map((item) => ({ DeleteRequest: { Key: { PK: item.PK, SK: item.SK } } })),
    4,
  );
  await batchWriteAll(
    deps.client,
    deps.tableName,
    lines.map((line) => ({
      PutRequest: {
        Item: { ...keys.exitReportRow(reportNumber, line.exitId), type: ITEM_TYPES.exitReportRow, ...line },
      },
    })),
    4,
  );
}

/** Writes the batch and consumes its number, if this build still holds the lease. */
async function commitReport(deps: StoreDeps, owner: string, report: ExitReport, actor: ChangedBy) {
  const previous = report.reportNumber - 1;
  try {
    await transactWrite(deps.client, [
      {
        Update: {
          TableName: deps.tableName,
          Key: keys.exitReportSequence(),
          UpdateExpression: 'SET #last = :number REMOVE #lease, #until',
          ConditionExpression: '#lease = :owner AND (attribute_not_exists(#last) OR #last = :previous)',
          ExpressionAttributeNames: { '#last': 'last', '#lease': 'lease', '#until': 'leaseUntil' },
          ExpressionAttributeValues: {
            ':number': report.reportNumber,
            ':owner': owner,
            ':previous': previous,
          },
        },
      },
      {
        Put: {
          TableName: deps.tableName,
          Item: {
            ...keys.exitReport(report.reportNumber),
            type: ITEM_TYPES.exitReport,
            ...report,
            version: 1,
            changedBy: actor,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ]);
  } catch (error) {
    if (isTransactionRace(error)) throw new ExitReportBusyError();
    throw error;
  }
}

/**
 * Builds the next batch of the confirmed exits not yet reported, at most `maxExits` (the oldest first).
 * Throws {@link ExitReportBusyError} while another build runs and {@link EmptyExitReportError} when
 * nothing waits (no number consumed).
 */
export async function createExitReport(
  deps: StoreDeps,
  actor: ChangedBy,
  maxExits = MAX_EXITS_PER_REPORT,
): Promise<ExitReport> {
  const owner = randomUUID();
  const reportNumber = await takeLease(deps, owner, deps.clock.now());
  if (reportNumber === undefined) throw new ExitReportBusyError();
  const reportId = String(reportNumber);
  try {
    const at = deps.clock.now().toISOString();
    const waiting = exitsForBatch(await waitingExits(deps, reportId), reportId, maxExits);
    const marked = await markAll(deps, waiting, reportId, actor, at);
    if (marked.length === 0) throw new EmptyExitReportError();
    const lines = [...marked].sort(reportOrder).map((exit, index) => exitReportLine(exit, index + 1));
    await writeLines(deps, reportNumber, lines);
    const report: ExitReport = {
      reportId,
      reportNumber,
      exitCount: lines.length,
      createdAt: at,
      createdBy: { principal: actor.principal, role: actor.role },
    };
    await commitReport(deps, owner, report, actor);
    return report;
  } catch (error) {
    await releaseLease(deps, owner);
    throw error;
  }
}

/** The batches, newest first, in pages. */
export async function listExitReports(
  deps: StoreDeps,
  page: { readonly limit: number; readonly after?: number },
): Promise<{ reports: ExitReport[]; next?: number }> {
  const prefix = keys.exitReportPrefix();
  const result = await deps.client.send(
    new QueryCommand({
      TableName: deps.tableName,
      KeyConditionExpression:
        page.after === undefined
          ? 'PK = :pk AND begins_with(SK, :sk)'
          : 'PK = :pk AND SK BETWEEN :sk AND :before',
      ExpressionAttributeValues: {
        ':pk': prefix.PK,
        ':sk': prefix.SKPrefix,
        ...(page.after === undefined ? {} : { ':before': keys.exitReport(page.after - 1).SK }),
      },
      ScanIndexForward: false,
      Limit: page.limit,
    }),
  );
  const reports = (result.Items ?? []).map((item) => reportOf(item));
  const last = reports.at(-1);
  const more = result.LastEvaluatedKey !== undefined && last !== undefined && last.reportNumber > 1;
  return { reports, ...(more ? { next: last.reportNumber } : {}) };
}

function reportOf(item: Record<string, unknown>): ExitReport {
  const { reportId, reportNumber, exitCount, createdAt, createdBy } = withoutKeys<ExitReport>(item);
  return { reportId, reportNumber, exitCount, createdAt, createdBy };
}

/** A batch and its lines in order, or undefined when there is no such batch. */
export async function readExitReport(
  deps: StoreDeps,
  reportNumber: number,
): Promise<{ report: ExitReport; lines: ExitReportLine[] } | undefined> {
  const found = await deps.client.send(
    new GetCommand({ TableName: deps.tableName, Key: keys.exitReport(reportNumber), ConsistentRead: true }),
  );
  if (found.Item === undefined) return undefined;
  const items = await queryAll(
    deps.client,
    prefixQuery(deps.tableName, keys.exitReportRowPrefix(reportNumber), { ConsistentRead: true }),
  );
  const lines = items
    .map((item) => withoutKeys<ExitReportLine>(item))
    .sort((a, b) => a.position - b.position);
  return { report: reportOf(found.Item), lines };
}
