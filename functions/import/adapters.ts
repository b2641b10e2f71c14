/** The drop folder and the work queue from the configuration: on disk locally, S3 and SQS in the cloud. */
import { config } from '#shared/config.ts';
import { createFileDropStore, createS3DropStore, type DropStore } from './drop-store.ts';
import { createFileWorkQueue, createSqsWorkQueue, type WorkQueue } from './work-queue.ts';

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
