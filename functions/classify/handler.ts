/** The classify Lambda in the cloud: configuration parsed when the module loads, one table client. */
import { createDocumentClient } from '#storage/client.ts';
import { systemClock } from '#storage/subject-store.ts';
import { readClassifyConfig } from './config.ts';
import { createClassifyHandler } from './create-handler.ts';

const config = readClassifyConfig(process.env);

export const handler = createClassifyHandler({
  store: { client: createDocumentClient(), tableName: config.tableName, clock: systemClock },
});
