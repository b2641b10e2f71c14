/** What the API's routes need, and how the cloud builds it from the configuration. */

import { createS3DropStore, type DropStore } from '#shared/object-store.ts';
import { createSqsWorkQueue, type WorkQueue } from '#shared/work-queue.ts';
import { cloudStore } from '#storage/client.ts';
import type { StoreDeps } from '#storage/subject-store.ts';
import type { ApiConfig } from './config.ts';

export interface ApiDeps {
  readonly store: StoreDeps;
  /** The drop folder, for upload URLs; created at first use (routes that need no bucket never touch it). */
  readonly drop: () => DropStore;
  /** The import queue, for released pushes. */
  readonly queue: () => WorkQueue | undefined;
}

/** The API's dependencies in the cloud: the table, the bucket and the queue of its configuration. */
export function cloudApiDeps(config: ApiConfig): ApiDeps {
  let drop: DropStore | undefined;
  let queue: WorkQueue | undefined;
  return {
    store: cloudStore(config),
    drop: () => {
      drop ??= createS3DropStore(config.bucketName);
      return drop;
    },
    queue: () => {
      queue ??= createSqsWorkQueue(config.importQueueUrl);
      return queue;
    },
  };
}
