/**
 * One function's heaviest job in a process of its own, bundled by esbuild as the Lambda is, for
 * `npm run bench -- --memory`: the handler built by the local composition root over the seeded table,
 * called once with the job's event, then the process's peak RSS printed as JSON. The RSS after the
 * handler is built and before the job (`loaded_rss_mb`) is printed beside it.
 *
 *   node .bench/function-memory-child.mjs --endpoint URL --table NAME --root DIR --job JOB [--codes a,b]
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { ITEM_TYPES } from '#storage/keys.ts';
import { createLocalHandlers } from '../local/handlers.ts';
import { httpApiEvent } from '../local/http-event.ts';
import { lambdaContext } from '../local/lambda-context.ts';
import { ensureLocalFolders, localPaths } from '../local/paths.ts';
import { scheduledEvaluation } from '../local/scheduler.ts';
import { MEMORY_JOBS, type MemoryChildResult, type MemoryJob } from './function-memory-jobs.ts';

const CITY_CLAIMS = { sub: 'bench:city', role: 'city' };
/** Lambda's batch size for the classify stream mapping (lib/constructs/triage.ts). */
const STREAM_BATCH = 100;

function request(method: string, rawPath: string, query: string, body: unknown, routeKey: string) {
  return httpApiEvent({
    method,
    rawPath,
    rawQueryString: query,
    headers: body === undefined ? {} : { 'content-type': ['application/json'] },
    body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
    sourceIp: '127.0.0.1',
    httpVersion: '1.1',
    routeKey,
    pathParameters: {},
    claims: CITY_CLAIMS,
    receivedAt: new Date(),
  });
}

/** Listings as the stream shows them after another writer touched them: what wakes triage. */
async function listingRecords(endpoint: string, table: string): Promise<DynamoDBStreamEvent> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const scanned = await client.send(
    new ScanCommand({
      TableName: table,
      FilterExpression: '#type = :listing',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':listing': { S: ITEM_TYPES.listing } },
      Limit: 2_000,
    }),
  );
  client.destroy();
  const records = (scanned.Items ?? []).slice(0, STREAM_BATCH).map(
    (image, index): DynamoDBRecord => ({
      eventID: `bench-${index}`,
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        Keys: { pk: image.pk, sk: image.sk } as never,
        NewImage: { ...image, changedBy: { M: { principal: { S: 'bench:department' } } } } as never,
        OldImage: image as never,
        SequenceNumber: String(index + 1).padStart(21, '0'),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: `arn:aws:dynamodb:us-east-1:000000000000:table/${table}/stream/bench`,
    }),
  );
  return { Records: records };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      endpoint: { type: 'string' },
      table: { type: 'string' },
      root: { type: 'string' },
      job: { type: 'string' },
      codes: { type: 'string' },
      month: { type: 'string' },
    },
  });
  const { endpoint, table, root, job } = values;
  if (endpoint === undefined || table === undefined || root === undefined || job === undefined)
    throw new Error('--endpoint, --table, --root and --job are required');
  if (!(MEMORY_JOBS as readonly string[]).includes(job)) throw new Error(`unknown job ${job}`);
  const paths = localPaths(root);
  await ensureLocalFolders(paths);
  const handlers = createLocalHandlers({
    paths,
    baseUrl: 'http://127.0.0.1:1',
    dynamoEndpoint: endpoint,
    uploadKey: new Uint8Array(32),
    tableName: table,
  });
  const streamEvent = job === 'classify-batch' ? await listingRecords(endpoint, table) : undefined;
  const loadedRss = process.memoryUsage.rss();
  const started = performance.now();
  const produced = await run(job as MemoryJob, handlers, values.codes ?? '', values.month, streamEvent);
  const result: MemoryChildResult = {
    job: job as MemoryJob,
    loadedRssMb: Math.round(loadedRss / 1024 / 1024),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    ms: Math.round(performance.now() - started),
    produced,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function run(
  job: MemoryJob,
  handlers: ReturnType<typeof createLocalHandlers>,
  codes: string,
  month: string | undefined,
  streamEvent: DynamoDBStreamEvent | undefined,
): Promise<number> {
  const context = lambdaContext(job, 900_000);
  switch (job) {
    case 'api-ledger-xlsx': {
      // the heaviest ledger: the CSV of as many rows is refused as too large for one answer
      const answer = (await handlers.api(
        request('GET', '/subjects', 'format=xlsx', undefined, 'GET /subjects'),
        context,
      )) as { statusCode: number; body: string };
      if (answer.statusCode !== 200)
        throw new Error(`ledger: ${answer.statusCode} ${answer.body.slice(0, 300)}`);
      return Buffer.from(answer.body, 'base64').length;
    }
    case 'api-check-1000': {
      const answer = (await handlers.api(
        request('POST', '/checks', '', { codes: codes.split(',') }, 'POST /checks'),
        context,
      )) as { statusCode: number; body: string };
      if (answer.statusCode !== 200)
        throw new Error(`check: ${answer.statusCode} ${answer.body.slice(0, 300)}`);
      return (JSON.parse(answer.body) as { results: unknown[] }).results.length;
    }
    case 'exits-queue': {
      const answer = (await handlers.exits(
        request('GET', '/exits', 'limit=100', undefined, 'GET /exits'),
        context,
      )) as { statusCode: number; body: string };
      if (answer.statusCode !== 200)
        throw new Error(`exits: ${answer.statusCode} ${answer.body.slice(0, 300)}`);
      return answer.body.length;
    }
    case 'evaluate': {
      if (month === undefined) throw new Error('--month is required for evaluate');
      const [year, monthNumber] = month.split('-').map(Number) as [number, number];
      // 02:00 Shanghai on the 1st of the next month: 18:00 UTC on the last day of the month evaluated
      const scheduledAt = new Date(Date.UTC(year, monthNumber, 1) - 6 * 3_600_000);
      const outcome = await handlers.evaluate(scheduledEvaluation(scheduledAt), context);
      return JSON.stringify(outcome).length;
    }
    case 'classify-batch': {
      if (streamEvent === undefined) throw new Error('no stream records');
      await handlers.classify(streamEvent);
      return streamEvent.Records.length;
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
