/** What the API's routes need, built once per Lambda instance from the configuration. */
import { config } from '#shared/config.ts';
import { createDocumentClient } from '#storage/client.ts';
import { type StoreDeps, systemClock } from '#storage/subject-store.ts';

export interface ApiDeps {
  readonly store: StoreDeps;
}

let cached: ApiDeps | undefined;

export function apiDeps(): ApiDeps {
  if (cached === undefined) {
    const settings = config();
    const client = createDocumentClient(
      settings.dynamoEndpoint === undefined ? {} : { endpoint: settings.dynamoEndpoint },
    );
    cached = { store: { client, tableName: settings.tableName, clock: systemClock } };
  }
  return cached;
}
