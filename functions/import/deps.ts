/** The import worker's dependencies, built once per Lambda instance from the configuration. */
import { config } from '#shared/config.ts';
import { createLogger } from '#shared/logger.ts';
import { createDocumentClient } from '#storage/client.ts';
import { systemClock } from '#storage/subject-store.ts';
import { dropStoreFromConfig, workQueueFromConfig } from './adapters.ts';
import { DEFAULT_IMPORT_SETTINGS, type ImportDeps } from './worker.ts';

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
