/** What the API's routes need, built once per Lambda instance from the configuration. */
import { config } from '#shared/config.ts';
import { createDocumentClient } from '#storage/client.ts';
import { type StoreDeps, systemClock } from '#storage/subject-store.ts';
import { dropStoreFromConfig, workQueueFromConfig } from '../import/adapters.ts';
import type { DropStore } from '../import/drop-store.ts';
import type { WorkQueue } from '../import/work-queue.ts';

export interface ApiDeps {
  readonly store: StoreDeps;
  /** The drop folder, for upload URLs; created at first use (routes that need no bucket never touch it). */
  readonly drop: () => DropStore;
  readonly queue: () => WorkQueue | undefined;
}

let cached: ApiDeps | undefined;

export function apiDeps(): ApiDeps {
  if (cached === undefined) {
    const settings = config();
    const client = createDocumentClient(
      settings.dynamoEndpoint === undefined ? {} : { endpoint: settings.dynamoEndpoint },
    );
    let drop: DropStore | undefined;
    let queue: WorkQueue | undefined | null = null;
    cached = {
      store: { client, tableName: settings.tableName, clock: systemClock },
      drop: () => {
        drop ??= dropStoreFromConfig();
        return drop;
      },
      queue: () => {
        if (queue === null) queue = workQueueFromConfig();
        return queue;
      },
    };
  }
  return cached;
}
