/** The import worker's dependencies, built once per Lambda instance from the configuration. */
import { config } from '#shared/config.ts';
import { createLogger } from '#shared/logger.ts';
import { createDocumentClient } from '#storage/client.ts';
import { systemClock } from '#storage/subject-store.ts';
import { createFileDropStore, createS3DropStore, type DropStore } from './drop-store.ts';
import { createFileWorkQueue, createSqsWorkQueue, type WorkQueue } from './work-queue.ts';
import { DEFAULT_IMPORT_SETTINGS, type ImportDeps } from './worker.ts';

/** The drop folder from the configuration: a folder on disk locally, the bucket in the cloud. */
export function dropStoreFromConfig(): DropStore {
  const settings = config();
  if (settings.localDropDir !== undefined) {
    return createFileDropStore(settings.localDropDir, settings.localBaseUrl ?? 'http://127.0.0.1:3000');
  }
  if (settings.bucketName === undefined) throw new Error('BUCKET_NAME is not set');
  return createS3DropStore(settings.bucketName);
}

export function workQueueFromConfig(): WorkQueue | undefined {
  const settings = config();
  if (settings.localQueueDir !== undefined) return createFileWorkQueue(settings.localQueueDir);
  return settings.importQueueUrl === undefined ? undefined : createSqsWorkQueue(settings.importQueueUrl);
}

let cached: ImportDeps | undefined;

export function importDeps(): ImportDeps {
  if (cached === undefined) {
    const settings = config();
    const client = createDocumentClient(
      settings.dynamoEndpoint === undefined ? {} : { endpoint: settings.dynamoEndpoint },
    );
    const queue = workQueueFromConfig();
    cached = {
      store: { client, tableName: settings.tableName, clock: systemClock },
      drop: dropStoreFromConfig(),
      ...(queue === undefined ? {} : { queue }),
      settings: { ...DEFAULT_IMPORT_SETTINGS, chunkRows: settings.importChunkRows },
      // Triage arrives with the classification issue; until then the request is only logged.
      requestClassification: async () => undefined,
      log: createLogger({ function: 'import' }),
    };
  }
  return cached;
}
