/**
 * The exit confirmation's latency (README.md, Benchmark): 1 000 reviewed exits, each of its own subject
 * across every district, confirmed by the city through the exits handler with real HTTP API v2 events,
 * 8 at a time; each confirmation's latency is recorded. A confirmation is the one transaction that ends a
 * listing and moves the subject, the district counters and the effective month's flows, so the 8 in
 * flight contend on the same counter and flow items as confirmations at the city office would. The exits
 * are seeded by the store's own paths (record the listing, open the submission, review it), not timed;
 * afterwards the counters must equal a recount.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { planRecordListing } from '#domain/changes.ts';
import { COUNTER } from '#domain/counting.ts';
import { DISTRICTS } from '#domain/district.ts';
import { planExitPending, planExitStep } from '#domain/exit-steps.ts';
import { type ExitActor, type ExitSubmission, reviewExit } from '#domain/exits.ts';
import { shanghaiDate } from '#domain/model.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { mapLimited } from '#shared/map-limited.ts';
import { createDocumentClient } from '#storage/client.ts';
import { compareCounts, readCurrentCounters, recountFromListings } from '#storage/counter-store.ts';
import { advanceExit, openExit } from '#storage/exit-store.ts';
import { encodeListingId } from '#storage/keys.ts';
import { changeSubject, type ListingRef, type StoreDeps, systemClock } from '#storage/subject-store.ts';
import { createExitsHandler } from '../functions/exits/create-handler.ts';
import { benchUscc } from './push-file.ts';

const EXITS = 1_000;
const CONCURRENCY = 8;
/** Confirmations before the timed ones, on exits of their own: the handler's first calls warm it up. */
const WARM_UP = 16;
const COURT = '石家庄市中级人民法院';
const CITY_CLAIMS = { sub: 'bench-city-officer', role: 'city' };

export interface ExitBenchFigures {
  readonly exit_confirm_p50_ms: number;
  readonly exit_confirm_p99_ms: number;
  readonly exit_confirm_per_s: number;
}

const SEEDER: ChangedBy = { principal: 'bench', role: 'city', cause: { kind: 'system', id: 'bench' } };
const SUBMITTER: ExitActor = { principal: 'bench-court', role: 'department', department: COURT, at: '' };

/** One listed subject with its listing, submitted by its court and approved by its district office. */
async function seedReviewedExit(store: StoreDeps, index: number, today: string): Promise<string> {
  const uscc = benchUscc(index);
  const district = DISTRICTS[index % DISTRICTS.length]?.code ?? '130102';
  const ref: ListingRef = { uscc, listType: 'court-debtor', key: `(2025)冀01执${index}号` };
  await changeSubject(
    store,
    uscc,
    ref,
    SEEDER,
    planRecordListing(
      { uscc, name: `石家庄某某${index}有限公司`, district, districtSource: 'column' },
      { listType: ref.listType, key: ref.key, department: COURT, listedAt: '2025-06-01', source: 'bench' },
      () => {},
    ),
  );
  const at = new Date().toISOString();
  const exitId = randomUUID();
  const round = {
    reason: 'deregistered' as const,
    effectiveDate: today,
    evidence: [{ kind: 'registry-record' as const, ref: `石市监注销字〔2026〕第${index}号` }],
    publicationRevoked: { system: '中国执行信息公开网', date: today },
    round: 1,
    submitted: { ...SUBMITTER, at },
  };
  const submitter: ChangedBy = {
    principal: SUBMITTER.principal,
    role: 'department',
    cause: { kind: 'request', id: exitId },
  };
  await openExit(
    store,
    ref,
    submitter,
    ({ subject }): ExitSubmission => ({
      exitId,
      listingId: encodeListingId(uscc, ref.listType, ref.key),
      uscc,
      listType: ref.listType,
      key: ref.key,
      subjectName: subject?.name ?? '',
      district,
      department: COURT,
      listedAt: '2025-06-01',
      status: 'submitted',
      rounds: [round],
      createdAt: at,
      updatedAt: at,
    }),
    planExitPending,
  );
  const reviewer = { principal: `bench-district-${district}`, role: 'district', district };
  await advanceExit(
    store,
    exitId,
    { ...reviewer, cause: { kind: 'request', id: exitId } },
    {
      next: (stored) => reviewExit(stored, { ...reviewer, at, decision: 'approve', comment: '材料齐全' }),
      listing: planExitStep,
    },
  );
  return exitId;
}

/** A city officer's `POST /exits/{exitId}/confirm` as API Gateway (HTTP API, payload 2.0) sends it. */
function confirmEvent(exitId: string): APIGatewayProxyEventV2WithJWTAuthorizer {
  const path = `/exits/${exitId}/confirm`;
  const now = Date.now();
  const event = {
    version: '2.0',
    routeKey: 'POST /exits/{exitId}/confirm',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', host: 'api.example.test' },
    pathParameters: { exitId },
    requestContext: {
      accountId: '123456789012',
      apiId: 'bench',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: randomUUID(),
      routeKey: 'POST /exits/{exitId}/confirm',
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
      authorizer: { jwt: { claims: CITY_CLAIMS, scopes: null }, principalId: '', integrationLatency: 0 },
    },
    body: JSON.stringify({ decision: 'approve', comment: '同意退出' }),
    isBase64Encoded: false,
  };
  return event as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

const LAMBDA_CONTEXT = {
  awsRequestId: 'bench',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

/** The value at `fraction` of the sorted latencies (nearest rank). */
function percentile(sorted: readonly number[], fraction: number): number {
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/** The counters after the run must equal a recount from the listings, or the figures mean nothing. */
async function requireCountersEqualRecount(store: StoreDeps): Promise<void> {
  const stored = await readCurrentCounters(store);
  const truth = await recountFromListings(store);
  const attributes = [COUNTER.listedSubjects, COUNTER.activeListings];
  const differences = compareCounts(stored, truth.counts, attributes);
  if (truth.mismatchedSubjects.length > 0 || differences.length > 0)
    throw new Error(
      `the counters differ from a recount after the confirmations: ${JSON.stringify(differences)}`,
    );
}

/** Seeds 1 000 (+ warm-up) reviewed exits, then confirms them through the handler, 8 at a time. */
export async function measureExits(
  endpoint: string,
  tableName: string,
  progress: (message: string) => void,
): Promise<ExitBenchFigures> {
  const client = createDocumentClient({ endpoint });
  const store: StoreDeps = { client, tableName, clock: systemClock };
  try {
    const today = shanghaiDate(new Date());
    progress(`exits: seeding ${EXITS + WARM_UP} reviewed exits over ${DISTRICTS.length} districts`);
    const seedStart = performance.now();
    const indexes = Array.from({ length: EXITS + WARM_UP }, (_, index) => index);
    const exitIds = await mapLimited(indexes, CONCURRENCY, (index) => seedReviewedExit(store, index, today));
    progress(`exits: seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    const handler = createExitsHandler({ store });
    const confirm = async (exitId: string): Promise<number> => {
      const start = performance.now();
      const result = (await handler(confirmEvent(exitId), LAMBDA_CONTEXT)) as {
        statusCode: number;
        body: string;
      };
      const ms = performance.now() - start;
      if (result.statusCode !== 200)
        throw new Error(`confirming ${exitId} answered ${result.statusCode}: ${result.body}`);
      return ms;
    };
    await mapLimited(exitIds.slice(0, WARM_UP), CONCURRENCY, confirm);
    const started = performance.now();
    const latencies = await mapLimited(exitIds.slice(WARM_UP), CONCURRENCY, confirm);
    const seconds = (performance.now() - started) / 1000;
    await requireCountersEqualRecount(store);
    const sorted = [...latencies].sort((a, b) => a - b);
    const figures = {
      exit_confirm_p50_ms: Number(percentile(sorted, 0.5).toFixed(1)),
      exit_confirm_p99_ms: Number(percentile(sorted, 0.99).toFixed(1)),
      exit_confirm_per_s: Math.round(EXITS / seconds),
    };
    progress(
      `exits: ${EXITS} confirmations, ${CONCURRENCY} in flight, in ${seconds.toFixed(1)} s: p50 ${figures.exit_confirm_p50_ms} ms, p99 ${figures.exit_confirm_p99_ms} ms`,
    );
    return figures;
  } finally {
    client.destroy();
  }
}
