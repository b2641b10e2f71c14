/**
 * The local composition root: builds each function's dependencies from the one-machine stand-ins
 * (DynamoDB Local, the drop folder on disk, the queue folder) and hands them to the same factories the
 * cloud handlers are built with. No handler reads the environment here and nothing in `local/` reaches a
 * Lambda bundle (`test/cdk/lambda-bundles.test.ts` holds that).
 */
import type { Context, DynamoDBBatchResponse } from 'aws-lambda';
import { z } from 'zod';
import { optionalPositiveInteger, parseEnvironment } from '#shared/config.ts';
import { ENV } from '#shared/env-names.ts';
import { createReportWriter } from '#shared/evaluation-report/report-files.ts';
import type { HttpEvent } from '#shared/http/route.ts';
import { createLogger } from '#shared/logger.ts';
import { createDocumentClient } from '#storage/client.ts';
import { reportContextReader } from '#storage/evaluation-report-context.ts';
import { type StoreDeps, systemClock } from '#storage/subject-store.ts';
import { createApiHandler } from '../functions/api/create-handler.ts';
import { createClassifyHandler, type ScheduledTriage } from '../functions/classify/create-handler.ts';
import { createEvaluateHandler } from '../functions/evaluate/create-handler.ts';
import { createExitsHandler } from '../functions/exits/create-handler.ts';
import { createEvidenceVerifier } from '../functions/exits/evidence.ts';
import { createImportHandler } from '../functions/import/create-handler.ts';
import { DEFAULT_IMPORT_SETTINGS } from '../functions/import/worker.ts';
import { createTrailHandler } from '../functions/trail/create-handler.ts';
import { createFileDropStore } from './adapters/file-drop-store.ts';
import { createFileWorkQueue } from './adapters/file-work-queue.ts';
import { LOCAL_TABLE_NAME } from './environment.ts';
import type { HttpHandler } from './http-server.ts';
import type { LocalPaths } from './paths.ts';
import type { SqsHandler } from './queue.ts';
import type { StreamHandler } from './stream-reader.ts';

/** A handler invoked asynchronously (the monthly schedule, `npm run evaluate`). */
export type JobHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalHandlerInput {
  readonly paths: LocalPaths;
  /** The local server's base URL (`http://127.0.0.1:<port>`): upload URLs point at it. */
  readonly baseUrl: string;
  readonly dynamoEndpoint: string;
  /** Signs upload URLs (`deriveUploadKey`); the server checks them with the same key. */
  readonly uploadKey: Uint8Array;
  /** @default LOCAL_TABLE_NAME */
  readonly tableName?: string;
  /** Rows per chunk of a large file. @default `IMPORT_CHUNK_ROWS` of this process, else the worker's */
  readonly importChunkRows?: number;
}

export interface LocalHandlers {
  readonly api: HttpHandler;
  readonly exits: HttpHandler;
  readonly importWorker: SqsHandler;
  readonly evaluate: JobHandler;
  /** The table's stream consumer that keeps triage current and works re-triage runs. */
  readonly classify: StreamHandler;
  /** The daily schedule's target: creates the day's run of the listings due. */
  readonly dailyTriage: (event: ScheduledTriage) => Promise<unknown>;
  /** The table's stream consumer that writes the trail. */
  readonly trail: StreamHandler;
}

/** The table on DynamoDB Local. */
export function localStore(dynamoEndpoint: string, tableName: string = LOCAL_TABLE_NAME): StoreDeps {
  return { client: createDocumentClient({ endpoint: dynamoEndpoint }), tableName, clock: systemClock };
}

/**
 * `IMPORT_CHUNK_ROWS` of the local contract, read by the runtime (not by the handler, which gets it
 * as a setting): undefined when unset.
 */
export function localImportChunkRows(env: Readonly<Record<string, string | undefined>> = process.env) {
  return parseEnvironment(z.object({ [ENV.importChunkRows]: optionalPositiveInteger() }), env)[
    ENV.importChunkRows
  ];
}

/** The monthly evaluation over the local table and drop folder (for `npm run evaluate` alone). */
export function localEvaluateHandler(store: StoreDeps, paths: LocalPaths): JobHandler {
  const drop = createFileDropStore(paths.dropbox);
  return createEvaluateHandler({
    store,
    drop,
    writeReports: createReportWriter(drop, reportContextReader(store)),
  });
}

/** Every function's handler, built with the local stand-ins. */
export function createLocalHandlers(input: LocalHandlerInput): LocalHandlers {
  const store = localStore(input.dynamoEndpoint, input.tableName);
  const drop = createFileDropStore(input.paths.dropbox, {
    baseUrl: input.baseUrl,
    uploadKey: input.uploadKey,
  });
  const queue = createFileWorkQueue(input.paths.queue);
  const chunkRows = input.importChunkRows ?? localImportChunkRows() ?? DEFAULT_IMPORT_SETTINGS.chunkRows;
  const api = createApiHandler({ store, drop: () => drop, queue: () => queue });
  const exits = createExitsHandler({
    store,
    drop: () => drop,
    verifyEvidence: createEvidenceVerifier(() => drop),
  });
  const classify = createClassifyHandler({ store, log: createLogger({ function: 'classify' }) });
  return {
    // The local server also sends events without an authorizer (public routes), as API Gateway does.
    api: (event, context) => api(event as HttpEvent, context),
    exits: (event, context) => exits(event as HttpEvent, context),
    importWorker: createImportHandler({
      store,
      drop,
      queue,
      settings: { ...DEFAULT_IMPORT_SETTINGS, chunkRows },
      log: createLogger({ function: 'import' }),
    }),
    evaluate: createEvaluateHandler({
      store,
      drop,
      writeReports: createReportWriter(drop, reportContextReader(store)),
    }),
    classify: (event) => classify(event) as Promise<DynamoDBBatchResponse>,
    dailyTriage: (event) => classify(event),
    trail: createTrailHandler({ store, log: createLogger({ function: 'trail' }) }),
  };
}
