/**
 * Triage that keeps itself current. The classify function reads the table's stream: a listing whose facts
 * changed, or a subject whose registry facts changed, is re-triaged whatever path made the change; a
 * re-triage run (`POST /classifications`, the daily run, a rule-table change) is worked in slices, each
 * moving the run's item on, which starts the next slice. The daily schedule only creates the day's run.
 * Reads no environment, so anything may import it.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { shanghaiDate } from '#domain/model.ts';
import type { RuleTable } from '#domain/rule-table.ts';
import type { ListingRef } from '#domain/subject-writes.ts';
import { listingSortKey } from '#domain/subject-writes.ts';
import type { ChangeCause } from '#domain/trail.ts';
import type { Logger } from '#shared/logger.ts';
import { getListings, type StoreDeps } from '#storage/subject-store.ts';
import {
  advanceTriageJob,
  createTriageJob,
  NO_COUNTS,
  readTriageJob,
  scopePage,
  type TriageCounts,
  type TriageJob,
} from '#storage/triage-job-store.ts';
import { readRuleTable, retriageListings, type TriageRun, triageActor } from '#storage/triage-store.ts';
import { requestOf, type TriageRequest } from './stream-records.ts';

export interface ClassifyDeps {
  readonly store: StoreDeps;
  readonly log: Logger;
}

/** The input EventBridge Scheduler sends on the daily run (`<aws.scheduler.scheduled-time>`). */
export interface ScheduledTriage {
  readonly source: 'schedule';
  readonly scheduledTime: string;
}

/** Listings of one slice of a run: a few seconds of work, well inside the function's timeout. */
const SLICE_LISTINGS = 1_000;
const PAGE_LISTINGS = 250;

const REASONS = {
  stream: '数据变更后自动重新分类',
  job: '按重新分类任务重新分类',
};

/** Re-triages a page of listings; counts what happened, logging (never throwing for) a listing that fails. */
async function retriageAll(
  deps: ClassifyDeps,
  refs: readonly ListingRef[],
  run: TriageRun,
): Promise<TriageCounts> {
  const counts = { ...NO_COUNTS, listings: refs.length };
  const outcomes = await retriageListings(deps.store, refs, run);
  outcomes.forEach((outcome, index) => {
    if (!(outcome instanceof Error)) {
      counts[outcome.outcome] += 1;
      return;
    }
    counts.failed += 1;
    const ref = refs[index] as ListingRef;
    deps.log.error('re-triage of a listing failed', {
      uscc: ref.uscc,
      listing: listingSortKey(ref),
      error: outcome.message,
    });
  });
  return counts;
}

/** One slice of a run, if the record is the run's latest state; the update starts the next slice. */
async function runSlice(deps: ClassifyDeps, jobId: string, slices: number, rules: () => Promise<RuleTable>) {
  const job: TriageJob | undefined = await readTriageJob(deps.store, jobId);
  // a record older than the run's state: a later record of it is on its way
  if (job === undefined || job.status === 'succeeded' || job.slices !== slices) return;
  const actor = triageActor({ kind: 'system', id: `triage-job:${jobId}` });
  const run = { rules: await rules(), today: job.asOf, actor: { ...actor, reason: REASONS.job } };
  let counts = NO_COUNTS;
  let position: TriageJob['position'] | undefined = job.position;
  while (position !== undefined && counts.listings < SLICE_LISTINGS) {
    const page = await scopePage(deps.store, job.scope, position, PAGE_LISTINGS);
    const done = await retriageAll(deps, page.refs, run);
    counts = {
      listings: counts.listings + done.listings,
      changed: counts.changed + done.changed,
      unchanged: counts.unchanged + done.unchanged,
      missing: counts.missing + done.missing,
      failed: counts.failed + done.failed,
    };
    position = page.next;
  }
  const advanced = await advanceTriageJob(deps.store, job, { counts, next: position, changedBy: actor });
  deps.log.info('re-triage slice', {
    jobId,
    slice: slices + 1,
    advanced,
    finished: position === undefined,
    counts,
  });
}

/** The refs a subject's change asks for: every listing of the subject. */
async function refsOfSubject(deps: ClassifyDeps, uscc: string): Promise<ListingRef[]> {
  const listings = await getListings(deps.store, uscc);
  return listings.map(({ uscc: code, listType, key }) => ({ uscc: code, listType, key }));
}

/** A re-triage run's request: a slice of it, or the run a rule-table change starts. */
async function handleRun(
  deps: ClassifyDeps,
  request: Extract<TriageRequest, { kind: 'job' | 'rules' }>,
  rules: () => Promise<RuleTable>,
) {
  if (request.kind === 'job') return runSlice(deps, request.jobId, request.slices, rules);
  await createTriageJob(deps.store, {
    jobId: `rules-${request.version}`,
    scope: { kind: 'all' },
    asOf: shanghaiDate(deps.store.clock.now()),
    changedBy: triageActor(request.cause),
  });
}

/** A listing a record asks to re-triage, with the record (to redeliver from) and the change's cause. */
interface Wanted {
  readonly ref: ListingRef;
  readonly record: number;
  readonly cause: ChangeCause;
}

/**
 * Re-triages the listings the records ask for, a page of them at a time for each cause (usually one: the
 * import or request that made the changes); returns the records whose listings failed.
 */
async function retriageWanted(
  deps: ClassifyDeps,
  wanted: readonly Wanted[],
  rules: RuleTable,
): Promise<number[]> {
  const today = shanghaiDate(deps.store.clock.now());
  // each listing once, under the first record that asked for it (a failure redelivers from there)
  const byCause = new Map<string, Wanted[]>();
  const seen = new Set<string>();
  for (const entry of wanted) {
    const listing = `${entry.ref.uscc}#${listingSortKey(entry.ref)}`;
    if (seen.has(listing)) continue;
    seen.add(listing);
    const cause = JSON.stringify(entry.cause);
    byCause.set(cause, [...(byCause.get(cause) ?? []), entry]);
  }
  const failed: number[] = [];
  for (const entries of byCause.values()) {
    const actor = { ...triageActor((entries[0] as Wanted).cause), reason: REASONS.stream };
    const outcomes = await retriageListings(
      deps.store,
      entries.map((entry) => entry.ref),
      { rules, today, actor },
    );
    outcomes.forEach((outcome, index) => {
      if (outcome instanceof Error) failed.push((entries[index] as Wanted).record);
    });
  }
  return failed;
}

/**
 * Works a stream batch: the re-triage runs in record order, the listings asked for together. On a
 * failure answers with the first record that failed, so the stream redelivers from it (re-triage of what
 * was done already writes nothing).
 */
export async function classifyRecords(
  deps: ClassifyDeps,
  records: readonly DynamoDBRecord[],
): Promise<string | undefined> {
  let ruleTable: Promise<RuleTable> | undefined;
  const rules = () => {
    ruleTable ??= readRuleTable(deps.store);
    return ruleTable;
  };
  const wanted: Wanted[] = [];
  const failed: number[] = [];
  for (const [index, record] of records.entries()) {
    const request = requestOf(record);
    if (request === undefined) continue;
    try {
      if (request.kind === 'job' || request.kind === 'rules') await handleRun(deps, request, rules);
      else {
        const refs = request.kind === 'listing' ? [request.ref] : await refsOfSubject(deps, request.uscc);
        for (const ref of refs) wanted.push({ ref, record: index, cause: request.cause });
      }
    } catch (error) {
      deps.log.error('triage of a stream record failed', {
        request: request.kind,
        error: (error as Error).message,
      });
      failed.push(index);
    }
  }
  if (wanted.length > 0) failed.push(...(await retriageWanted(deps, wanted, await rules())));
  if (failed.length === 0) return undefined;
  const first = records[Math.min(...failed)];
  const from = first?.dynamodb?.SequenceNumber ?? first?.eventID ?? '';
  deps.log.error('triage of a stream batch failed; the stream redelivers', { from, failed: failed.length });
  return from;
}

/** The daily run: the day's run of every listing due on or before the scheduled day, created once. */
export async function startDailyRun(deps: ClassifyDeps, event: ScheduledTriage): Promise<TriageJob> {
  const day = shanghaiDate(new Date(event.scheduledTime));
  const { created, job } = await createTriageJob(deps.store, {
    jobId: `daily-${day}`,
    scope: { kind: 'due', day },
    asOf: day,
    changedBy: triageActor({ kind: 'schedule', id: `daily-${day}` }),
  });
  deps.log.info('daily re-triage', { day, created, jobId: job.jobId });
  return job;
}

function isStreamEvent(event: unknown): event is DynamoDBStreamEvent {
  return typeof event === 'object' && event !== null && Array.isArray((event as DynamoDBStreamEvent).Records);
}

function isScheduled(event: unknown): event is ScheduledTriage {
  const candidate = event as Partial<ScheduledTriage> | null;
  return candidate?.source === 'schedule' && typeof candidate.scheduledTime === 'string';
}

/** The handler over given dependencies: the table's stream, or the daily schedule. */
export function createClassifyHandler(deps: ClassifyDeps) {
  return async (event: unknown): Promise<DynamoDBBatchResponse | TriageJob> => {
    if (isScheduled(event)) return startDailyRun(deps, event);
    if (!isStreamEvent(event)) throw new TypeError('classify: neither a stream batch nor a scheduled run');
    const failedFrom = await classifyRecords(deps, event.Records);
    return { batchItemFailures: failedFrom === undefined ? [] : [{ itemIdentifier: failedFrom }] };
  };
}
