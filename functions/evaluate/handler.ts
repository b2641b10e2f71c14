/** The evaluate Lambda in the cloud: configuration parsed when the module loads, clients made once. */

import { createS3DropStore } from '#shared/object-store.ts';
import { createDocumentClient } from '#storage/client.ts';
import { systemClock } from '#storage/subject-store.ts';
import { readEvaluateConfig } from './config.ts';
import { createEvaluateHandler } from './create-handler.ts';

const config = readEvaluateConfig(process.env);

export const handler = createEvaluateHandler({
  store: { client: createDocumentClient(), tableName: config.tableName, clock: systemClock },
  drop: createS3DropStore(config.bucketName),
});
