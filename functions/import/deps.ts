/** The import worker's dependencies in the cloud: the bucket, the queue and the table of its configuration. */
import { createLogger } from '#shared/logger.ts';
import { createS3DropStore } from '#shared/object-store.ts';
import { createSqsWorkQueue } from '#shared/work-queue.ts';
import { cloudStore } from '#storage/client.ts';
import type { ImportConfig } from './config.ts';
import { DEFAULT_IMPORT_SETTINGS, type ImportDeps } from './worker.ts';

export function cloudImportDeps(config: ImportConfig): ImportDeps {
  return {
    store: cloudStore(config),
    drop: createS3DropStore(config.bucketName),
    queue: createSqsWorkQueue(config.importQueueUrl),
    settings: {
      ...DEFAULT_IMPORT_SETTINGS,
      chunkRows: config.importChunkRows ?? DEFAULT_IMPORT_SETTINGS.chunkRows,
    },
    log: createLogger({ function: 'import' }),
  };
}
