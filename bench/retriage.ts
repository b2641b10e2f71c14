/**
 * `retriage_100k_s`: the time to re-triage every listing after a rule-table change, as the cloud does
 * it. On a fresh DynamoDB Local, `listings` listings (each of its own subject, triaged under the
 * built-in rule table, as triage leaves them) are written by raw BatchWriteItem from 8 writers (the
 * baseline: its items per second); then the table's stream is turned on, the classify handler reads it
 * through the local stream reader, and a new rule-table version is put in the campaign configuration.
 * The clock runs from that put until the run it starts has finished; every listing is rewritten under
 * the new version, so the listings written per second stand beside the baseline's items per second.
 */
import { UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { DISTRICTS } from '#domain/district.ts';
import { type Listing, type Subject, shanghaiDate } from '#domain/model.ts';
import { DEFAULT_RULE_TABLE } from '#domain/rule-table.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { classifyListing } from '#domain/triage.ts';
import { dueOnOf, nextClassification, tallyOf } from '#domain/triage-state.ts';
import { silentLogger } from '#shared/logger.ts';
import { batchWriteAll } from '#storage/batch.ts';
import { createDocumentClient } from '#storage/client.ts';
import { ITEM_TYPES, keys } from '#storage/keys.ts';
import { listingItem, type StoreDeps, subjectItem } from '#storage/subject-store.ts';
import { STREAM_VIEW_TYPE } from '#storage/table-definition.ts';
import { readTriageJob } from '#storage/triage-job-store.ts';
import { CURRENT_CAMPAIGN } from '#storage/triage-store.ts';
import { createClassifyHandler } from '../functions/classify/create-handler.ts';
import { TRIAGE_STREAM_TYPES } from '../functions/classify/stream-records.ts';
import { ensureTable, localClient, startDynamoLocal } from '../local/dynamodb-local.ts';
import { createStreamConsumer } from '../local/stream-reader.ts';
import { benchUscc } from './push-file.ts';

const TABLE = 'bench-retriage';
const WRITERS = 8;
/** Items built and written at a time, so memory stays flat in the listing count. */
const SLICE = 5_000;
const seeder: ChangedBy = { principal: 'bench', role: 'system', cause: { kind: 'system', id: 'bench-seed' } };

export interface RetriageFigures {
  readonly retriage_listings: number;
  readonly retriage_s: number;
  readonly retriage_listings_per_s: number;
  readonly retriage_seed_items_per_s: number;
  readonly retriage_vs_batchwrite_parallel: number;
  /** The time scaled to 100 000 listings, where fewer were run. */
  readonly retriage_100k_s: number;
}

/** One listed subject and its court listing, triaged as triage leaves it: the two items to write. */
function seedItems(index: number, now: Date, today: string): Record<string, unknown>[] {
  const uscc = benchUscc(index);
  const district = (DISTRICTS[index % DISTRICTS.length] as (typeof DISTRICTS)[number]).code;
  const at = now.toISOString();
  const subject: Subject = {
    uscc,
    name: `石家庄某某商贸有限公司${String(index + 1).padStart(6, '0')}`,
    district,
    districtSource: 'column',
    registrationStatus: index % 7 === 0 ? 'revoked' : 'active',
    flags: index % 11 === 0 ? { lostContact: true } : {},
    activeListings: 1,
    activeByListType: { 'court-debtor': 1 },
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const listing: Listing = {
    uscc,
    listType: 'court-debtor',
    key: `(2025)冀0102执${index + 1}号`,
    department: '长安区人民法院',
    caseNo: `(2025)冀0102执${index + 1}号`,
    listedAt: '2025-06-01',
    reason: '违反财产报告制度',
    status: 'active',
    district,
    source: 'court',
    createdAt: at,
    updatedAt: at,
  };
  const decision = classifyListing({ listing, subject, asOf: today, rules: DEFAULT_RULE_TABLE });
  const classified = { ...listing, classification: nextClassification(undefined, decision, now, today) };
  const tally = tallyOf(classified, today);
  const dueOn = dueOnOf(classified, today);
  const stored = {
    ...classified,
    ...(tally === undefined ? {} : { tally }),
    ...(dueOn === undefined ? {} : { dueOn }),
  };
  return [subjectItem(subject, seeder), listingItem(stored, 1, seeder)];
}

async function seed(deps: StoreDeps, listings: number): Promise<{ items: number; seconds: number }> {
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const started = performance.now();
  let items = 0;
  for (let start = 0; start < listings; start += SLICE) {
    const requests = [];
    for (let index = start; index < Math.min(listings, start + SLICE); index++)
      for (const item of seedItems(index, now, today)) requests.push({ PutRequest: { Item: item } });
    await batchWriteAll(deps.client, deps.tableName, requests, WRITERS);
    items += requests.length;
  }
  return { items, seconds: (performance.now() - started) / 1000 };
}

/**
 * Waits for a re-triage run to succeed, printing how far it got when that changes and `report` wants
 * it (a long run prints only now and then).
 */
export async function waitForRun(
  deps: StoreDeps,
  jobId: string,
  progress: (line: string) => void,
  report: (listings: number) => boolean = () => true,
) {
  let last = '';
  for (;;) {
    const job = await readTriageJob(deps, jobId);
    if (job?.status === 'succeeded') return job;
    const line = job === undefined ? 'waiting for the run' : `${job.counts.listings} listings re-triaged`;
    if (line !== last && (job === undefined || report(job.counts.listings))) progress(`  ${line}`);
    last = line;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/**
 * Puts a new rule-table version in the campaign configuration, as the city would: the stream starts a
 * run over every listing. Answers the run's id.
 */
export async function changeRuleTable(deps: StoreDeps, changedBy: ChangedBy): Promise<string> {
  const version = `bench-${Date.now()}`;
  await deps.client.send(
    new PutCommand({
      TableName: deps.tableName,
      Item: {
        ...keys.campaign(CURRENT_CAMPAIGN),
        type: ITEM_TYPES.campaign,
        ruleTable: { ...DEFAULT_RULE_TABLE, version },
        changedBy: { ...changedBy, cause: { kind: 'request', id: 'bench-rules' } },
      },
    }),
  );
  return `rules-${version}`;
}

export async function runRetriage(
  listings: number,
  progress: (line: string) => void,
): Promise<RetriageFigures> {
  const dynamo = await startDynamoLocal();
  try {
    // the listings exist before the stream is on, as a year of imports would have left them
    await ensureTable(dynamo.endpoint, TABLE, { stream: false });
    const deps: StoreDeps = {
      client: createDocumentClient({ endpoint: dynamo.endpoint }),
      tableName: TABLE,
      clock: { now: () => new Date() },
    };
    progress(
      `retriage: writing ${listings} triaged listings and their subjects, ${WRITERS} BatchWrite writers`,
    );
    const seeded = await seed(deps, listings);
    progress(`retriage: ${seeded.items} items in ${seeded.seconds.toFixed(1)} s`);
    await localClient(dynamo.endpoint).send(
      new UpdateTableCommand({
        TableName: TABLE,
        StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW_TYPE },
      }),
    );
    const classify = createClassifyHandler({ store: deps, log: silentLogger });
    const consumer = createStreamConsumer({
      endpoint: dynamo.endpoint,
      tableName: TABLE,
      name: 'triage',
      types: TRIAGE_STREAM_TYPES,
      handler: (event) => classify(event) as Promise<DynamoDBBatchResponse>,
      idleMs: 100,
      log: (line) => progress(`  ${line}`),
    });
    consumer.start();
    progress('retriage: a new rule table version put in the campaign; the run starts from the stream');
    const started = performance.now();
    const runId = await changeRuleTable(deps, seeder);
    const job = await waitForRun(deps, runId, progress);
    const seconds = (performance.now() - started) / 1000;
    await consumer.stop();
    progress(`retriage: ${JSON.stringify(job.counts)} in ${seconds.toFixed(1)} s`);
    const listingsPerSecond = job.counts.changed / seconds;
    const seedPerSecond = seeded.items / seeded.seconds;
    return {
      retriage_listings: job.counts.listings,
      retriage_s: Number(seconds.toFixed(1)),
      retriage_listings_per_s: Math.round(listingsPerSecond),
      retriage_seed_items_per_s: Math.round(seedPerSecond),
      retriage_vs_batchwrite_parallel: Number((listingsPerSecond / seedPerSecond).toFixed(2)),
      retriage_100k_s: Number(((seconds * 100_000) / Math.max(1, job.counts.listings)).toFixed(1)),
    };
  } finally {
    await dynamo.stop();
  }
}
