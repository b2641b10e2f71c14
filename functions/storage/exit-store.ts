/**
 * Exit submissions. Every step writes the exit item and its listing (with the subject and, on
 * confirmation, the counters and the monthly flows) in ONE transaction: the exit item conditioned on the
 * version and status read, the listing and subject on theirs. Of racing steps on one submission exactly
 * one commits; the others read it again and find a state their step no longer fits.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Planner } from '#domain/changes.ts';
import { ExitConflictError } from '#domain/exit-steps.ts';
import type { ExitSubmission } from '#domain/exits.ts';
import type { ListingRef } from '#domain/subject-writes.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { backoffMs } from './batch.ts';
import { isTransactionRace } from './errors.ts';
import { ITEM_TYPES, indexKeys, keys, withoutKeys } from './keys.ts';
import { ConcurrentChangeError, changeSubjectWith, type StoreDeps } from './subject-store.ts';

/** A submission as stored: its version guards the next step. */
export type StoredExit = ExitSubmission & { readonly version: number };

/** When the submission's current round was submitted: its place in the queues, oldest first. */
function submittedAtOf(exit: ExitSubmission): string {
  return exit.rounds.at(-1)?.submitted.at ?? exit.createdAt;
}

/**
 * The stored item of a submission: its fields, version and who changed it last, and the queue keys of
 * its current status for the city (GSI2) and for its district (GSI3).
 */
export function exitItem(
  exit: ExitSubmission,
  version: number,
  changedBy: ChangedBy,
): Record<string, unknown> {
  const submittedAt = submittedAtOf(exit);
  return {
    ...keys.exit(exit.exitId),
    type: ITEM_TYPES.exit,
    ...exit,
    version,
    changedBy,
    ...indexKeys.exitByCity(exit.status, submittedAt, exit.exitId),
    ...indexKeys.exitByDistrict(exit.district, exit.status, submittedAt, exit.exitId),
  };
}

export async function getExit(
  deps: StoreDeps,
  exitId: string,
  consistent = true,
): Promise<StoredExit | undefined> {
  const result = await deps.client.send(
    new GetCommand({ TableName: deps.tableName, Key: keys.exit(exitId), ConsistentRead: consistent }),
  );
  return result.Item === undefined ? undefined : withoutKeys<StoredExit>(result.Item);
}

function refOf(exit: Pick<ExitSubmission, 'uscc' | 'listType' | 'key'>): ListingRef {
  return { uscc: exit.uscc, listType: exit.listType, key: exit.key };
}

/**
 * Opens a submission on a listing: `open` builds it from the subject and listing as read (and throws
 * where they do not allow it), the listing becomes `exit-pending`, and the submission is put, both in
 * one transaction. Of concurrent submissions on one listing one commits; the rest find it pending.
 */
export async function openExit(
  deps: StoreDeps,
  ref: ListingRef,
  actor: ChangedBy,
  open: (state: Parameters<Planner>[0]) => ExitSubmission,
  pending: (exit: ExitSubmission) => Planner,
): Promise<StoredExit> {
  let opened: ExitSubmission | undefined;
  const planner: Planner = (current) => {
    opened = open(current);
    return pending(opened)(current);
  };
  await changeSubjectWith(
    deps,
    ref.uscc,
    actor,
    () => [{ ref, planner }],
    () => {
      if (opened === undefined) return [];
      const item = exitItem(opened, 1, actor);
      return [
        { Put: { TableName: deps.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } },
      ];
    },
  );
  if (opened === undefined) throw new Error('the exit was never planned');
  return { ...opened, version: 1 };
}

/** One step on a stored submission. */
export interface ExitStep {
  /** The submission after the step, from the one read; throws where the step does not fit. */
  readonly next: (stored: StoredExit) => ExitSubmission;
  /** What the step does to the listing, given the submission after it. */
  readonly listing: (next: ExitSubmission) => Planner;
  /** The month (`yyyy-mm`) the step's flows belong to, if not this one. */
  readonly flowMonth?: (next: ExitSubmission) => string | undefined;
}

export class ExitNotFoundError extends Error {
  constructor(readonly exitId: string) {
    super(`exit ${exitId} not found`);
    this.name = 'ExitNotFoundError';
  }
}

const MAX_ATTEMPTS = 10;

/**
 * A refusal that a fresh read may explain: the exit and the listing are read by separate requests, and a
 * step committed between them leaves a listing that is no longer this submission's. The next read sees
 * the step, and `step.next` answers for the state it left. (A subject count torn the same way is read
 * again inside `changeSubjectWith`.)
 */
function isTornRead(error: unknown): boolean {
  return error instanceof ExitConflictError && error.code === 'exit-listing-mismatch';
}

/**
 * Takes one step on a submission: reads it, asks `step.next` for the new state, writes it conditioned on
 * the version and status read together with the listing's change, in one transaction. When another step
 * got there first, reads again, and `step.next` decides on what is there now.
 */
export async function advanceExit(
  deps: StoreDeps,
  exitId: string,
  actor: ChangedBy,
  step: ExitStep,
): Promise<StoredExit> {
  let lastError: unknown;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
    const stored = await getExit(deps, exitId);
    if (stored === undefined) throw new ExitNotFoundError(exitId);
    const next = step.next(stored);
    try {
      await writeStep(deps, stored, next, actor, step);
      return { ...next, version: stored.version + 1 };
    } catch (error) {
      if (!isTornRead(error) && !isTransactionRace(error)) throw error;
      lastError = error;
    }
  }
  // a listing that stays apart from its submission is a fault to show, not a race
  if (isTornRead(lastError)) throw lastError;
  throw new ConcurrentChangeError(`exit ${exitId}`);
}

async function writeStep(
  deps: StoreDeps,
  stored: StoredExit,
  next: ExitSubmission,
  actor: ChangedBy,
  step: ExitStep,
): Promise<void> {
  const flowMonth = step.flowMonth?.(next);
  const exitPut = {
    Put: {
      TableName: deps.tableName,
      Item: exitItem(next, stored.version + 1, actor),
      ConditionExpression: '#version = :version AND #status = :status',
      ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
      ExpressionAttributeValues: { ':version': stored.version, ':status': stored.status },
    },
  };
  await changeSubjectWith(
    deps,
    stored.uscc,
    actor,
    () => [{ ref: refOf(stored), planner: step.listing(next) }],
    () => [exitPut],
    flowMonth === undefined ? {} : { flowMonth },
  );
}
