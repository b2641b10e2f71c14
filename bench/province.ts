/**
 * `npm run bench -- --province [--subjects N]`: a province (Hebei: 11 cities, 170 reporting units,
 * `--subjects` listed subjects, default 200 000) and one city (24 units, 9% as many, ~18 000) in the same
 * run, each on a fresh in-memory DynamoDB Local, seeded by BatchWrite with the items of
 * bench/province-data.ts (stream off, as a year of imports would have left the table), then timed:
 *
 * - the monthly evaluation of the month just ended (runEvaluation, the schedule's use case): the
 *   figures alone and the full run with its drift check (a scan of the listed-subject index);
 * - a 1 000-code batch check (runCheck, as `POST /checks`), 300 listed codes from every unit and 700
 *   codes never listed;
 * - the re-triage after a rule-table change, as bench/retriage.ts runs it: the stream turned on, the
 *   classify handler reading it through the local stream reader, a new rule-table version put.
 *
 * Every store call goes through a client that counts requests and consumed read and write units
 * (bench/capacity-meter.ts), for docs/scale.md. Printed as `city_*`, `province_*` and
 * `province_vs_city_*` lines, side by side.
 */

import { UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, GetRecordsCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { silentLogger } from '#shared/logger.ts';
import { batchPutAll, batchWriteAll } from '#storage/batch.ts';
import { runCheck } from '#storage/check-store.ts';
import { createDocumentClient } from '#storage/client.ts';
import { checkDrift, runEvaluation } from '#storage/evaluation-run.ts';
import type { StoreDeps } from '#storage/subject-store.ts';
import { STREAM_VIEW_TYPE } from '#storage/table-definition.ts';
import { createClassifyHandler } from '../functions/classify/create-handler.ts';
import { TRIAGE_STREAM_TYPES } from '../functions/classify/stream-records.ts';
import { ensureTable, localClient, startDynamoLocal } from '../local/dynamodb-local.ts';
import { createStreamConsumer } from '../local/stream-reader.ts';
import { CapacityMeter, type MeterReading } from './capacity-meter.ts';
import { indexEntries, itemBytes, storedBytes } from './item-size.ts';
import {
  CITY_UNITS,
  figureItems,
  listedMonths,
  listedSubject,
  PROVINCE_UNITS,
  SEEDER,
  SeedTotals,
  unitUscc,
} from './province-data.ts';
import { changeRuleTable, waitForRun } from './retriage.ts';

const TABLE = 'bench-province';
const WRITERS = 8;
/** Subjects built and written at a time, so memory stays flat in the subject count. */
const SLICE = 5_000;
/** One city's listed subjects against the province's: ~18 000 of 200 000. */
export const CITY_SHARE = 0.09;
const CHECK_CODES = 1_000;
const CHECK_LISTED = 300;
/** Timed runs of the evaluation and the check, after one warm-up; the median is reported. */
const RUNS = 3;

type Progress = (line: string) => void;
type Figures = Record<string, number>;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

export interface Scale {
  readonly units: readonly string[];
  readonly subjects: number;
  readonly store: StoreDeps;
  readonly meter: CapacityMeter;
  readonly endpoint: string;
  readonly progress: Progress;
}

/** Subjects and listings by BatchWrite, then the counters, flows and enterprise counts they imply. */
export async function seedScale(scale: Scale): Promise<{ figures: Figures; totals: SeedTotals }> {
  const { store, subjects, units } = scale;
  const now = store.clock.now();
  const months = listedMonths(now);
  const totals = new SeedTotals();
  const sizes = { subject: 0, listing: 0, stored: 0, entries: 0 };
  const started = performance.now();
  for (let start = 0; start < subjects; start += SLICE) {
    const requests = [];
    for (let index = start; index < Math.min(subjects, start + SLICE); index++) {
      const made = listedSubject(index, units, months, now);
      totals.add(made.subject, made.listing, made.month);
      const [subject, listing] = made.items as [Record<string, unknown>, Record<string, unknown>];
      sizes.subject += itemBytes(subject);
      sizes.listing += itemBytes(listing);
      sizes.stored += storedBytes(subject) + storedBytes(listing);
      sizes.entries += indexEntries(subject).entries + indexEntries(listing).entries;
      for (const item of made.items) requests.push({ PutRequest: { Item: item } });
    }
    await batchWriteAll(store.client, store.tableName, requests, WRITERS);
    if ((start / SLICE) % 2 === 1)
      scale.progress(
        `  ${start + SLICE} subjects written, ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
  }
  const figures = figureItems(totals, units, now);
  await batchPutAll(store.client, store.tableName, figures, WRITERS);
  const seconds = (performance.now() - started) / 1000;
  const written = scale.meter.take();
  scale.progress(
    `seeded ${subjects} listed subjects (${2 * subjects + figures.length} items) in ${seconds.toFixed(1)} s`,
  );
  return {
    totals,
    figures: {
      units: units.length,
      listed_subjects: subjects,
      seed_items: 2 * subjects + figures.length,
      seed_figure_items: figures.length,
      seed_s: round(seconds, 1),
      seed_items_per_s: Math.round((2 * subjects + figures.length) / seconds),
      seed_wru_per_listed_subject: round(written.writeUnits / subjects, 2),
      subject_item_bytes: Math.round(sizes.subject / subjects),
      listing_item_bytes: Math.round(sizes.listing / subjects),
      index_entries_per_listed_subject: round(sizes.entries / subjects, 2),
      stored_bytes_per_listed_subject: Math.round(sizes.stored / subjects),
      stored_mb: round(sizes.stored / 1024 / 1024, 1),
    },
  };
}

function perRun(readings: readonly MeterReading[], prefix: string): Figures {
  const n = Math.max(1, readings.length);
  const sum = (pick: (reading: MeterReading) => number) => readings.reduce((s, r) => s + pick(r), 0) / n;
  return {
    [`${prefix}_requests`]: round(
      sum((r) => r.totalRequests),
      1,
    ),
    [`${prefix}_rru`]: round(
      sum((r) => r.readUnits),
      1,
    ),
    [`${prefix}_wru`]: round(
      sum((r) => r.writeUnits),
      1,
    ),
  };
}

/** The month just ended, evaluated: the figures alone and the full run (drift check), medians of RUNS. */
async function measureEvaluation(scale: Scale, totals: SeedTotals): Promise<Figures> {
  const { store, meter } = scale;
  const month = listedMonths(store.clock.now()).at(-1) as string;
  const evaluate = (drift: boolean) => runEvaluation({ store, logger: silentLogger, drift }, month, SEEDER);
  const warm = await evaluate(true);
  const known = CITY_UNITS.reduce((sum, unit) => sum + (totals.listedByUnit.get(unit) ?? 0), 0);
  const { numerator } = warm.snapshot.city;
  if (
    numerator !== known ||
    warm.snapshot.unassigned !== scale.subjects - known ||
    warm.snapshot.drift.length > 0
  )
    throw new Error(
      `evaluation: numerator ${numerator} (expected ${known}), unassigned ${warm.snapshot.unassigned} (expected ${scale.subjects - known}), drift ${warm.snapshot.drift.length}`,
    );
  meter.take();
  const figures: number[] = [];
  const full: number[] = [];
  const drift: number[] = [];
  const figureReadings: MeterReading[] = [];
  const fullReadings: MeterReading[] = [];
  for (let run = 0; run < RUNS; run++) {
    figures.push((await timed(() => evaluate(false))).ms);
    figureReadings.push(meter.take());
    full.push((await timed(() => evaluate(true))).ms);
    fullReadings.push(meter.take());
    drift.push((await timed(() => checkDrift(store, ['91']))).ms);
    meter.take();
  }
  scale.progress(
    `evaluation of ${month}: figures ${median(figures).toFixed(0)} ms, with the drift check ${median(full).toFixed(0)} ms; ${warm.snapshot.districts.length} district rows, ${warm.snapshot.unassigned} listed subjects unassigned`,
  );
  return {
    evaluation_district_rows: warm.snapshot.districts.length,
    evaluation_numerator: numerator,
    evaluation_unassigned: warm.snapshot.unassigned,
    evaluation_figures_ms: Math.round(median(figures)),
    evaluation_drift_check_ms: Math.round(median(drift)),
    evaluation_full_ms: Math.round(median(full)),
    ...perRun(figureReadings, 'evaluation_figures'),
    ...perRun(fullReadings, 'evaluation_full'),
  };
}

/** One 1 000-code batch: 300 listed codes spread over every unit, 700 valid codes never listed. */
export function checkCodes(units: readonly string[], subjects: number): string[] {
  const listed = Array.from({ length: CHECK_LISTED }, (_, k) => {
    const index = Math.floor((k * subjects) / CHECK_LISTED);
    return unitUscc(units[index % units.length] as string, index + 1);
  });
  const unknown = Array.from({ length: CHECK_CODES - CHECK_LISTED }, (_, k) =>
    unitUscc(units[k % units.length] as string, 90_000_000 + k),
  );
  return [...listed, ...unknown];
}

async function measureCheck(scale: Scale): Promise<Figures> {
  const { store, meter, subjects, units } = scale;
  const codes = checkCodes(units, subjects);
  const actor = { principal: 'bench', role: 'consumer', cause: { kind: 'request' as const, id: 'bench' } };
  const check = (id: string) => runCheck(store, { checkId: id, codes, actor, channel: 'api' });
  const warm = await check('bench-warm-up');
  const found = warm.filter((answer) => answer.listed).length;
  if (found !== CHECK_LISTED) throw new Error(`check: ${found} listed codes, expected ${CHECK_LISTED}`);
  meter.take();
  const times: number[] = [];
  const readings: MeterReading[] = [];
  for (let run = 0; run < RUNS; run++) {
    times.push((await timed(() => check(`bench-${run}`))).ms);
    readings.push(meter.take());
  }
  scale.progress(
    `check of ${CHECK_CODES} codes: ${median(times).toFixed(0)} ms; ${JSON.stringify(readings[0])}`,
  );
  return { check_1000_ms: Math.round(median(times)), ...perRun(readings, 'check_1000') };
}

/** A stream client that counts its GetRecords calls (the triage function's stream reads). */
function countingStreams(endpoint: string, count: { getRecords: number }): DynamoDBStreamsClient {
  const streams = new DynamoDBStreamsClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  streams.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === GetRecordsCommand.name) count.getRecords += 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchStreamCounter' },
  );
  return streams;
}

/** The rule-table change and the run it starts, from the put to the run's end. */
async function measureRetriage(scale: Scale): Promise<Figures> {
  const { store, meter, endpoint, progress } = scale;
  await localClient(endpoint).send(
    new UpdateTableCommand({
      TableName: TABLE,
      StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW_TYPE },
    }),
  );
  const classify = createClassifyHandler({ store, log: silentLogger });
  const count = { getRecords: 0 };
  const consumer = createStreamConsumer({
    endpoint,
    tableName: TABLE,
    name: 'triage',
    types: TRIAGE_STREAM_TYPES,
    handler: (event) => classify(event) as Promise<DynamoDBBatchResponse>,
    idleMs: 100,
    log: (line) => progress(`  ${line}`),
    streams: countingStreams(endpoint, count),
  });
  consumer.start();
  meter.take();
  const started = performance.now();
  const runId = await changeRuleTable(store, SEEDER);
  // a province-sized run prints about every 5 000 listings
  const job = await waitForRun(store, runId, progress, (listings) => listings % 5_000 < 500);
  const seconds = (performance.now() - started) / 1000;
  await consumer.stop();
  const reading = meter.take();
  progress(`re-triage: ${JSON.stringify(job.counts)} in ${seconds.toFixed(1)} s; ${JSON.stringify(reading)}`);
  const listings = Math.max(1, job.counts.listings);
  const perSecond = job.counts.listings / seconds;
  return {
    retriage_listings: job.counts.listings,
    retriage_listings_not_reached: scale.subjects - job.counts.listings,
    retriage_changed: job.counts.changed,
    retriage_s: round(seconds, 1),
    retriage_listings_per_s: Math.round(perSecond),
    retriage_every_listing_s_at_that_rate: round(scale.subjects / Math.max(perSecond, 1e-9), 1),
    retriage_requests_per_listing: round(reading.totalRequests / listings, 2),
    retriage_rru_per_listing: round(reading.readUnits / listings, 2),
    retriage_wru_per_listing: round(reading.writeUnits / listings, 2),
    retriage_stream_get_records: count.getRecords,
  };
}

/** One scale on a fresh DynamoDB Local: seed, evaluation, check, re-triage (last: it turns the stream on). */
async function runScale(units: readonly string[], subjects: number, progress: Progress): Promise<Figures> {
  const dynamo = await startDynamoLocal();
  const client = createDocumentClient({ endpoint: dynamo.endpoint });
  const meter = new CapacityMeter();
  meter.attach(client);
  try {
    await ensureTable(dynamo.endpoint, TABLE, { stream: false });
    const store: StoreDeps = { client, tableName: TABLE, clock: { now: () => new Date() } };
    const scale: Scale = { units, subjects, store, meter, endpoint: dynamo.endpoint, progress };
    progress(`seeding ${subjects} listed subjects over ${units.length} units, ${WRITERS} BatchWrite writers`);
    const seeded = await seedScale(scale);
    return {
      ...seeded.figures,
      ...(await measureEvaluation(scale, seeded.totals)),
      ...(await measureCheck(scale)),
      ...(await measureRetriage(scale)),
    };
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

/** The city and the province, then their figures side by side with the province's over the city's. */
export async function runProvince(subjects: number, progress: Progress): Promise<Record<string, number>> {
  const citySubjects = Math.max(CITY_UNITS.length, Math.round(subjects * CITY_SHARE));
  progress(`city: ${CITY_UNITS.length} units, ${citySubjects} listed subjects`);
  const city = await runScale(CITY_UNITS, citySubjects, (line) => progress(`city: ${line}`));
  progress(`province: ${PROVINCE_UNITS.length} units, ${subjects} listed subjects`);
  const province = await runScale(PROVINCE_UNITS, subjects, (line) => progress(`province: ${line}`));
  const lines: Record<string, number> = {};
  for (const [name, value] of Object.entries(city)) {
    const other = province[name] ?? Number.NaN;
    lines[`city_${name}`] = value;
    lines[`province_${name}`] = other;
    if (value !== 0) lines[`province_vs_city_${name}`] = round(other / value, 2);
  }
  return lines;
}
